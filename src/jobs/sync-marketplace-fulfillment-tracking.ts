import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { followUpDueFulfillments } from "../orchestration/fulfillment/follow-ups"

/**
 * Every minute: marketplace fulfilments made in Medusa whose tracking number or shipping document is still
 * missing and whose next attempt is due get another try, in batches until none is due or the time budget
 * is spent (the follow-up queue's policy: backoff 30 s ... 1 h, 24 attempts; see the module options).
 */
export default async function syncMarketplaceFulfillmentTrackingJob(container: MedusaContainer) {
  const { attempted, finished } = await followUpDueFulfillments(container)
  if (!finished) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .info(`Marketplace fulfilment follow-ups: ${attempted} tried, the rest waits for the next run`)
  }
}

export const config = {
  name: "sync-marketplace-fulfillment-tracking",
  schedule: "* * * * *",
}
