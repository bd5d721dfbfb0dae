import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { followUpMarketplaceFulfillmentWorkflow } from "../../workflows/shipping/workflows/follow-up-marketplace-fulfillment"

type ClaimedFollowUpRow = { id: string; fulfillment_id: string; attempts: number }

/**
 * Gives every due follow-up its attempt, batch after batch, until none is due or the follow-up queue's time
 * budget (option followUpBudgetMs) is spent; what is left waits for the next run. Due rows of the follow-up
 * queue (`marketplace_fulfillment_follow_up`) are claimed with the module's queue primitive (`FOR UPDATE SKIP
 * LOCKED`, taking over rows a dead worker left), so two runs never follow one fulfilment up at once; each
 * attempt settles its row by the queue's policy.
 *
 * @example
 * const { attempted, finished } = await followUpDueFulfillments(container)
 */
export async function followUpDueFulfillments(
  container: MedusaContainer
): Promise<{ attempted: number; failed: number; finished: boolean }> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const { followUpBudgetMs } = marketplace.settings()
  const deadline = Date.now() + followUpBudgetMs
  const summary = { attempted: 0, failed: 0, finished: true }
  for (;;) {
    // The budget is checked between batches: a claimed row is always attempted and settled.
    if (Date.now() >= deadline) {
      return { ...summary, finished: false }
    }
    const batch = await marketplace.claimQueue<ClaimedFollowUpRow>("follow_up", { columns: ["fulfillment_id", "attempts"] })
    if (!batch.length) {
      return summary
    }
    for (const row of batch) {
      summary.attempted++
      const { result } = await followUpMarketplaceFulfillmentWorkflow(container)
        .run({ input: { fulfillment_id: row.fulfillment_id, claimed: { id: row.id, attempts: row.attempts } } })
        .catch((e) => {
          logger.warn(`Tracking of marketplace fulfilment ${row.fulfillment_id} failed: ${errorMessage(e)}`)
          return { result: null }
        })
      if (!result?.done) {
        summary.failed++
      }
    }
  }
}
