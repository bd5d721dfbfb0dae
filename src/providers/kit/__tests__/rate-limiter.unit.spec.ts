import { Redis } from "ioredis"
import { MemoryRateLimitStore, RateLimiter, RateLimitStore, RedisRateLimitStore } from "../rate-limiter"

// Database 3 is this suite's own: it is flushed before and after, and no other database is touched.
const REDIS_URL = "redis://127.0.0.1:6379/3"

function recordingLimiter(store: RateLimitStore, ratePerSecond: number, clock?: { now: number }) {
  const waits: number[] = []
  const limiter = new RateLimiter(store, { ratePerSecond }, "test", async (ms) => {
    waits.push(ms)
    if (clock) {
      clock.now += ms
    }
  })
  return { limiter, waits }
}

describe("rate limiter in one process", () => {
  it("spreads calls at the configured rate", async () => {
    const clock = { now: 0 }
    const { limiter, waits } = recordingLimiter(new MemoryRateLimitStore(() => clock.now), 2, clock)
    for (let i = 0; i < 6; i++) {
      await limiter.acquire("conn_1")
    }
    expect(clock.now).toBe(2000) // 2 at once, then one every 500 ms
    expect(waits.every((w) => w === 500)).toBe(true)
  })

  it("books slots in arrival order for concurrent callers, per key", async () => {
    const clock = { now: 0 }
    const store = new MemoryRateLimitStore(() => clock.now)
    const { limiter, waits } = recordingLimiter(store, 4)
    await Promise.all(Array.from({ length: 8 }, () => limiter.acquire("conn_1")))
    expect(waits).toEqual([250, 500, 750, 1000]) // 4 at once, then the next four 250 ms apart
    await limiter.acquire("conn_2") // another shop has its own budget
    expect(waits).toHaveLength(4)
  })

  it("refuses to book a slot further away than the caller may wait, without using it", async () => {
    const clock = { now: 0 }
    const store = new MemoryRateLimitStore(() => clock.now)
    const { limiter } = recordingLimiter(store, 1)
    expect(await limiter.acquire("k")).toEqual({ granted: true, wait_ms: 0 })
    expect(await limiter.acquire("k", 500)).toEqual({ granted: false, wait_ms: 1000 })
    expect(await limiter.acquire("k", 1000)).toEqual({ granted: true, wait_ms: 1000 })
  })

  it("holds every caller of a key back after a block (Retry-After)", async () => {
    const clock = { now: 0 }
    const store = new MemoryRateLimitStore(() => clock.now)
    const { limiter } = recordingLimiter(store, 10)
    await limiter.block("k", 3000)
    expect(await limiter.acquire("k", 0)).toEqual({ granted: false, wait_ms: 3000 })
    clock.now = 3000
    expect(await limiter.acquire("k", 0)).toEqual({ granted: true, wait_ms: 0 })
  })

  it("two in-process stores do not see each other: each process would send the full rate", async () => {
    const a = recordingLimiter(new MemoryRateLimitStore(() => 0), 5)
    const b = recordingLimiter(new MemoryRateLimitStore(() => 0), 5)
    for (let i = 0; i < 5; i++) {
      await a.limiter.acquire("conn_1")
      await b.limiter.acquire("conn_1")
    }
    expect([...a.waits, ...b.waits]).toEqual([])
  })
})

describe("rate limiter shared through Redis", () => {
  let admin: Redis
  let stores: RedisRateLimitStore[] = []

  beforeAll(async () => {
    admin = new Redis(REDIS_URL)
    await admin.flushdb()
  })

  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()))
    stores = []
  })

  afterAll(async () => {
    await admin.flushdb()
    await admin.quit()
  })

  const store = () => {
    const s = RedisRateLimitStore.fromUrl(REDIS_URL)
    stores.push(s)
    return s
  }

  it("holds one shop's rate across two limiters on separate connections (two processes)", async () => {
    const a = recordingLimiter(store(), 10)
    const b = recordingLimiter(store(), 10)
    const calls: Promise<unknown>[] = []
    for (let i = 0; i < 15; i++) {
      calls.push(a.limiter.acquire("conn_1"), b.limiter.acquire("conn_1"))
    }
    await Promise.all(calls)
    const waits = [...a.waits, ...b.waits].sort((x, y) => x - y)
    // 30 calls at 10/s with a burst of 10: 10 go at once (no wait recorded), 20 wait 100 ms, 200 ms ... 2000 ms.
    expect(waits).toHaveLength(20)
    expect(waits[19]).toBeGreaterThan(1800)
    expect(waits[19]).toBeLessThanOrEqual(2000)
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i] - waits[i - 1]).toBeLessThanOrEqual(101) // one slot per 100 ms, none given twice
    }
    // Another shop is not held back by this one.
    const c = recordingLimiter(store(), 10)
    await c.limiter.acquire("conn_2")
    expect(c.waits).toEqual([])
  })

  it("shares a block (Retry-After) with the other process", async () => {
    const a = recordingLimiter(store(), 10)
    const b = recordingLimiter(store(), 10)
    await a.limiter.block("conn_3", 1500)
    const refused = await b.limiter.acquire("conn_3", 100)
    expect(refused.granted).toBe(false)
    expect(refused.wait_ms).toBeGreaterThan(1300)
    expect(refused.wait_ms).toBeLessThanOrEqual(1500)
  })

  it("lets keys expire once idle", async () => {
    const a = recordingLimiter(store(), 10)
    await a.limiter.acquire("conn_4")
    const ttl = await admin.pttl("marketplace:rate:test:conn_4")
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(1100)
  })

  it("counts in this process when Redis does not answer, and says so", async () => {
    const warnings: string[] = []
    const unreachable = RedisRateLimitStore.fromUrl("redis://127.0.0.1:1/3", { logger: { warn: (m) => warnings.push(m) } })
    stores.push(unreachable)
    const a = recordingLimiter(unreachable, 1)
    expect(await a.limiter.acquire("conn_5")).toEqual({ granted: true, wait_ms: 0 })
    const second = await a.limiter.acquire("conn_5", 10)
    expect(second.granted).toBe(false)
    expect(second.wait_ms).toBeGreaterThan(0) // the rest of the second booked in memory, minus Redis's failed tries
    expect(second.wait_ms).toBeLessThanOrEqual(1000)
    expect(warnings.join("\n")).toMatch(/counting in this process/)
  })
})
