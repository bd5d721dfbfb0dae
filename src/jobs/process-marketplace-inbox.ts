import type { MedusaContainer } from "@medusajs/framework/types"
import { processInboxEvents } from "../utils/inbox-processor"

/**
 * The inbox's safety net: retries failed events when due, takes over events a dead worker left in
 * `processing`, and anything whose wake-up event was lost.
 */
export default async function processMarketplaceInboxJob(container: MedusaContainer) {
  await processInboxEvents(container)
}

export const config = {
  name: "process-marketplace-inbox",
  schedule: "* * * * *",
}
