import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE, type StockRules } from "../../../modules/marketplace/types"

export type SetListingStockRulesStepInput = { id: string; stock_rules: StockRules | null }

export const setListingStockRulesStepId = "set-marketplace-listing-stock-rules"

/**
 * Sets a listing's own stock rules, which override the connection's field by field (null: back to the
 * connection's). Compensation restores the previous rules.
 *
 * @example
 * setListingStockRulesStep({ id: "mplst_123", stock_rules: { max: 5 } })
 */
export const setListingStockRulesStep = createStep(
  setListingStockRulesStepId,
  async ({ id, stock_rules }: SetListingStockRulesStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveListing(id, { select: ["id", "stock_rules"] })
    await marketplace.updateListings({ id, stock_rules: stock_rules as Record<string, unknown> | null })
    return new StepResponse(true, { id, stock_rules: (previous.stock_rules ?? null) as Record<string, unknown> | null })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateListings(previous)
  }
)
