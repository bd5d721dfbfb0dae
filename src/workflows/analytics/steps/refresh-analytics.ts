import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { refreshAnalyticsRollup, rollupDayOf, type RollupKey } from "../../../modules/marketplace/utils/analytics-rollup"

export type RefreshAnalyticsStepInput = {
  /** Order links that were created or changed (status, totals, escrow, returns); null and unknown ids are skipped. */
  order_link_ids?: (string | null | undefined)[]
  /** Shops and days to compute again, besides those of the order links. */
  keys?: RollupKey[]
}

export const refreshAnalyticsStepId = "refresh-marketplace-analytics"

type Knex = Parameters<typeof refreshAnalyticsRollup>[0]

async function refresh(container: { resolve: <T>(key: string) => T }, keys: RollupKey[]) {
  return refreshAnalyticsRollup(container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION), keys)
}

/**
 * Computes the analytics rollup again for the shop and UTC day of each order link given (the day the
 * marketplace placed the order), from the sources as they are now: idempotent, so a re-import, a repeated
 * event or a retry after a crash counts nothing twice. Workflows run it last, after every write of theirs.
 * Compensation computes the same days again: the rollup is derived data, only ever replaced by what its
 * sources say.
 *
 * @example
 * refreshAnalyticsStep({ order_link_ids: ["mpord_123"] })
 */
export const refreshAnalyticsStep = createStep(
  refreshAnalyticsStepId,
  async (input: RefreshAnalyticsStepInput, { container }) => {
    const ids = [...new Set((input.order_link_ids ?? []).filter((id): id is string => !!id))]
    const keys = [...(input.keys ?? [])]
    if (ids.length) {
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const links = await marketplace.listOrderLinks({ id: ids }, { select: ["id", "connection_id", "external_created_at"] })
      for (const l of links) {
        if (l.external_created_at) keys.push({ connection_id: l.connection_id, day: rollupDayOf(l.external_created_at as Date) })
      }
    }
    const refreshed = await refresh(container, keys)
    return new StepResponse(refreshed, refreshed)
  },
  async (keys, { container }) => {
    if (!keys?.length) return
    await refresh(container, keys)
  }
)
