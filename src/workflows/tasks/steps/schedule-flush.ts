import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DEBOUNCE, TASKS_FLUSH_EVENT } from "../../../lib/push-tasks"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type ScheduleFlushStepInput = {
  /** null or undefined: no flush needed; "debounce": after the configured flush delay. */
  delay_ms?: number | typeof DEBOUNCE | null
  reason?: string
}

export const scheduleFlushStepId = "schedule-marketplace-task-flush"

/**
 * Asks a worker to flush the outbox after a short delay (the debounce that turns a burst of changes into
 * one call). Emitted outside any workflow's event group so the delay holds on the local and the Redis event
 * bus alike. Writes nothing; a lost request is caught by the minute job.
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
    const wait =
      delay_ms === DEBOUNCE
        ? container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).settings().flushDelayMs
        : delay_ms
    const delay = Math.max(0, Math.round(wait))
    await container.resolve(Modules.EVENT_BUS).emit(
      [
        {
          name: TASKS_FLUSH_EVENT,
          data: { reason: reason ?? "change", requested_at: new Date().toISOString() },
          options: { delay },
        },
      ],
      { delay }
    )
    return new StepResponse(true)
  }
)
