import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceApiError } from "../../../providers/errors"
import type { PushResult, StockUpdate } from "../../../providers/types"
import { PUSH_STOCK } from "../../../lib/push-tasks"
import { withShopSession } from "../../../lib/shop-session"
import type { PlannedPush, TaskOutcome } from "./plan-pushes"

export type SendPushesStepInput = { pushes: PlannedPush[] }

const unitKey = (itemId: string, modelId: string) => `${itemId}:${modelId}`

function outcomeOf(push: PlannedPush, result: PushResult | undefined): TaskOutcome {
  const base = { task_id: push.task_id, kind: push.kind, attempts: push.attempts, listing_id: push.listing_id }
  const value = push.kind === PUSH_STOCK ? { quantity: push.quantity, available: push.available } : { price: push.price, previous: push.previous_price }
  if (result?.ok) {
    return {
      ...base,
      status: "done",
      result: { ...value, pushed_at: new Date().toISOString() },
      ...(push.kind === PUSH_STOCK ? { pushed_stock: push.quantity } : { pushed_price: push.price }),
    }
  }
  return {
    ...base,
    status: result?.retryable === false ? "dead" : "retry",
    error: result?.error ?? "The marketplace did not report this unit",
    result: { ...value, refused: true },
  }
}

/**
 * The stock updates of planned pushes: one per warehouse of each listing, carrying the warehouse's id; "the
 * shop" (platforms without warehouses) carries none.
 *
 * @example
 * stockUpdatesOf([{ external_item_id: "11", external_model_id: "0", quantity: 5, warehouses: [{ external_location_id: null, quantity: 5 }] }])
 * // [{ external_item_id: "11", external_model_id: "0", quantity: 5 }]
 */
export function stockUpdatesOf(
  pushes: Pick<PlannedPush, "external_item_id" | "external_model_id" | "quantity" | "warehouses">[]
): StockUpdate[] {
  return pushes.flatMap((p) =>
    (p.warehouses ?? [{ external_location_id: null, quantity: p.quantity as number }]).map((w) => ({
      external_item_id: p.external_item_id,
      external_model_id: p.external_model_id,
      quantity: w.quantity,
      ...(w.external_location_id ? { external_location_id: w.external_location_id } : {}),
    }))
  )
}

function failAll(pushes: PlannedPush[], error: unknown): TaskOutcome[] {
  const api = MarketplaceApiError.is(error) ? error : null
  const retryable = api ? api.retryable : !(error instanceof MedusaError)
  const message = error instanceof Error ? error.message : String(error)
  return pushes.map((push) => ({
    task_id: push.task_id,
    kind: push.kind,
    attempts: push.attempts,
    listing_id: push.listing_id,
    status: retryable ? "retry" : "dead",
    error: api ? `${api.kind}: ${message}` : message,
    retry_after_ms: api?.retry_after_ms ?? null,
  }))
}

export const sendPushesStepId = "send-marketplace-pushes"

/**
 * Sends the planned values, per connection and kind in one provider call (the provider splits it into the
 * platform's batches: on Shopee one item and at most 50 models per call), and turns every unit's answer
 * into an outcome: done, retry (network, rate limit, 5xx) or dead. A marketplace write cannot be undone,
 * so there is no compensation; the outcome is recorded by the next step.
 *
 * @example
 * const outcomes = sendPushesStep({ pushes })
 */
export const sendPushesStep = createStep(sendPushesStepId, async ({ pushes }: SendPushesStepInput, { container }) => {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const groups = new Map<string, PlannedPush[]>()
  for (const push of pushes) {
    const key = `${push.connection_id}|${push.kind}`
    groups.set(key, [...(groups.get(key) ?? []), push])
  }
  const outcomes: TaskOutcome[] = []
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const { connection_id, kind } = group[0]
      try {
        const results = await withShopSession(container, connection_id, (provider, session) =>
          kind === PUSH_STOCK
            ? provider.pushStock(
                session,
                stockUpdatesOf(group)
              )
            : provider.pushPrice(
                session,
                group.map((p) => ({
                  external_item_id: p.external_item_id,
                  external_model_id: p.external_model_id,
                  price: p.price as string,
                }))
              )
        )
        // A unit pushed to several warehouses has several answers: one refusal fails the unit.
        const byUnit = new Map<string, PushResult>()
        for (const r of results) {
          const key = unitKey(r.external_item_id, r.external_model_id)
          if (byUnit.get(key)?.ok !== false) byUnit.set(key, r)
        }
        outcomes.push(...group.map((p) => outcomeOf(p, byUnit.get(unitKey(p.external_item_id, p.external_model_id)))))
      } catch (error) {
        logger.warn(
          `Marketplace ${kind} push to connection ${connection_id} failed for ${group.length} listing(s): ${
            error instanceof Error ? error.message : String(error)
          }`
        )
        outcomes.push(...failAll(group, error))
      }
    })
  )
  return new StepResponse(outcomes)
})
