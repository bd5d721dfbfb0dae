import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import {
  marketplaceFulfillmentProviderId,
  type MarketplaceFulfillmentData,
} from "../../providers/marketplace-fulfillment/constants"
import { followUpMarketplaceFulfillmentWorkflow } from "../../workflows/shipping/workflows/follow-up-marketplace-fulfillment"

type FulfillmentRow = { id: string; data: Record<string, unknown> | null; canceled_at: Date | string | null }

const isDue = (fulfillment: FulfillmentRow, now: number) => {
  if (fulfillment.canceled_at) {
    return false
  }
  const followUp = (fulfillment.data as unknown as MarketplaceFulfillmentData | null)?.follow_up
  return !!followUp && !!followUp.next_attempt_at && new Date(followUp.next_attempt_at).getTime() <= now
}

/**
 * Marketplace fulfilments whose follow-up is due now (not cancelled, attempts left), oldest first, one batch
 * at a time: `batchSize` due ids per batch, through every marketplace fulfilment (no cap on how many are
 * looked at). The follow-up state lives in the Fulfillment module's `data`, which the marketplace module
 * cannot query, so the rows are read page by page and the due ones picked here.
 */
export async function* dueFollowUpBatches(container: MedusaContainer, batchSize: number): AsyncGenerator<string[]> {
  const fulfillments = container.resolve(Modules.FULFILLMENT)
  const page = Math.max(batchSize, 500)
  let batch: string[] = []
  for (let skip = 0; ; skip += page) {
    const rows = (await fulfillments.listFulfillments(
      { provider_id: marketplaceFulfillmentProviderId() },
      { select: ["id", "data", "canceled_at", "created_at"], order: { created_at: "ASC", id: "ASC" }, take: page, skip }
    )) as unknown as FulfillmentRow[]
    const now = Date.now()
    for (const row of rows) {
      if (!isDue(row, now)) continue
      batch.push(row.id)
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
    if (rows.length < page) break
  }
  if (batch.length) yield batch
}

/**
 * Gives every due follow-up its attempt, batch after batch, until none is due or the follow-up queue's time
 * budget (option followUpBudgetMs) is spent; what is left waits for the next run. Each attempt takes the
 * fulfilment's lock and checks again that it is due, so two runs never follow one fulfilment up twice.
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
  const { batchSize } = marketplace.queuePolicy("follow_up")
  const deadline = Date.now() + followUpBudgetMs
  const summary = { attempted: 0, failed: 0, finished: true }
  for await (const batch of dueFollowUpBatches(container, batchSize)) {
    for (const id of batch) {
      if (Date.now() >= deadline) {
        return { ...summary, finished: false }
      }
      summary.attempted++
      await followUpMarketplaceFulfillmentWorkflow(container)
        .run({ input: { fulfillment_id: id } })
        .catch((e) => {
          summary.failed++
          logger.warn(`Tracking of marketplace fulfilment ${id} failed: ${errorMessage(e)}`)
        })
    }
  }
  return summary
}
