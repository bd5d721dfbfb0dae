import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { StockRules } from "../../../modules/marketplace/types"
import { setListingStockRulesStep } from "../steps/set-listing-stock-rules"
import { setListingVariantsStep } from "../steps/set-listing-variants"
import { validateListingLinkStep } from "../steps/validate-listing-link"
import { pushLinkedListings } from "../utils/push-linked-listings"

export type UpdateListingWorkflowInput = {
  id: string
  /** Link by hand to this variant (unmatched or ambiguous SKUs); null unlinks; undefined leaves it. */
  variant_id?: string | null
  /** This listing's own stock rules; null falls back to the connection's; undefined leaves them. */
  stock_rules?: StockRules | null
}

export const updateListingWorkflowId = "update-marketplace-listing"

/**
 * Links a listing to a variant by hand and/or sets its own stock rules, then pushes its stock (and, when
 * newly linked, its price) to the shop right away.
 *
 * @example
 * await updateListingWorkflow(container).run({ input: { id: "mplst_123", variant_id: "variant_123" } })
 */
export const updateListingWorkflow = createWorkflow(updateListingWorkflowId, (input: UpdateListingWorkflowInput) => {
  validateListingLinkStep(transform({ input }, ({ input }) => ({ id: input.id, variant_id: input.variant_id ?? null })))

  when("set-listing-variant", { input }, ({ input }) => input.variant_id !== undefined).then(() => {
    setListingVariantsStep(transform({ input }, ({ input }) => ({ links: [{ id: input.id, variant_id: input.variant_id ?? null }] })))
  })
  when("set-listing-stock-rules", { input }, ({ input }) => input.stock_rules !== undefined).then(() => {
    setListingStockRulesStep(transform({ input }, ({ input }) => ({ id: input.id, stock_rules: input.stock_rules ?? null })))
  })

  const enqueued = pushLinkedListings(
    transform({ input }, ({ input }) => ({
      stock_listing_ids: [input.id],
      price_listing_ids: input.variant_id ? [input.id] : [],
      reason: input.variant_id ? "listing linked" : "listing updated",
    }))
  )
  return new WorkflowResponse(enqueued)
})
