import { createHash } from "crypto"
import { Redis } from "ioredis"

/**
 * Rate limits per shop. A platform limits calls per app and shop, not per process: Medusa runs several server and
 * worker processes, so the limit must be counted where they all see it. With Redis configured (the marketplace
 * module's `redisUrl` option) every process books its calls in one Redis key per shop; without it each process
 * counts alone, which is right for a single process.
 *
 * The algorithm is GCRA (a token bucket kept as one timestamp, the "theoretical arrival time"): a caller books the
 * next free slot and is told how long to wait for it, so waiters are served in booking order without polling, and
 * one atomic step per call is enough (a Lua script on Redis, whose clock all processes then share).
 */

export interface RateRule {
  /** Calls per second. */
  ratePerSecond: number
  /** Calls that may go at once after a quiet period. Default: one second's worth (at least 1). */
  burst?: number
}

export interface Reservation {
  /** True when a slot was booked: send after `wait_ms`. False when the next slot is further away than allowed. */
  granted: boolean
  wait_ms: number
}

/** Where slots are booked. */
export interface RateLimitStore {
  /** Whether the bookings are seen by every process (Redis) or by this one only. */
  readonly shared: boolean
  /** Books the next slot of `key` unless it is more than `maxWaitMs` away. */
  reserve(key: string, rule: RateRule, maxWaitMs: number): Promise<Reservation>
  /** Books nothing before `ms` from now (the platform said "retry after"): every process then waits. */
  block(key: string, rule: RateRule, ms: number): Promise<void>
  close(): Promise<void>
}

interface Gcra {
  interval: number
  tolerance: number
}

function gcra(rule: RateRule): Gcra {
  if (!(rule.ratePerSecond > 0)) {
    throw new RangeError(`Not a rate: ${rule.ratePerSecond}`)
  }
  const interval = 1000 / rule.ratePerSecond
  const burst = Math.max(1, rule.burst ?? rule.ratePerSecond)
  return { interval, tolerance: (burst - 1) * interval }
}

/** Bookings in this process's memory. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly shared = false
  private readonly arrivals = new Map<string, number>()

  constructor(private readonly now: () => number = () => Date.now()) {}

  async reserve(key: string, rule: RateRule, maxWaitMs: number): Promise<Reservation> {
    const { interval, tolerance } = gcra(rule)
    const now = this.now()
    const tat = Math.max(this.arrivals.get(key) ?? now, now)
    const wait = Math.max(0, tat - tolerance - now)
    if (wait > maxWaitMs) {
      return { granted: false, wait_ms: Math.ceil(wait) }
    }
    this.arrivals.set(key, tat + interval)
    this.forgetIdle(now)
    return { granted: true, wait_ms: Math.ceil(wait) }
  }

  async block(key: string, rule: RateRule, ms: number): Promise<void> {
    const { tolerance } = gcra(rule)
    const until = this.now() + ms + tolerance
    if ((this.arrivals.get(key) ?? 0) < until) {
      this.arrivals.set(key, until)
    }
  }

  async close(): Promise<void> {
    this.arrivals.clear()
  }

  // A key whose arrival time has passed is as good as absent; dropping it keeps the map to the active shops.
  private forgetIdle(now: number): void {
    if (this.arrivals.size < 1000) {
      return
    }
    for (const [key, tat] of this.arrivals) {
      if (tat < now) {
        this.arrivals.delete(key)
      }
    }
  }
}

// KEYS[1] the shop's key; ARGV: interval ms, tolerance ms, max wait ms. Redis's own clock, so processes on machines
// whose clocks differ still agree. Returns {granted (0/1), wait ms}.
const RESERVE_SCRIPT = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then tat = math.max(tonumber(stored), now) end
local wait = math.max(0, tat - tolerance - now)
if wait > max_wait then return {0, math.ceil(wait)} end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1000)
return {1, math.ceil(wait)}
`

// KEYS[1] the shop's key; ARGV: block ms, tolerance ms. Moves the arrival time forward, never back.
const BLOCK_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local until_tat = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
if stored and tonumber(stored) >= until_tat then return 0 end
redis.call('SET', KEYS[1], string.format('%.3f', until_tat), 'PX', math.ceil(until_tat - now) + 1000)
return 1
`

const DAY_MS = 86_400_000

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex")

export interface RedisRateLimitStoreOptions {
  /** Prefix of the keys (default "marketplace:rate:"). */
  prefix?: string
  logger?: { warn(msg: string): void }
  /** Where bookings go while Redis does not answer (default: this process's memory). */
  fallback?: RateLimitStore
}

