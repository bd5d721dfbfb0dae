import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { compareMarketplaceOrdersStep } from "../steps/compare-marketplace-orders"
import { completeReconciliationReportStep } from "../steps/complete-reconciliation-report"
import { createReconciliationReportStep } from "../steps/create-reconciliation-report"
import { pruneReconciliationReportsStep } from "../steps/prune-reconciliation-reports"

export type CreateReconciliationReportWorkflowInput = {
  connection_id: string
  /** The range of marketplace update times, [from, to). */
  from: Date | string
  to: Date | string
  /** "scheduled" reports replace the connection's previous scheduled report. Default "manual". */
  trigger?: "manual" | "scheduled"
}

export const createReconciliationReportWorkflowId = "create-marketplace-reconciliation-report"

/**
 * Compares a connection's marketplace orders in a range with its order links and Medusa orders and stores
 * the result as a reconciliation report (status `failed`, with the error, when the marketplace failed).
 *
 * @example
 * const { result: report } = await createReconciliationReportWorkflow(container).run({
 *   input: { connection_id: "mpcon_123", from: "2026-11-01T00:00:00Z", to: "2026-11-08T00:00:00Z" },
 * })
 */
export const createReconciliationReportWorkflow = createWorkflow(
  createReconciliationReportWorkflowId,
  (input: CreateReconciliationReportWorkflowInput) => {
    const trigger = transform({ input }, ({ input }) => input.trigger ?? "manual")
    const report = createReconciliationReportStep({
      connection_id: input.connection_id,
      from: input.from,
      to: input.to,
      trigger,
    })
    const outcome = compareMarketplaceOrdersStep({ connection_id: input.connection_id, from: input.from, to: input.to })
    const completed = completeReconciliationReportStep({ id: report.id, outcome })
    // A failed scheduled run leaves the previous scheduled report in place.
    when({ trigger, outcome }, ({ trigger, outcome }) => trigger === "scheduled" && outcome.ok).then(() => {
      pruneReconciliationReportsStep({ connection_id: input.connection_id, keep_id: report.id })
    })
    return new WorkflowResponse(completed)
  }
)
