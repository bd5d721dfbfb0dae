import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueTasksStep } from "../../tasks/steps/enqueue-tasks"
import { scheduleFlushStep } from "../../tasks/steps/schedule-flush"
import { resolveStockListingsStep, type ResolveStockListingsStepInput } from "../steps/resolve-stock-listings"

export type EnqueueStockPushWorkflowInput = ResolveStockListingsStepInput

export const enqueueStockPushWorkflowId = "enqueue-marketplace-stock-push"

/**
 * Turns a stock change (inventory level, reservation, manual request) into push_stock tasks, one waiting
 * task per (connection, listing) however many changes arrive, and schedules a flush a moment later.
 *
 * @example
 * await enqueueStockPushWorkflow(container).run({ input: { inventory_level_ids: ["ilev_123"] } })
 */
export const enqueueStockPushWorkflow = createWorkflow(
  enqueueStockPushWorkflowId,
  (input: EnqueueStockPushWorkflowInput) => {
    const tasks = resolveStockListingsStep(input)
    const enqueued = enqueueTasksStep({ tasks })
    scheduleFlushStep(
      transform({ enqueued }, ({ enqueued }) => ({
        delay_ms: enqueued.due_in_ms,
        reason: "stock change",
      }))
    )
    return new WorkflowResponse(enqueued)
  }
)
