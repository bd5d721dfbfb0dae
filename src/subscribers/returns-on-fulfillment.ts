import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { errorMessage } from "../lib/errors"
import { importReturnsById } from "../orchestration/returns/return-sync"

/**
 * Marketplace returns recorded before their order was fulfilled in Medusa have no Medusa return (Medusa
 * only returns fulfilled items). When the order gets a fulfilment, those returns are imported again and
 * become Medusa returns; a refund already recorded is not repeated.
 */
export default async function returnsOnFulfillment({ event, container }: SubscriberArgs<{ order_id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "order_link.connection_id", "order_link.external_order_id"],
    filters: { id: event.data.order_id },
  })
  const orderLink = (data[0] as unknown as { order_link?: { connection_id: string; external_order_id: string } | null } | undefined)
    ?.order_link
  if (!orderLink) return
  // By external order id: a return seen before its order was imported has no order link yet.
  const { data: returnLinks } = await query.graph({
    entity: "return_link",
    fields: ["external_return_id", "status", "return.id"],
    filters: { connection_id: orderLink.connection_id, external_order_id: orderLink.external_order_id },
  })
  const waiting = (returnLinks as unknown as { external_return_id: string; status: string; return?: { id: string } | null }[])
    .filter((r) => !r.return?.id && r.status !== "cancelled")
    .map((r) => r.external_return_id)
  if (!waiting.length) return
  await importReturnsById(container, orderLink.connection_id, waiting).catch((e) =>
    // The next push or pull of these returns tries again.
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Re-importing marketplace returns of order ${event.data.order_id} failed: ${errorMessage(e)}`)
  )
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.FULFILLMENT_CREATED,
  context: { subscriberId: "marketplace-returns-on-fulfillment" },
}
