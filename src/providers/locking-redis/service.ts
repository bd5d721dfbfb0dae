import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import { Redis } from "ioredis"
import type { ILockingProvider, Logger } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"

export type MarketplaceRedisLockingOptions = {
  /** The Redis server every process of the app shares (the same as the event bus and workflow engine). */
  redisUrl: string
  /** Key prefix of the locks (default `medusa_lock:`, as Medusa's own Redis provider). */
  prefix?: string
  /** Seconds `execute` waits for its keys when the caller gives no timeout (default 5). */
  waitLockingTimeout?: number
  /** First pause between two tries of a key held elsewhere, in ms (default 20), doubled up to `maximumRetryInterval`. */
  defaultRetryInterval?: number
  /** Longest pause between two tries, in ms (default 1000). */
  maximumRetryInterval?: number
}

type InjectedDependencies = { logger?: Logger; marketplaceLockingOptions?: MarketplaceRedisLockingOptions }

/** How long a lock taken by `execute` outlives a process that died holding it (renewed while the job runs). */
const EXECUTE_LEASE_SECONDS = 60

/** 1: taken now; 2: already this owner's (its expiry is moved); 0: someone else's. */
const ACQUIRE_LUA = `
local current = redis.call('GET', KEYS[1])
local ttl = tonumber(ARGV[2])
if not current then
  if ttl > 0 then
    redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
  else
    redis.call('SET', KEYS[1], ARGV[1])
  end
  return 1
end
if current == ARGV[1] and ARGV[1] ~= '*' then
  if ttl > 0 then
    redis.call('EXPIRE', KEYS[1], ttl)
  else
    redis.call('PERSIST', KEYS[1])
  end
  return 2
end
return 0
`

const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`

const EXTEND_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return 0
`

type LockCommands = Redis & {
  marketplaceAcquireLock(key: string, ownerId: string, ttl: number): Promise<number>
  marketplaceReleaseLock(key: string, ownerId: string): Promise<number>
  marketplaceExtendLock(key: string, ownerId: string, ttl: number): Promise<number>
}

const conflict = (message: string) => new MedusaError(MedusaError.Types.CONFLICT, message)

/**
 * A Redis provider for Medusa's Locking module that takes a set of keys **one at a time, in sorted order, all or
 * nothing**. Medusa's `@medusajs/locking-redis` (2.21) takes a set's keys all at once and keeps those it got when
 * it fails or times out: two callers whose sets overlap (two order imports reserving the same best-selling SKUs,
 * an import and a fulfilment adjusting stock) can each hold a key the other waits for, time out, and leave their
 * keys locked for a whole minute, which holds up every other caller of those keys (medusajs/medusa#16285, fix
 * proposed in #16284). With several server and worker processes this froze the plugin's inbox in the chaos
 * bench. Here:
 * - a set is taken in one global order, so no two callers wait for each other;
 * - a set that cannot be completed (held elsewhere, or `execute`'s timeout) hands back every key this call took;
 * - `execute` renews its keys while the job runs and aborts the job's signal if they are lost;
 * - releases, renewals and re-entry check the owner atomically (a late release never frees another's lock).
 *
 * Register it in the app's `medusa-config.ts` in place of `@medusajs/medusa/locking-redis`:
 * `{ resolve: "medusa-marketplace-sync/providers/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }`.
 */
export class MarketplaceRedisLockingProvider implements ILockingProvider {
  static identifier = "marketplace-locking-redis"

  protected readonly client: LockCommands
  protected readonly logger: Logger | undefined
  protected readonly prefix: string
  protected readonly waitLockingTimeout: number
  protected readonly retryInterval: number
  protected readonly maxRetryInterval: number

  static validateOptions(options: Record<string, unknown>): void {
    if (typeof options?.redisUrl !== "string" || !options.redisUrl) {
      throw new MedusaError(
        MedusaError.Types.INVALID_ARGUMENT,
        'The marketplace Redis locking provider needs the option "redisUrl" (the Redis server all processes share)'
      )
    }
  }

