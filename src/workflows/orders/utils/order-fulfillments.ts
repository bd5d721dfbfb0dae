import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

/** One of an order's fulfilments, both as the fulfillment module holds it and as the import steps read it. */
export type OrderFulfillmentRow = {
  id: string
  provider_id: string | null
  shipped_at: string | Date | null
  delivered_at: string | Date | null
  canceled_at: string | Date | null
  created_at: string | Date
  /** What the fulfillment provider stored (the marketplace fulfilment's `package_id`, among others). */
  data?: Record<string, unknown> | null
  labels?: { tracking_number: string | null; tracking_url: string | null; label_url: string | null }[] | null
  /** Per inventory item, in inventory units (a line of a variant with two inventory items has two). */
  items?: { line_item_id: string | null; inventory_item_id: string | null; quantity: number | string }[] | null
}

/**
 * An order's fulfilments that are not cancelled, with their labels and items: one query.
 *
 * @example
 * const fulfillments = await readOrderFulfillments(container, "order_123")
 */
export async function readOrderFulfillments(container: MedusaContainer, orderId: string): Promise<OrderFulfillmentRow[]> {
  const {
    data: [order],
  } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: [
      "id",
      "fulfillments.id",
      "fulfillments.provider_id",
      "fulfillments.shipped_at",
      "fulfillments.delivered_at",
      "fulfillments.canceled_at",
      "fulfillments.created_at",
      "fulfillments.data",
      "fulfillments.labels.tracking_number",
      "fulfillments.labels.tracking_url",
      "fulfillments.labels.label_url",
      "fulfillments.items.line_item_id",
      "fulfillments.items.inventory_item_id",
      "fulfillments.items.quantity",
    ],
    filters: { id: orderId },
  })
  return (((order as unknown as { fulfillments?: OrderFulfillmentRow[] } | undefined)?.fulfillments ?? []) as OrderFulfillmentRow[]).filter(
    (f) => f && !f.canceled_at
  )
}
