import type { CreateReservationItemInput, ReservationItemDTO } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { executeInKeyOrder } from "../../../lib/locks"

/**
 * Seconds a reservation waits for its inventory items' locks. Medusa's own reservation step waits the
 * locking provider's default (5 s with Redis): imports of many orders of a best-selling SKU, on several
 * workers, queue on that item's lock for longer than that, and a batch of new orders would then be undone
 * and imported again order by order because one reservation waited its turn.
 */
export const RESERVATION_LOCK_WAIT_SECONDS = 60

export const reserveMarketplaceItemsStepId = "reserve-marketplace-items"

/**
 * Creates reservations under their inventory items' locks (as Medusa's `createReservationsStep` does, but
 * taken one at a time in key order, so that two batches never deadlock), waiting up to
 * RESERVATION_LOCK_WAIT_SECONDS for them. Compensation deletes them under the same locks.
 *
 * @example
 * reserveMarketplaceItemsStep([{ inventory_item_id: "iitem_123", location_id: "sloc_123", quantity: 1, line_item_id: "ordli_1" }])
 */
export const reserveMarketplaceItemsStep = createStep(
  reserveMarketplaceItemsStepId,
  async (reservations: CreateReservationItemInput[], { container }): Promise<StepResponse<ReservationItemDTO[], { ids: string[]; keys: string[] }>> => {
    if (!reservations.length) {
      return new StepResponse([] as ReservationItemDTO[], { ids: [] as string[], keys: [] as string[] })
    }
    const inventory = container.resolve(Modules.INVENTORY)
    const keys = [...new Set(reservations.map((r) => r.inventory_item_id))].sort()
    // One key at a time, in order (see executeInKeyOrder): a batch's reservations name many items.
    const created = await executeInKeyOrder(container, keys, async () => await inventory.createReservationItems(reservations), {
      timeout: RESERVATION_LOCK_WAIT_SECONDS,
    })
    return new StepResponse(created, { ids: created.map((r) => r.id), keys })
  },
  async (made, { container }) => {
    if (!made?.ids.length) {
      return
    }
    const inventory = container.resolve(Modules.INVENTORY)
    await executeInKeyOrder(container, made.keys, async () => await inventory.deleteReservationItems(made.ids), {
      timeout: RESERVATION_LOCK_WAIT_SECONDS,
    })
  }
)
