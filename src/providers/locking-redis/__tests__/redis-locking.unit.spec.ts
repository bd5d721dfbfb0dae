import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { MarketplaceRedisLockingProvider } from "../service"

const REDIS_URL = "redis://127.0.0.1:6379/4"

jest.setTimeout(30000)

/**
 * Against a real Redis: two provider instances on separate connections stand for two processes of the app.
 * Each test uses keys of its own prefix.
 */
describe("MarketplaceRedisLockingProvider", () => {
  let prefix: string
  let one: MarketplaceRedisLockingProvider
  let two: MarketplaceRedisLockingProvider
  let redis: Redis

  beforeEach(() => {
    prefix = `test_lock:${randomUUID()}:`
    one = new MarketplaceRedisLockingProvider({}, { redisUrl: REDIS_URL, prefix })
    two = new MarketplaceRedisLockingProvider({}, { redisUrl: REDIS_URL, prefix })
    redis = new Redis(REDIS_URL)
  })

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    await one.disconnect()
    await two.disconnect()
    redis.disconnect()
  })

  const owner = (key: string) => redis.get(`${prefix}${key}`)
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it("refuses to start without a Redis URL", () => {
    expect(() => new MarketplaceRedisLockingProvider({}, {} as never)).toThrow(/redisUrl/)
  })

  it("a set that cannot be completed keeps none of its keys", async () => {
    await two.acquire("b", { ownerId: "other", expire: 10 })
    await expect(one.acquire(["c", "a", "b"], { ownerId: "me", expire: 10 })).rejects.toThrow('Failed to acquire lock for key "b"')
    // Medusa's provider kept "a" and "c" here until their expiry.
    expect(await owner("a")).toBeNull()
    expect(await owner("c")).toBeNull()
    expect(await owner("b")).toBe("other")
  })

  it("waits for a key holding only the keys before it, and runs once it is free", async () => {
    await two.acquire("b", { ownerId: "other", expire: 10 })
    let ran = false
    const running = one.execute(["c", "a", "b"], async () => {
      ran = true
      return "done"
    }, { timeout: 10 })
    await wait(300)
    expect(ran).toBe(false)
    expect(await owner("a")).toMatch(/^execute:/)
    expect(await owner("c")).toBeNull() // after "b" in the order: not taken while waiting
    await two.release("b", { ownerId: "other" })
    await expect(running).resolves.toBe("done")
    expect(ran).toBe(true)
    // Released at the end.
    expect([await owner("a"), await owner("b"), await owner("c")]).toEqual([null, null, null])
  })

  it("a timed-out execute hands back what it took and answers the locking module's error", async () => {
    await two.acquire("b", { ownerId: "other", expire: 10 })
    const started = Date.now()
    await expect(one.execute(["a", "b"], async () => "never", { timeout: 1 })).rejects.toThrow("Timed-out acquiring lock.")
    expect(Date.now() - started).toBeLessThan(2500)
    await wait(100)
    expect(await owner("a")).toBeNull()
    expect(await owner("b")).toBe("other")
  })

  it("two processes taking overlapping sets in opposite orders never deadlock and never overlap", async () => {
    let inside = 0
    let overlaps = 0
    const job = async () => {
      inside++
      if (inside > 1) overlaps++
      await wait(5)
      inside--
    }
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? one.execute(["a", "b", "c"], job, { timeout: 20 }) : two.execute(["c", "b", "a"], job, { timeout: 20 })
      )
    )
    expect(overlaps).toBe(0)
    // Twenty short jobs one after the other, not a timeout among them.
    expect(Date.now() - started).toBeLessThan(15000)
  })

  it("keeps an execute's keys while its job outlives their lease", async () => {
    const seen: (string | null)[] = []
    let aborted = false
    await one.execute(
      "slow",
      async (signal) => {
        await wait(2600)
        seen.push(await owner("slow"))
        aborted = !!signal?.aborted
      },
      { timeout: 5, expire: 1 }
    )
    expect(seen[0]).toMatch(/^execute:/)
    expect(aborted).toBe(false)
    expect(await owner("slow")).toBeNull()
  })

  it("an owner re-takes its own key (moving its expiry); another owner's release leaves it", async () => {
    await one.acquire("k", { ownerId: "me", expire: 2 })
    await one.acquire("k", { ownerId: "me", expire: 30 })
    expect(await redis.ttl(`${prefix}k`)).toBeGreaterThan(10)
    await expect(two.acquire("k", { ownerId: "other", expire: 5 })).rejects.toThrow()
    expect(await two.release("k", { ownerId: "other" })).toBe(false)
    expect(await owner("k")).toBe("me")
    expect(await one.release("k", { ownerId: "me" })).toBe(true)
    expect(await owner("k")).toBeNull()
  })

  it("releaseAll frees only the given owner's keys", async () => {
    await one.acquire(["x", "y"], { ownerId: "me", expire: 30 })
    await two.acquire("z", { ownerId: "other", expire: 30 })
    await one.releaseAll({ ownerId: "me" })
    expect([await owner("x"), await owner("y"), await owner("z")]).toEqual([null, null, "other"])
  })
})
