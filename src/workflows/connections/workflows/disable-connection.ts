import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateConnectionStep } from "../steps/update-connection"

export type DisableConnectionWorkflowInput = { id: string }

export const disableConnectionWorkflowId = "disable-marketplace-connection"

/**
 * Disables a connection: nothing is pulled or pushed for it any more; its orders, links and history stay.
 *
 * @example
 * await disableConnectionWorkflow(container).run({ input: { id: "mpcon_123" } })
 */
export const disableConnectionWorkflow = createWorkflow(
  disableConnectionWorkflowId,
  (input: DisableConnectionWorkflowInput) => {
    const update = transform({ input }, ({ input }) => ({ id: input.id, status: "disabled" as const }))
    return new WorkflowResponse(updateConnectionStep(update))
  }
)
