import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { enqueueStockChange } from "../orchestration/stock/stock-changes"

/**
 * A reservation created, changed or released by any order (Medusa's own, or imported from any shop) changes
 * what is available: every shop selling that variant from that location gets the new stock. Creating a
 * reservation does not always emit an inventory level event, so reservations are followed on their own.
 * Changes arriving together share one enqueueStockPushWorkflow run (enqueueStockChange).
 */
export default async function reservationStockPushHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await enqueueStockChange(container, { reservation_id: event.data.id, reason: event.name })
}

export const config: SubscriberConfig = {
  event: [
    "inventory.reservation-item.created",
    "inventory.reservation-item.updated",
    "inventory.reservation-item.deleted",
  ],
  context: { subscriberId: "marketplace-reservation-stock-push" },
}
