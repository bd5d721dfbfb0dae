import { randomUUID } from "crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/** A lock this process holds: its key and the owner id only this holder knows. */
export type HeldLock = { key: string; owner_id: string }

/**
 * How long a lock outlives a holder that stops renewing it (its process died): locks are taken for this
 * lease and renewed every third of it while the holder works, so a crash frees them within the lease
 * instead of after the longest time the work could take.
 */
export const LOCK_LEASE_SECONDS = 30

type Lease = { keys: Set<string>; timer: NodeJS.Timeout; until: number }

/** This process's renewed locks, by owner id. */
const leases = new Map<string, Lease>()

/**
 * Renews `keys` (held by `ownerId`) every third of the lease until `stopRenewing(ownerId)`, or until
 * `maxHoldSeconds` have passed (a holder that never released them), or until a key turns out to belong to
 * someone else (that key is dropped). The timer does not keep the process alive, and it dies with it: that
 * is what frees the locks of a crashed process after one lease.
 */
export function keepRenewing(
  container: MedusaContainer,
  keys: string[],
  ownerId: string,
  { leaseSeconds = LOCK_LEASE_SECONDS, maxHoldSeconds = 3600 }: { leaseSeconds?: number; maxHoldSeconds?: number } = {}
): void {
  // A lock taken for no longer than one lease needs no renewal: it simply expires.
  if (!keys.length || maxHoldSeconds <= leaseSeconds) return
  const existing = leases.get(ownerId)
  if (existing) {
    keys.forEach((k) => existing.keys.add(k))
    return
  }
  const locking = container.resolve(Modules.LOCKING)
  const lease: Lease = {
    keys: new Set(keys),
    until: Date.now() + maxHoldSeconds * 1000,
    timer: setInterval(() => {
      const remaining = (lease.until - Date.now()) / 1000
      if (remaining <= 0) {
        stopRenewing(ownerId)
        return
      }
      // A renewal never carries the lock past the longest hold its holder asked for (rounded up to whole
      // seconds: Redis takes an expiry in whole seconds only).
      const expire = Math.min(leaseSeconds, Math.ceil(remaining))
      for (const key of [...lease.keys]) {
        // Taking a lock again under its own owner id only moves its expiry.
        locking.acquire(key, { ownerId, expire }).catch(() => lease.keys.delete(key))
      }
    }, Math.max(250, Math.floor((leaseSeconds * 1000) / 3))),
  }
  lease.timer.unref()
  leases.set(ownerId, lease)
}

/** Stops renewing the locks of `ownerId` (before releasing them). */
export function stopRenewing(ownerId: string): void {
  const lease = leases.get(ownerId)
  if (lease) {
    clearInterval(lease.timer)
    leases.delete(ownerId)
  }
}

/**
 * Takes `key` under a new owner id without waiting, or answers null when another holder has it. The lock is
 * leased (LOCK_LEASE_SECONDS) and renewed while this process lives, for at most `maxHoldSeconds`; release it
 * with `releaseLock`. The owner id is what makes the release safe: a lock that expired while its holder was
 * still working may have been taken by another process, and releasing it by key alone would free that
 * process's lock.
 *
 * @example
 * const lock = await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 900)
 * if (!lock) return null // another process is pulling
 * try { ... } finally { await releaseLock(container, lock) }
 */
export async function tryAcquireLock(
  container: MedusaContainer,
  key: string,
  maxHoldSeconds: number
): Promise<HeldLock | null> {
  const owner_id = `marketplace:${randomUUID()}`
  const leaseSeconds = Math.min(LOCK_LEASE_SECONDS, maxHoldSeconds)
  try {
    await container.resolve(Modules.LOCKING).acquire(key, { ownerId: owner_id, expire: leaseSeconds })
  } catch {
    return null
  }
  keepRenewing(container, [key], owner_id, { leaseSeconds, maxHoldSeconds })
  return { key, owner_id }
}

/** Releases a lock taken by `tryAcquireLock`, only if this holder still owns it. False when it did not. */
export async function releaseLock(container: MedusaContainer, lock: HeldLock): Promise<boolean> {
  stopRenewing(lock.owner_id)
  return await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
}

/**
 * Runs `job` while holding every one of `keys`, taking them one at a time in sorted order (each under the
 * locking module's `execute`, which renews it while the job runs and frees it if this process dies).
 *
 * Why not `execute(keys, ...)`: the Redis provider takes a list's keys all at once, each waiting in its queue
 * while holding the others it already got. Two imports whose orders share best-selling SKUs then each hold
 * one item and wait for the other's until the timeout, and the keys they got stay locked for a whole lease
 * after it (a deadlock seen in the chaos bench: inventory and order locks held for minutes, the inbox
 * frozen). Taken in one global order, no two holders can wait for each other.
 *
 * @example
 * await executeInKeyOrder(container, ["iitem_2", "iitem_1"], async () => createReservations(), { timeout: 60 })
 */
export async function executeInKeyOrder<T>(
  container: MedusaContainer,
  keys: string[],
  job: () => Promise<T>,
  { timeout }: { timeout: number }
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  const sorted = [...new Set(keys.filter(Boolean))].sort()
  const deadline = Date.now() + timeout * 1000
  const holdFrom = async (index: number): Promise<T> => {
    if (index === sorted.length) {
      return await job()
    }
    // The whole set shares one wait: each key gets what is left of it (at least a second).
    const remaining = Math.max(1, Math.ceil((deadline - Date.now()) / 1000))
    return await locking.execute(sorted[index], async () => await holdFrom(index + 1), { timeout: remaining })
  }
  return await holdFrom(0)
}

/** A fresh owner id for a workflow's `acquireLeasedLockStep` / `releaseLeasedLockStep` pair. */
export const newLockOwnerId = (purpose: string) => `marketplace:${purpose}:${randomUUID()}`
