import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { scheduleTaskFlush } from "../../../lib/push-tasks"

export type ScheduleFlushStepInput = {
  /** null or undefined: no flush needed. */
  delay_ms?: number | null
  reason?: string
}

export const scheduleFlushStepId = "schedule-marketplace-task-flush"

/**
 * Asks a worker to flush the outbox after a short delay (the debounce that turns a burst of changes into
 * one call). Writes nothing; a lost request is caught by the minute job.
 *
 * @example
 * scheduleFlushStep({ delay_ms: 1000, reason: "inventory change" })
 */
export const scheduleFlushStep = createStep(
  scheduleFlushStepId,
  async ({ delay_ms, reason }: ScheduleFlushStepInput, { container }) => {
    if (delay_ms == null) {
      return new StepResponse(false)
    }
    await scheduleTaskFlush(container, delay_ms, reason)
    return new StepResponse(true)
  }
)