  constructor(deps: InjectedDependencies, given: MarketplaceRedisLockingOptions) {
    // In an app the provider's options come through its loader (see ./loaders); a test passes them directly.
    const options = given?.redisUrl ? given : (deps.marketplaceLockingOptions ?? given)
    MarketplaceRedisLockingProvider.validateOptions(options as unknown as Record<string, unknown>)
    this.logger = deps.logger
    this.prefix = options.prefix ?? "medusa_lock:"
    this.waitLockingTimeout = positive(options.waitLockingTimeout, 5)
    this.retryInterval = positive(options.defaultRetryInterval, 20)
    this.maxRetryInterval = positive(options.maximumRetryInterval, 1000)
    const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false })
    client.defineCommand("marketplaceAcquireLock", { numberOfKeys: 1, lua: ACQUIRE_LUA })
    client.defineCommand("marketplaceReleaseLock", { numberOfKeys: 1, lua: RELEASE_LUA })
    client.defineCommand("marketplaceExtendLock", { numberOfKeys: 1, lua: EXTEND_LUA })
    client.on("error", (e) => this.logger?.warn(`Marketplace locking: Redis error: ${e.message}`))
    this.client = client as LockCommands
  }

  /** Closes the provider's Redis connection (tests; the app's processes just exit). */
  async disconnect(): Promise<void> {
    this.client.disconnect()
  }

  protected keyName(key: string): string {
    return `${this.prefix}${key}`
  }

  async execute<T>(
    keys: string | string[],
    job: (signal?: AbortSignal) => Promise<T>,
    args?: { timeout?: number; expire?: number }
  ): Promise<T> {
    const timeoutSeconds = Math.max(Number(args?.timeout ?? this.waitLockingTimeout) || 1, 1)
    const expire = Math.max(Math.ceil(Number(args?.expire ?? EXECUTE_LEASE_SECONDS) || EXECUTE_LEASE_SECONDS), 1)
    // Unique per call: only this call can renew or release what it took.
    const ownerId = `execute:${randomUUID()}`
    const cancel = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancel.abort()
        reject(conflict("Timed-out acquiring lock."))
      }, timeoutSeconds * 1000)
    })
    const acquisition = this.acquireSet(keys, { ownerId, expire, awaitQueue: true }, cancel.signal)
    try {
      await Promise.race([acquisition, timedOut])
    } catch (error) {
      // A cancelled acquisition hands its keys back itself; one that completed as the time ran out is released.
      void acquisition.then(
        () => this.release(keys, { ownerId }),
        () => undefined
      )
      throw error
    } finally {
      clearTimeout(timer)
    }

    const renewal = this.renewWhileRunning(keys, ownerId, expire)
    try {
      const result = await job(renewal.signal)
      if (renewal.signal.aborted) {
        // The job ran on without its lock for a while: its result cannot count as exclusive.
        throw renewal.signal.reason
      }
      return result
    } finally {
      renewal.stop()
      await this.release(keys, { ownerId })
    }
  }

  async acquire(
    keys: string | string[],
    args?: { ownerId?: string | null; expire?: number; awaitQueue?: boolean }
  ): Promise<void> {
    await this.acquireSet(keys, args ?? {})
  }

  async release(keys: string | string[], args?: { ownerId?: string | null }): Promise<boolean> {
    const ownerId = args?.ownerId ?? "*"
    const list = [...new Set(Array.isArray(keys) ? keys : [keys])]
    const results = await Promise.all(list.map((key) => this.client.marketplaceReleaseLock(this.keyName(key), ownerId)))
    return results.every((r) => r === 1)
  }

  async releaseAll(args?: { ownerId?: string | null }): Promise<void> {
    const ownerId = args?.ownerId ?? "*"
    let cursor = "0"
    do {
      const [next, found] = await this.client.scan(cursor, "MATCH", `${this.prefix}*`, "COUNT", 100)
      cursor = next
      // Compare-and-delete per key: a lock re-taken by someone else since the scan stays theirs.
      await Promise.all(found.map((name) => this.client.marketplaceReleaseLock(name, ownerId)))
    } while (cursor !== "0")
  }

  /**
   * Takes `keys` one at a time in sorted order under `ownerId`. Without `awaitQueue` a key held elsewhere fails
   * at once; with it, the key is tried again (growing pauses with jitter) until `cancel` aborts. On failure every
   * key this call took is handed back: a set is all or nothing.
   */
  protected async acquireSet(
    keys: string | string[],
    { ownerId, expire, awaitQueue }: { ownerId?: string | null; expire?: number; awaitQueue?: boolean },
    cancel?: AbortSignal
  ): Promise<void> {
    const owner = ownerId ?? "*"
    const ttl = expire ? Math.max(Math.ceil(expire), 1) : 0
    const sorted = [...new Set(Array.isArray(keys) ? keys : [keys])].sort()
    const taken: string[] = []
    try {
      for (const key of sorted) {
        let pause = this.retryInterval
        for (;;) {
          if (cancel?.aborted) {
            throw conflict(`Failed to acquire lock for key "${key}"`)
          }
          const result = await this.client.marketplaceAcquireLock(this.keyName(key), owner, ttl)
          if (result === 1) {
            taken.push(key)
            break
          }
          if (result === 2) {
            break
          }
          if (!awaitQueue) {
            throw conflict(`Failed to acquire lock for key "${key}"`)
          }
          // A cancellation (execute's timeout) ends the pause at once, so the keys taken go back at once.
          await sleep(pause * (0.5 + Math.random() * 0.5), undefined, { signal: cancel }).catch(() => undefined)
          pause = Math.min(pause * 2, this.maxRetryInterval)
        }
      }
    } catch (error) {
      if (taken.length) {
        await Promise.all(taken.map((key) => this.client.marketplaceReleaseLock(this.keyName(key), owner))).catch(
          () => undefined
        )
      }
      throw error
    }
  }

  /** Extends the keys every third of their lease while the job runs; aborts the signal if one was lost. */
  protected renewWhileRunning(keys: string | string[], ownerId: string, expire: number) {
    const list = [...new Set(Array.isArray(keys) ? keys : [keys])]
    const controller = new AbortController()
    let stopped = false
    const interval = setInterval(async () => {
      let extended: number[]
      try {
        extended = await Promise.all(list.map((key) => this.client.marketplaceExtendLock(this.keyName(key), ownerId, expire)))
      } catch (e) {
        // Redis unreachable for a moment: the next renewal tries again (two can fail before the lease ends).
        this.logger?.warn(`Marketplace locking: could not renew "${list.join('", "')}": ${(e as Error).message}`)
        return
      }
      if (stopped) return
      const lost = list.filter((_, i) => extended[i] !== 1)
      if (lost.length) {
        clearInterval(interval)
        const message = `Lost the lock for key(s) "${lost.join('", "')}" while the job was still running`
        this.logger?.warn(`Marketplace locking: ${message}`)
        controller.abort(conflict(message))
      }
    }, Math.max(250, Math.floor((expire * 1000) / 3)))
    interval.unref()
    return {
      signal: controller.signal,
      stop: () => {
        stopped = true
        clearInterval(interval)
      },
    }
  }
}

function positive(value: unknown, fallback: number): number {
  const n = Number(value)
  return Number.isFinite(n) && n > 0 ? n : fallback
}
