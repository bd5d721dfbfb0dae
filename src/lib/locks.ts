import { randomUUID } from "crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/** A lock this process holds: its key and the owner id only this holder knows. */
export type HeldLock = { key: string; owner_id: string }

/**
 * Takes `key` under a new owner id without waiting, or answers null when another holder has it. The owner id
 * is what makes the release safe: a lock that expired while its holder was still working may have been taken
 * by another process, and releasing it by key alone would free that process's lock.
 *
 * @example
 * const lock = await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 900)
 * if (!lock) return null // another process is pulling
 * try { ... } finally { await releaseLock(container, lock) }
 */
export async function tryAcquireLock(
  container: MedusaContainer,
  key: string,
  expireSeconds: number
): Promise<HeldLock | null> {
  const owner_id = `marketplace:${randomUUID()}`
  try {
    await container.resolve(Modules.LOCKING).acquire(key, { ownerId: owner_id, expire: expireSeconds })
  } catch {
    return null
  }
  return { key, owner_id }
}

/** Releases a lock taken by `tryAcquireLock`, only if this holder still owns it. False when it did not. */
export async function releaseLock(container: MedusaContainer, lock: HeldLock): Promise<boolean> {
  return await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
}

/** A fresh owner id for a workflow's `acquireLockStep` / `releaseLockStep` pair. */
export const newLockOwnerId = (purpose: string) => `marketplace:${purpose}:${randomUUID()}`
