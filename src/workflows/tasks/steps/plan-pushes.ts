import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PUSH_PRICE, PUSH_STOCK } from "../../../lib/push-tasks"
import { computePriceValues } from "../../stock/utils/stock-price-values"
import { computeStockValues, loadPushConnections, loadPushListings } from "../../stock/utils/stock-values"
import type { ClaimedTask } from "./claim-tasks"

export type PlannedPush = {
  task_id: string
  kind: string
  attempts: number
  connection_id: string
  listing_id: string
  external_item_id: string
  external_model_id: string
  /** push_stock: the quantity after the stock rules; push_price: the price as a decimal string. */
  quantity?: number
  available?: number
  /** push_stock: the quantity of each warehouse (`external_location_id` null: the shop as a whole). */
  warehouses?: { external_location_id: string | null; quantity: number }[]
  price?: string
  previous_price?: string | null
}

/** What became of one task. `retry` is decided into `failed` or `dead` when recorded. */
export type TaskOutcome = {
  task_id: string
  kind: string
  attempts: number
  listing_id: string | null
  status: "done" | "retry" | "dead" | "held"
  error?: string | null
  retry_after_ms?: number | null
  result?: Record<string, unknown>
  pushed_stock?: number
  pushed_price?: string
}

export type PlanPushesStepInput = { tasks: ClaimedTask[] }
export type PlanPushesStepOutput = { pushes: PlannedPush[]; settled: TaskOutcome[] }

export const planPushesStepId = "plan-marketplace-pushes"

/**
 * Reads, at push time, the value each claimed task must send: stock after the rules, or the price in the
 * shop's currency. Settles at once what must not be sent: an ambiguous source fails visibly (the zero guard),
 * an unchanged price is done without a call, a price change over the connection's guard is held for
 * confirmation. Reads only.
 *
 * @example
 * const { pushes, settled } = planPushesStep({ tasks })
 */
export const planPushesStep = createStep(planPushesStepId, async ({ tasks }: PlanPushesStepInput, { container }) => {
  const pushes: PlannedPush[] = []
  const settled: TaskOutcome[] = []
  const settle = (task: ClaimedTask, outcome: Omit<TaskOutcome, "task_id" | "kind" | "attempts" | "listing_id">) =>
    settled.push({ task_id: task.id, kind: task.kind, attempts: task.attempts, listing_id: task.listing_id, ...outcome })

  const listings = await loadPushListings(container, tasks.map((t) => t.listing_id).filter((id): id is string => !!id))
  const connections = await loadPushConnections(container, [...new Set(tasks.map((t) => t.connection_id))])

  const byConnection = new Map<string, ClaimedTask[]>()
  for (const task of tasks) {
    byConnection.set(task.connection_id, [...(byConnection.get(task.connection_id) ?? []), task])
  }

  for (const [connectionId, group] of byConnection) {
    const connection = connections.get(connectionId)
    const valid: ClaimedTask[] = []
    for (const task of group) {
      const listing = task.listing_id ? listings.get(task.listing_id) : undefined
      if (!connection) {
        settle(task, { status: "dead", error: `Connection ${connectionId} was not found` })
      } else if (connection.status === "disabled") {
        settle(task, { status: "done", result: { skipped: `Connection ${connectionId} is disabled` } })
      } else if (connection.status !== "active") {
        settle(task, { status: "dead", error: `Connection ${connectionId} needs re-authorization: nothing pushed` })
      } else if (!listing) {
        settle(task, { status: "dead", error: `Listing ${task.listing_id} was not found` })
      } else if (task.kind === PUSH_STOCK && connection.settings?.sync_stock === false) {
        settle(task, { status: "done", result: { skipped: "Stock sync is off for this connection" } })
      } else if (task.kind === PUSH_PRICE && connection.settings?.sync_price === false) {
        settle(task, { status: "done", result: { skipped: "Price sync is off for this connection" } })
      } else if (task.kind !== PUSH_STOCK && task.kind !== PUSH_PRICE) {
        settle(task, { status: "dead", error: `Unknown task kind ${task.kind}` })
      } else {
        valid.push(task)
      }
    }
    if (!connection || !valid.length) {
      continue
    }

    const stockTasks = valid.filter((t) => t.kind === PUSH_STOCK)
    const priceTasks = valid.filter((t) => t.kind === PUSH_PRICE)
    const listingsOf = (ts: ClaimedTask[]) => ts.map((t) => listings.get(t.listing_id as string)!)
    const stockValues = stockTasks.length ? await computeStockValues(container, connection, listingsOf(stockTasks)) : new Map()
    const priceValues = priceTasks.length ? await computePriceValues(container, connection, listingsOf(priceTasks)) : new Map()

    for (const task of stockTasks) {
      const listing = listings.get(task.listing_id as string)!
      const value = stockValues.get(listing.id)
      if (!value?.ok) {
        settle(task, { status: "dead", error: value?.error ?? `No stock value for listing ${listing.id}` })
        continue
      }
      pushes.push({
        task_id: task.id,
        kind: task.kind,
        attempts: task.attempts,
        connection_id: connectionId,
        listing_id: listing.id,
        external_item_id: listing.external_item_id,
        external_model_id: listing.external_model_id,
        quantity: value.quantity,
        available: value.available,
        warehouses: value.warehouses.map((w: { external_location_id: string | null; quantity: number }) => ({
          external_location_id: w.external_location_id,
          quantity: w.quantity,
        })),
      })
    }

    for (const task of priceTasks) {
      const listing = listings.get(task.listing_id as string)!
      const value = priceValues.get(listing.id)
      if (!value?.ok) {
        settle(task, { status: "dead", error: value?.error ?? `No price for listing ${listing.id}` })
        continue
      }
      const confirmed = task.payload?.confirmed_price
      // A reconcile found the shop showing something else: send even when it equals what we last sent.
      const reasons = Array.isArray(task.payload?.reasons) ? (task.payload?.reasons as unknown[]) : []
      const force = confirmed !== undefined || reasons.includes("reconcile")
      if (value.previous !== null && Number(value.previous) === Number(value.price) && !force) {
        settle(task, { status: "done", result: { unchanged: true, price: value.price } })
        continue
      }
      if (value.change !== null && value.change > value.guard && confirmed !== value.price) {
        settle(task, {
          status: "held",
          error: `Price change of ${Math.round(value.change * 100)}% (${value.previous} -> ${value.price}) is over the ${Math.round(
            value.guard * 100
          )}% guard: confirm it to push`,
          result: { price: value.price, previous: value.previous, change: value.change, guard: value.guard },
        })
        continue
      }
      pushes.push({
        task_id: task.id,
        kind: task.kind,
        attempts: task.attempts,
        connection_id: connectionId,
        listing_id: listing.id,
        external_item_id: listing.external_item_id,
        external_model_id: listing.external_model_id,
        price: value.price,
        previous_price: value.previous,
      })
    }
  }
  return new StepResponse<PlanPushesStepOutput>({ pushes, settled })
})