/**
 * Bookings in Redis, shared by every process using the same Redis. While Redis does not answer, bookings fall back
 * to this process's memory with a warning: a limiter must not stop every platform call when Redis blinks.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly shared = true
  private readonly prefix: string
  private readonly fallback: RateLimitStore
  private readonly lastWarnings = new Map<string, number>()

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRateLimitStoreOptions = {}
  ) {
    this.prefix = options.prefix ?? "marketplace:rate:"
    this.fallback = options.fallback ?? new MemoryRateLimitStore()
  }

  /** A store on its own connection to `url` (a `redis://` URL, database number included). */
  static fromUrl(url: string, options: RedisRateLimitStoreOptions = {}): RedisRateLimitStore {
    const redis = new Redis(url, {
      lazyConnect: true,
      // A booking that cannot reach Redis quickly falls back to memory rather than holding the platform call.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    })
    const store = new RedisRateLimitStore(redis, options)
    redis.on("error", (error: Error) => store.warn("connection", `Redis for the marketplace rate limits: ${error.message}`))
    return store
  }

  async reserve(key: string, rule: RateRule, maxWaitMs: number): Promise<Reservation> {
    const { interval, tolerance } = gcra(rule)
    try {
      const reply = await this.script(RESERVE_SCRIPT, this.prefix + key, [interval, tolerance, Math.min(Math.max(0, maxWaitMs), DAY_MS)])
      const [granted, wait] = Array.isArray(reply) ? reply.map(Number) : [NaN, NaN]
      if (!Number.isFinite(granted) || !Number.isFinite(wait)) {
        throw new Error(`unexpected reply ${JSON.stringify(reply)}`)
      }
      return { granted: granted === 1, wait_ms: wait }
    } catch (error) {
      this.warn("fallback", `rate limit booking in Redis failed, counting in this process: ${(error as Error).message}`)
      return this.fallback.reserve(key, rule, maxWaitMs)
    }
  }

  async block(key: string, rule: RateRule, ms: number): Promise<void> {
    const { tolerance } = gcra(rule)
    try {
      await this.script(BLOCK_SCRIPT, this.prefix + key, [Math.max(0, ms), tolerance])
    } catch (error) {
      this.warn("fallback", `rate limit block in Redis failed, blocking in this process: ${(error as Error).message}`)
      await this.fallback.block(key, rule, ms)
    }
  }

  async close(): Promise<void> {
    await this.fallback.close()
    if (this.redis.status === "ready") {
      await this.redis.quit().catch(() => this.redis.disconnect())
    } else if (this.redis.status !== "end") {
      this.redis.disconnect()
    }
  }

  private async script(source: string, key: string, args: number[]): Promise<unknown> {
    const argv = args.map(String)
    try {
      return await this.redis.evalsha(sha1(source), 1, key, ...argv)
    } catch (error) {
      if (!/NOSCRIPT/.test((error as Error).message)) {
        throw error
      }
      return await this.redis.eval(source, 1, key, ...argv)
    }
  }

  // Once a minute per kind of trouble: a Redis outage must not flood the log with one line per platform call.
  private warn(kind: "connection" | "fallback", message: string): void {
    const now = Date.now()
    if (now - (this.lastWarnings.get(kind) ?? 0) >= 60_000) {
      this.lastWarnings.set(kind, now)
      this.options.logger?.warn(message)
    }
  }
}

export interface RateLimitStoreConfig {
  /** Redis URL shared by the app's processes; absent: this process's memory. */
  redisUrl?: string | null
  logger?: { warn(msg: string): void }
}

export function createRateLimitStore(config: RateLimitStoreConfig = {}): RateLimitStore {
  return config.redisUrl
    ? RedisRateLimitStore.fromUrl(config.redisUrl, { logger: config.logger })
    : new MemoryRateLimitStore()
}

/**
 * One platform's limiter: a rule, a key prefix (the platform id) and the store. `acquire` books a slot and waits
 * for it; it never waits longer than asked, answering `granted: false` with the wait it would have needed.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly rule: RateRule,
    private readonly namespace: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  ) {
    gcra(rule)
  }

  async acquire(key: string, maxWaitMs = Number.POSITIVE_INFINITY): Promise<Reservation> {
    const reservation = await this.store.reserve(`${this.namespace}:${key}`, this.rule, maxWaitMs)
    if (reservation.granted && reservation.wait_ms > 0) {
      await this.sleep(reservation.wait_ms)
    }
    return reservation
  }

  /** Holds every caller of `key` (in every process sharing the store) back for `ms`. */
  block(key: string, ms: number): Promise<void> {
    return this.store.block(`${this.namespace}:${key}`, this.rule, ms)
  }
}
