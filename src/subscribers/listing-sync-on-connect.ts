import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { syncListingsWorkflow } from "../workflows/listings/workflows/sync-listings"

/** A newly (re)connected shop gets its items and models pulled and matched to variants by SKU. */
export default async function listingSyncOnConnectHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await syncListingsWorkflow(container).run({ input: { connection_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "marketplace.connection.authorized",
  context: { subscriberId: "marketplace-listing-sync-on-connect" },
}
