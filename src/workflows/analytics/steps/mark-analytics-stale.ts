import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { rollupDayOf, type RollupKey } from "../../../modules/marketplace/utils/analytics-rollup"

export type MarkAnalyticsStaleStepInput = {
  /** Order links that were created or changed (status, totals, escrow, returns); null and unknown ids are skipped. */
  order_link_ids?: (string | null | undefined)[]
}

export const markAnalyticsStaleStepId = "mark-marketplace-analytics-stale"

/**
 * Marks the shop and UTC day of each order link given (the day the marketplace placed the order) as behind
 * in the analytics rollup: one upsert, no lock held. The day is computed again from its sources later, once
 * for all its changes (refreshStaleAnalytics: the every-minute job, and the analytics routes before they read).
 * Workflows run it last, after every write of theirs. Compensation marks the same days again: their sources
 * changed back.
 *
 * @example
 * markAnalyticsStaleStep({ order_link_ids: ["mpord_123"] })
 */
export const markAnalyticsStaleStep = createStep(
  markAnalyticsStaleStepId,
  async (input: MarkAnalyticsStaleStepInput, { container }) => {
    const ids = [...new Set((input.order_link_ids ?? []).filter((id): id is string => !!id))]
    if (!ids.length) return new StepResponse([] as RollupKey[], [] as RollupKey[])
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const links = await marketplace.listOrderLinks({ id: ids }, { select: ["id", "connection_id", "external_created_at"] })
    const keys = links
      .filter((l) => l.external_created_at)
      .map((l) => ({ connection_id: l.connection_id, day: rollupDayOf(l.external_created_at as Date) }))
    await marketplace.markAnalyticsStale(keys)
    return new StepResponse(keys, keys)
  },
  async (keys, { container }) => {
    if (!keys?.length) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).markAnalyticsStale(keys)
  }
)
