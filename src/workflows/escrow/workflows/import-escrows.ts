import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { fetchEscrowsStep } from "../steps/fetch-escrows"
import { storeEscrowsStep } from "../steps/store-escrows"
import { markAnalyticsStaleStep } from "../../analytics/steps/mark-analytics-stale"

export type ImportEscrowsWorkflowInput = {
  connection_id: string
  /** At most one platform batch (`limits.escrow_batch`, 50 on Shopee). */
  external_order_ids: string[]
}

export const importEscrowsWorkflowId = "import-marketplace-escrows"

/**
 * Fetches one batch of escrows from the marketplace and stores them on their order links, with a history
 * row for every escrow that is new or changed.
 *
 * @example
 * const { result } = await importEscrowsWorkflow(container).run({
 *   input: { connection_id: "mpcon_123", external_order_ids: ["240101ABC", "240101ABD"] },
 * })
 */
export const importEscrowsWorkflow = createWorkflow(importEscrowsWorkflowId, (input: ImportEscrowsWorkflowInput) => {
  const escrows = fetchEscrowsStep({ connection_id: input.connection_id, external_order_ids: input.external_order_ids })
  const stored = storeEscrowsStep({ connection_id: input.connection_id, escrows })
  // Fees and payouts count on the day each order was placed: those days, marked for the analytics.
  markAnalyticsStaleStep(transform({ stored }, ({ stored }) => ({ order_link_ids: stored.changed })))
  return new WorkflowResponse(stored)
})
