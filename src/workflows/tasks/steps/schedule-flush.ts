import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DEBOUNCE, TASKS_FLUSH_EVENT } from "../../../lib/push-tasks"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type FlushDelay = number | typeof DEBOUNCE

export type ScheduleFlushStepInput = {
  /**
   * null, undefined or an empty list: no flush needed; "debounce": after the configured flush delay; a list:
   * one flush after each (distinct) delay, e.g. the due times enqueueTasksStep reports.
   */
  delay_ms?: FlushDelay | FlushDelay[] | null
  reason?: string
}

export const scheduleFlushStepId = "schedule-marketplace-task-flush"

/**
 * Asks a worker to flush the outbox after a short delay (the debounce that turns a burst of changes into
 * one call), or after each of several delays (tasks due at different times: a quiet listing's sooner than a
 * busy one's). Emitted outside any workflow's event group so the delay holds on the local and the Redis
 * event bus alike. Writes nothing; a lost request is caught by the minute job.
 *
 * @example
 * scheduleFlushStep({ delay_ms: [250, 1000], reason: "inventory change" })
 */
export const scheduleFlushStep = createStep(
  scheduleFlushStepId,
  async ({ delay_ms, reason }: ScheduleFlushStepInput, { container }) => {
    const given = delay_ms == null ? [] : Array.isArray(delay_ms) ? delay_ms : [delay_ms]
    if (!given.length) {
      return new StepResponse(false)
    }
    const debounce = () => container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).settings().flushDelayMs
    const delays = [...new Set(given.map((d) => Math.max(0, Math.round(d === DEBOUNCE ? debounce() : d))))]
    const requested_at = new Date().toISOString()
    const eventBus = container.resolve(Modules.EVENT_BUS)
    for (const delay of delays) {
      await eventBus.emit(
        [{ name: TASKS_FLUSH_EVENT, data: { reason: reason ?? "change", requested_at }, options: { delay } }],
        { delay }
      )
    }
    return new StepResponse(true)
  }
)
