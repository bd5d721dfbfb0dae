import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { enqueueStockChange } from "../orchestration/stock/stock-changes"

/**
 * Any change of an inventory level (stock received, adjusted, reserved or released by any order, Medusa's
 * own or imported from a shop) becomes a stock push to every shop selling that variant from that location.
 * Changes arriving together share one enqueueStockPushWorkflow run (enqueueStockChange).
 */
export default async function inventoryStockPushHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await enqueueStockChange(container, { inventory_level_id: event.data.id, reason: event.name })
}

export const config: SubscriberConfig = {
  event: ["inventory.inventory-level.created", "inventory.inventory-level.updated"],
  context: { subscriberId: "marketplace-inventory-stock-push" },
}
