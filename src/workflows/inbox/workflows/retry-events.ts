import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { resetEventsForRetryStep, type ResetEventsForRetryStepInput } from "../steps/reset-events-for-retry"

export type RetryEventsWorkflowInput = ResetEventsForRetryStepInput

export const retryEventsWorkflowId = "retry-marketplace-events"

/**
 * Retries failed or dead inbox events now: they go back to pending and the inbox processor is woken.
 *
 * @example
 * await retryEventsWorkflow(container).run({ input: { status: ["dead"], connection_id: "mpcon_123" } })
 */
export const retryEventsWorkflow = createWorkflow(retryEventsWorkflowId, (input: RetryEventsWorkflowInput) => {
  const { ids } = resetEventsForRetryStep(input)
  when("wake-inbox", { ids }, ({ ids }) => ids.length > 0).then(() => {
    emitEventStep({ eventName: MarketplaceEvents.INBOX_RECEIVED, data: {} })
  })
  return new WorkflowResponse(transform({ ids }, ({ ids }) => ({ ids, count: ids.length })))
})
