import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { dropHeldTaskStep } from "../steps/drop-held-task"

export type DropHeldTaskWorkflowInput = { id: string }

export const dropHeldTaskWorkflowId = "drop-held-marketplace-task"

/**
 * Drops a price change the price guard held: it is never sent and the shop keeps its price.
 *
 * @example
 * await dropHeldTaskWorkflow(container).run({ input: { id: "mptsk_123" } })
 */
export const dropHeldTaskWorkflow = createWorkflow(dropHeldTaskWorkflowId, (input: DropHeldTaskWorkflowInput) => {
  return new WorkflowResponse(dropHeldTaskStep(input))
})
