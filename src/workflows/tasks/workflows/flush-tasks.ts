import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { DEBOUNCE, PUSH_KINDS } from "../../../lib/push-tasks"
import { claimTasksStep } from "../steps/claim-tasks"
import { planPushesStep } from "../steps/plan-pushes"
import { recordTaskOutcomesStep } from "../steps/record-task-outcomes"
import { requeueStaleTasksStep } from "../steps/requeue-stale-tasks"
import { scheduleFlushStep } from "../steps/schedule-flush"
import { sendPushesStep } from "../steps/send-pushes"

export type FlushTasksWorkflowInput = {
  /** Tasks to take at most (default: option flushBatchSize, 500). */
  limit?: number
}

export type FlushTasksWorkflowOutput = {
  claimed: number
  done: number
  failed: number
  dead: number
  held: number
}

export const flushTasksWorkflowId = "flush-marketplace-tasks"

/**
 * Sends every due stock and price push: claims the due tasks (safe with many workers), reads the current
 * values, sends them per connection in the platform's batch sizes, records the outcome of each task, and
 * schedules the next flush when retries are waiting or tasks were left behind.
 *
 * @example
 * const { result } = await flushTasksWorkflow(container).run({ input: {} })
 */
export const flushTasksWorkflow = createWorkflow(flushTasksWorkflowId, (input: FlushTasksWorkflowInput) => {
  requeueStaleTasksStep({ kinds: PUSH_KINDS })
  const claimInput = transform({ input }, ({ input }) => ({
    kinds: PUSH_KINDS,
    limit: input.limit,
  }))
  const claim = claimTasksStep(claimInput)
  const plan = planPushesStep({ tasks: claim.tasks })
  const sent = sendPushesStep({ pushes: plan.pushes })
  const outcomes = transform({ plan, sent }, ({ plan, sent }) => [...plan.settled, ...sent])
  const summary = recordTaskOutcomesStep({ outcomes })

  const next = transform({ claim, summary }, ({ claim, summary }) => {
    const delays = [
      summary.next_retry_in_ms,
      claim.left_behind > 0 && claim.tasks.length > 0 ? 0 : null,
    ].filter((d): d is number => d !== null)
    // Tasks left behind while nothing could be claimed (their keys are being pushed): wait the debounce.
    const delay_ms = delays.length ? Math.min(...delays) : claim.left_behind > 0 ? DEBOUNCE : null
    return { delay_ms, reason: "follow-up" }
  })
  scheduleFlushStep(next)

  return new WorkflowResponse(
    transform({ claim, summary }, ({ claim, summary }) => ({
      claimed: claim.tasks.length,
      done: summary.done,
      failed: summary.failed,
      dead: summary.dead,
      held: summary.held,
    })) as unknown as FlushTasksWorkflowOutput
  )
})
