import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { connectionsToRematch } from "../lib/listing-rematch"
import { syncListingsWorkflow } from "../workflows/listings/workflows/sync-listings"

/**
 * A variant created, or its SKU changed, after a shop was connected: listings of that SKU that found no
 * variant at the last sync are matched again, so orders stop importing as custom lines without anyone
 * pressing "Sync listings".
 */
export default async function listingRematchOnVariantHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const connectionId of await connectionsToRematch(container, [event.data.id])) {
    try {
      await syncListingsWorkflow(container).run({ input: { connection_id: connectionId } })
    } catch (error) {
      logger.warn(`Marketplace: matching the listings of connection ${connectionId} again failed: ${(error as Error).message}`)
    }
  }
}

export const config: SubscriberConfig = {
  event: ["product.product-variant.created", "product.product-variant.updated"],
  context: { subscriberId: "marketplace-listing-rematch-on-variant" },
}
