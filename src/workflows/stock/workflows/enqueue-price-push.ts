import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueTasksStep } from "../../tasks/steps/enqueue-tasks"
import { scheduleFlushStep } from "../../tasks/steps/schedule-flush"
import { resolvePriceListingsStep, type ResolvePriceListingsStepInput } from "../steps/resolve-price-listings"

export type EnqueuePricePushWorkflowInput = ResolvePriceListingsStepInput

export const enqueuePricePushWorkflowId = "enqueue-marketplace-price-push"

/**
 * Turns a price change (price created or updated, variant updated, manual request) into push_price tasks,
 * one waiting task per (connection, listing), and schedules a flush a moment later.
 *
 * @example
 * await enqueuePricePushWorkflow(container).run({ input: { variant_ids: ["variant_123"] } })
 */
export const enqueuePricePushWorkflow = createWorkflow(
  enqueuePricePushWorkflowId,
  (input: EnqueuePricePushWorkflowInput) => {
    const tasks = resolvePriceListingsStep(input)
    const enqueued = enqueueTasksStep({ tasks })
    scheduleFlushStep(
      transform({ enqueued }, ({ enqueued }) => ({
        delay_ms: enqueued.due_in_ms,
        reason: "price change",
      }))
    )
    return new WorkflowResponse(enqueued)
  }
)
