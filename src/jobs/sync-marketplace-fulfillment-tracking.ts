import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../lib/errors"
import { listDueFollowUps } from "../orchestration/fulfillment/follow-ups"
import { followUpMarketplaceFulfillmentWorkflow } from "../workflows/shipping/workflows/follow-up-marketplace-fulfillment"

/**
 * Every minute: marketplace fulfilments made in Medusa whose tracking number or shipping document is still
 * missing and whose next attempt is due get another try (backoff 30 s ... 1 h, see shipping-follow-up).
 */
export default async function syncMarketplaceFulfillmentTrackingJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const id of await listDueFollowUps(container)) {
    await followUpMarketplaceFulfillmentWorkflow(container)
      .run({ input: { fulfillment_id: id } })
      .catch((e) => logger.warn(`Tracking of marketplace fulfilment ${id} failed: ${errorMessage(e)}`))
  }
}

export const config = {
  name: "sync-marketplace-fulfillment-tracking",
  schedule: "* * * * *",
}
