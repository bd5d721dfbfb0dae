import { setTimeout as sleep } from "timers/promises"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { keepRenewing, LOCK_LEASE_SECONDS, stopRenewing } from "../../../lib/locks"

export type AcquireLeasedLockStepInput = {
  /** The key(s) to lock, all or none. */
  key: string | string[]
  /** Only this owner can release (or renew) the lock. */
  ownerId: string
  /** Seconds to wait for a lock held elsewhere before failing with "Timed-out acquiring lock.". */
  timeout: number
  /** The longest this run may hold the lock (renewals stop then). */
  maxHoldSeconds?: number
}

export const acquireLeasedLockStepId = "acquire-marketplace-leased-lock"

/**
 * Like Medusa's `acquireLockStep`, but the lock is leased: taken for LOCK_LEASE_SECONDS and renewed by this
 * process while the workflow runs. A process killed in the middle of the workflow stops renewing, so the
 * lock is free again within one lease, and the next import of the same order is not held up for the
 * longest time an import could take. Compensation (the workflow failed) releases it.
 *
 * @example
 * acquireLeasedLockStep({ key: lockKey, ownerId: lockOwner, timeout: 2 })
 */
export const acquireLeasedLockStep = createStep(
  acquireLeasedLockStepId,
  async (input: AcquireLeasedLockStepInput, { container }) => {
    const keys = (Array.isArray(input.key) ? input.key : [input.key]).filter(Boolean)
    if (!keys.length) {
      return new StepResponse(undefined)
    }
    const locking = container.resolve(Modules.LOCKING)
    const maxHoldSeconds = input.maxHoldSeconds ?? 900
    const expire = Math.min(LOCK_LEASE_SECONDS, maxHoldSeconds)
    const giveUpAt = Date.now() + input.timeout * 1000
    for (;;) {
      try {
        await locking.acquire(keys, { ownerId: input.ownerId, expire })
        break
      } catch (error) {
        // Keys are taken one by one: those this run did get are handed back before it waits (holding some
        // while waiting for others would let two runs wait for each other) and when it gives up.
        await locking.release(keys, { ownerId: input.ownerId }).catch(() => undefined)
        if (Date.now() >= giveUpAt) {
          throw error
        }
      }
      await sleep(250)
    }
    keepRenewing(container, keys, input.ownerId, { maxHoldSeconds })
    return new StepResponse(undefined, { keys, ownerId: input.ownerId })
  },
  async (held, { container }) => {
    if (!held?.keys.length) {
      return
    }
    stopRenewing(held.ownerId)
    await container.resolve(Modules.LOCKING).release(held.keys, { ownerId: held.ownerId })
  }
)

export const releaseLeasedLockStepId = "release-marketplace-leased-lock"

/**
 * Stops renewing and releases a lock taken by `acquireLeasedLockStep` (only if `ownerId` still holds it).
 *
 * @example
 * releaseLeasedLockStep({ key: lockKey, ownerId: lockOwner })
 */
export const releaseLeasedLockStep = createStep(
  releaseLeasedLockStepId,
  async (input: { key: string | string[]; ownerId: string }, { container }) => {
    const keys = (Array.isArray(input.key) ? input.key : [input.key]).filter(Boolean)
    stopRenewing(input.ownerId)
    if (keys.length) {
      await container.resolve(Modules.LOCKING).release(keys, { ownerId: input.ownerId })
    }
    return new StepResponse(undefined)
  }
)
