import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { refreshAnalyticsStep } from "../steps/refresh-analytics"

export type RefreshAnalyticsWorkflowInput = {
  /** The shops whose days to compute again. */
  connection_ids: string[]
  /** UTC days, YYYY-MM-DD, both included. */
  from: string
  to: string
}

export type RefreshAnalyticsWorkflowOutput = { days: number }

export const refreshAnalyticsWorkflowId = "refresh-marketplace-analytics-days"

/**
 * Computes the analytics rollup again for every day of a range and some shops, from the order links, return
 * links, escrow and Medusa's order lines as they are now: the repair for figures that changed outside the
 * plugin's workflows (a Medusa order edited by hand), and what a merchant can run at any time without harm.
 *
 * @example
 * const { result } = await refreshAnalyticsWorkflow(container).run({
 *   input: { connection_ids: ["mpcon_123"], from: "2026-11-01", to: "2026-11-30" },
 * })
 * // result.days: 30
 */
export const refreshAnalyticsWorkflow = createWorkflow(refreshAnalyticsWorkflowId, (input: RefreshAnalyticsWorkflowInput) => {
  const keys = transform({ input }, ({ input }) => {
    const days: string[] = []
    for (let t = Date.parse(`${input.from}T00:00:00Z`); t <= Date.parse(`${input.to}T00:00:00Z`); t += 86400_000) {
      days.push(new Date(t).toISOString().slice(0, 10))
    }
    return input.connection_ids.flatMap((connection_id) => days.map((day) => ({ connection_id, day })))
  })
  const refreshed = refreshAnalyticsStep({ keys })
  return new WorkflowResponse(transform({ refreshed }, ({ refreshed }) => ({ days: refreshed.length })) as unknown as RefreshAnalyticsWorkflowOutput)
})
