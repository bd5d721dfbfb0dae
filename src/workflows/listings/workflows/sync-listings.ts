import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { fetchShopListingsStep } from "../steps/fetch-shop-listings"
import { matchListingsStep } from "../steps/match-listings"
import { upsertListingsStep } from "../steps/upsert-listings"

export type SyncListingsWorkflowInput = { connection_id: string }

export const syncListingsWorkflowId = "sync-marketplace-listings"

/**
 * Pulls a shop's items and models and links them to variants by SKU (exact, then trimmed and case-folded);
 * unmatched and ambiguous ones are kept for the merchant to link by hand.
 *
 * @example
 * const { result } = await syncListingsWorkflow(container).run({ input: { connection_id: "mpcon_123" } })
 */
export const syncListingsWorkflow = createWorkflow(syncListingsWorkflowId, (input: SyncListingsWorkflowInput) => {
  const listings = fetchShopListingsStep({ connection_id: input.connection_id })
  const matches = matchListingsStep({ listings })
  const summary = upsertListingsStep({ connection_id: input.connection_id, listings, matches })
  return new WorkflowResponse(summary)
})
