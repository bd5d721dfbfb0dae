import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, Modules, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { MarketplaceEvents } from "../modules/marketplace/events"
import { marketplaceFulfillmentProviderId, type MarketplaceFulfillmentData } from "../providers/marketplace-fulfillment/constants"
import { followUpMarketplaceFulfillmentWorkflow } from "../workflows/shipping/workflows/follow-up-marketplace-fulfillment"
import { errorMessage } from "../lib/errors"

/**
 * A fulfilment the merchant made in Medusa for a marketplace order was arranged on the marketplace: announce
 * it, then try at once for its tracking number and shipping document (the scheduled job retries with backoff).
 */
export default async function marketplaceFulfillmentFollowUp({
  event,
  container,
}: SubscriberArgs<{ order_id: string; fulfillment_id: string }>) {
  const fulfillment = await container
    .resolve(Modules.FULFILLMENT)
    .retrieveFulfillment(event.data.fulfillment_id, { select: ["id", "provider_id", "data"] })
    .catch(() => null)
  const data = fulfillment?.data as unknown as MarketplaceFulfillmentData | null
  if (!fulfillment || fulfillment.provider_id !== marketplaceFulfillmentProviderId() || data?.origin !== "medusa") {
    return
  }
  await container.resolve(Modules.EVENT_BUS).emit({
    name: MarketplaceEvents.FULFILLMENT_ARRANGED,
    data: { id: fulfillment.id, order_id: event.data.order_id, external_order_id: data.external_order_id },
  })
  await followUpMarketplaceFulfillmentWorkflow(container)
    .run({ input: { fulfillment_id: fulfillment.id, force: true } })
    .catch((e) =>
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`Tracking of marketplace fulfilment ${fulfillment.id} failed, retried later: ${errorMessage(e)}`)
    )
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.FULFILLMENT_CREATED,
  context: { subscriberId: "marketplace-fulfillment-follow-up" },
}
