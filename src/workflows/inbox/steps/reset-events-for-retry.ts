import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type ResetEventsForRetryStepInput = {
  ids?: string[]
  status?: ("failed" | "dead")[]
  connection_id?: string
  /** Refuse (404 / 400) instead of skipping ids that are unknown or not retryable. */
  strict?: boolean
}

const RETRYABLE = ["failed", "dead"]

export const resetEventsForRetryStepId = "reset-marketplace-events-for-retry"

/**
 * Puts failed or dead inbox events back to pending with a fresh attempt budget. Compensation restores them.
 *
 * @example
 * const { ids } = resetEventsForRetryStep({ ids: ["mpevt_123"], strict: true })
 */
export const resetEventsForRetryStep = createStep(
  resetEventsForRetryStepId,
  async (input: ResetEventsForRetryStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const filters: Record<string, unknown> = { status: input.ids ? RETRYABLE : input.status ?? RETRYABLE }
    if (input.ids) filters.id = input.ids
    if (input.connection_id) filters.connection_id = input.connection_id
    const events = await marketplace.listMarketplaceEvents(filters, {
      select: ["id", "status", "attempts", "next_attempt_at", "last_error"],
      take: 1000,
    })
    if (input.strict && input.ids) {
      const found = new Set(events.map((e) => e.id))
      const missing = input.ids.filter((id) => !found.has(id))
      if (missing.length) {
        const [any] = await marketplace.listMarketplaceEvents({ id: missing }, { select: ["id", "status"] })
        throw any
          ? new MedusaError(MedusaError.Types.NOT_ALLOWED, `Event ${any.id} is ${any.status}: only failed or dead events can be retried`)
          : new MedusaError(MedusaError.Types.NOT_FOUND, `Event with id: ${missing[0]} was not found`)
      }
    }
    if (events.length) {
      await marketplace.updateMarketplaceEvents(
        events.map((e) => ({ id: e.id, status: "pending" as const, attempts: 0, next_attempt_at: null }))
      )
    }
    return new StepResponse({ ids: events.map((e) => e.id) }, events)
  },
  async (previous, { container }) => {
    if (!previous?.length) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateMarketplaceEvents(
      previous.map((e) => ({ id: e.id, status: e.status, attempts: e.attempts, next_attempt_at: e.next_attempt_at }))
    )
  }
)
