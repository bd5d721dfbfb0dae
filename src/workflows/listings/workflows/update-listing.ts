import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { StockRules } from "../../../modules/marketplace/types"
import { DEBOUNCE } from "../../../lib/push-tasks"
import { resolvePriceListingsStep } from "../../stock/steps/resolve-price-listings"
import { resolveStockListingsStep } from "../../stock/steps/resolve-stock-listings"
import { enqueueTasksStep } from "../../tasks/steps/enqueue-tasks"
import { scheduleFlushStep } from "../../tasks/steps/schedule-flush"
import { setListingStockRulesStep } from "../steps/set-listing-stock-rules"
import { setListingVariantStep } from "../steps/set-listing-variant"
import { validateListingLinkStep } from "../steps/validate-listing-link"

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
    setListingVariantStep(transform({ input }, ({ input }) => ({ id: input.id, variant_id: input.variant_id ?? null })))
  })
  when("set-listing-stock-rules", { input }, ({ input }) => input.stock_rules !== undefined).then(() => {
    setListingStockRulesStep(transform({ input }, ({ input }) => ({ id: input.id, stock_rules: input.stock_rules ?? null })))
  })

  const stock = resolveStockListingsStep(
    transform({ input }, ({ input }) => ({ listing_ids: [input.id], reason: "listing updated" }))
  )
  const price = resolvePriceListingsStep(
    transform({ input }, ({ input }) => ({ listing_ids: input.variant_id ? [input.id] : [], reason: "listing linked" }))
  )
  const enqueued = enqueueTasksStep({ tasks: transform({ stock, price }, ({ stock, price }) => [...stock, ...price]) })
  scheduleFlushStep(
    transform({ enqueued }, ({ enqueued }) => ({
      delay_ms: enqueued.inserted.length ? DEBOUNCE : null,
      reason: "listing updated",
    }))
  )
  return new WorkflowResponse(enqueued)
})
