import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { requeueTaskStep } from "../steps/requeue-task"
import { scheduleFlushStep } from "../steps/schedule-flush"

export type RequeueTaskWorkflowInput = { id: string; mode: "retry" | "confirm" }

export const requeueTaskWorkflowId = "requeue-marketplace-task"

/**
 * Sends one task again now: retries a failed or dead push, or confirms a held price change.
 *
 * @example
 * await requeueTaskWorkflow(container).run({ input: { id: "mptsk_123", mode: "confirm" } })
 */
export const requeueTaskWorkflow = createWorkflow(requeueTaskWorkflowId, (input: RequeueTaskWorkflowInput) => {
  const task = requeueTaskStep(input)
  scheduleFlushStep({ delay_ms: 0, reason: "requeued by admin" })
  return new WorkflowResponse(task)
})
