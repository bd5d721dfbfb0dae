import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { keepRenewing, LOCK_LEASE_SECONDS, stopRenewing } from "../../../lib/locks"

export type TryLockOrdersStepInput = {
  /** The lock key of each order, by external order id (see orderLockKey). */
  keys: { external_id: string; key: string }[]
  /** This batch's owner id: only it can release these keys. */
  owner_id: string
  /** The longest the batch may hold its locks (they are leased and renewed until then, see keepRenewing). */
  max_hold_seconds: number
}

export const tryLockOrdersStepId = "try-lock-marketplace-orders"

/**
 * Takes the lock of each order of a batch that is free now, and leaves the others: they are imported one
 * by one afterwards, waiting for their lock then. Never waiting while holding locks means two batches (or a
 * batch and single imports) can never hold each other up, whatever the order of their keys.
 *
 * @example
 * const { locked } = tryLockOrdersStep({ keys: [{ external_id: "A1", key: "marketplace:order:c:A1" }], owner_id: "batch_1", max_hold_seconds: 900 })
 */
export const tryLockOrdersStep = createStep(
  tryLockOrdersStepId,
  async (input: TryLockOrdersStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const expire = Math.min(LOCK_LEASE_SECONDS, input.max_hold_seconds)
    const taken = await Promise.all(
      input.keys.map(async ({ external_id, key }) => {
        try {
          await locking.acquire(key, { ownerId: input.owner_id, expire })
          return { external_id, key }
        } catch {
          return null
        }
      })
    )
    const locked = taken.filter((t): t is { external_id: string; key: string } => !!t)
    const keys = locked.map((l) => l.key)
    // Renewed while this process lives: a crash frees them within one lease.
    keepRenewing(container, keys, input.owner_id, { maxHoldSeconds: input.max_hold_seconds })
    return new StepResponse({ locked: locked.map((l) => l.external_id), keys }, { keys, owner_id: input.owner_id })
  },
  async (held, { container }) => {
    if (!held?.keys.length) {
      return
    }
    stopRenewing(held.owner_id)
    await container.resolve(Modules.LOCKING).release(held.keys, { ownerId: held.owner_id })
  }
)
