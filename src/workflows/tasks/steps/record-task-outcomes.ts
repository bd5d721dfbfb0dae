import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { retryDelay } from "../../../modules/marketplace/queue"
import type { TaskOutcome } from "./plan-pushes"

export type RecordTaskOutcomesStepInput = { outcomes: TaskOutcome[] }

export type RecordTaskOutcomesStepOutput = {
  done: number
  failed: number
  dead: number
  held: number
  /** When the earliest retry is due, from now; null when nothing will be retried. */
  next_retry_in_ms: number | null
}

type TaskSnapshot = {
  id: string
  status: "pending" | "processing" | "done" | "failed" | "dead" | "held"
  next_attempt_at: Date | null
  completed_at: Date | null
  last_error: string | null
  result: Record<string, unknown> | null
}
type ListingSnapshot = {
  id: string
  last_pushed_stock: number | null
  last_pushed_price: number | null
  last_pushed_at: Date | null
}

export const recordTaskOutcomesStepId = "record-marketplace-task-outcomes"

/**
 * Writes what became of each task (the push history): done with the value sent, failed with the next
 * attempt after an exponential backoff, dead after the last attempt or on a final error, held for a price
 * confirmation; and stamps the listings with what they last received. Compensation restores both.
 *
 * @example
 * const summary = recordTaskOutcomesStep({ outcomes })
 */
export const recordTaskOutcomesStep = createStep(
  recordTaskOutcomesStepId,
  async ({ outcomes }: RecordTaskOutcomesStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const summary: RecordTaskOutcomesStepOutput = { done: 0, failed: 0, dead: 0, held: 0, next_retry_in_ms: null }
    if (!outcomes.length) {
      return new StepResponse(summary, { tasks: [] as TaskSnapshot[], listings: [] as ListingSnapshot[] })
    }
    // The outbox queue's policy: attempts and exponential backoff with jitter (options taskMaxAttempts,
    // taskRetryBaseMs, taskRetryMaxMs); a platform's Retry-After wins when it asks for longer.
    const policy = marketplace.queuePolicy("task")
    const now = new Date()

    const previousTasks = (await marketplace.listTasks(
      { id: outcomes.map((o) => o.task_id) },
      { select: ["id", "status", "next_attempt_at", "completed_at", "last_error", "result"] }
    )) as unknown as TaskSnapshot[]
    const pushedListingIds = outcomes
      .filter((o) => o.listing_id && (o.pushed_stock !== undefined || o.pushed_price !== undefined))
      .map((o) => o.listing_id as string)
    const previousListings = (pushedListingIds.length
      ? await marketplace.listListings(
          { id: pushedListingIds },
          { select: ["id", "last_pushed_stock", "last_pushed_price", "last_pushed_at"] }
        )
      : []) as unknown as ListingSnapshot[]

    const taskUpdates = outcomes.map((o) => {
      const at = now.toISOString()
      const delay = o.status === "retry" ? retryDelay(policy, o.attempts, o.retry_after_ms) : null
      if (o.status === "retry" && delay !== null) {
        summary.failed++
        summary.next_retry_in_ms = Math.min(summary.next_retry_in_ms ?? delay, delay)
        return {
          id: o.task_id,
          status: "failed" as const,
          next_attempt_at: new Date(now.getTime() + delay),
          last_error: o.error ?? null,
          result: { ...(o.result ?? {}), failed_at: at },
        }
      }
      if (o.status === "retry" || o.status === "dead") {
        summary.dead++
        const error = o.status === "retry" ? `Gave up after ${o.attempts} attempts: ${o.error}` : o.error
        return { id: o.task_id, status: "dead" as const, completed_at: now, last_error: error ?? null, result: { ...(o.result ?? {}), failed_at: at } }
      }
      if (o.status === "held") {
        summary.held++
        return { id: o.task_id, status: "held" as const, last_error: o.error ?? null, result: { ...(o.result ?? {}), held_at: at } }
      }
      summary.done++
      return { id: o.task_id, status: "done" as const, completed_at: now, last_error: null, result: o.result ?? {} }
    })
    await marketplace.updateTasks(taskUpdates)

    const listingUpdates = new Map<string, { id: string; last_pushed_stock?: number; last_pushed_price?: number; last_pushed_at: Date }>()
    for (const o of outcomes) {
      if (!o.listing_id || (o.pushed_stock === undefined && o.pushed_price === undefined)) {
        continue
      }
      const update = listingUpdates.get(o.listing_id) ?? { id: o.listing_id, last_pushed_at: now }
      if (o.pushed_stock !== undefined) {
        update.last_pushed_stock = o.pushed_stock
      }
      if (o.pushed_price !== undefined) {
        update.last_pushed_price = Number(o.pushed_price)
      }
      listingUpdates.set(o.listing_id, update)
    }
    if (listingUpdates.size) {
      await marketplace.updateListings([...listingUpdates.values()])
    }
    return new StepResponse(summary, { tasks: previousTasks, listings: previousListings })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    if (previous.tasks.length) {
      await marketplace.updateTasks(previous.tasks)
    }
    if (previous.listings.length) {
      await marketplace.updateListings(previous.listings)
    }
  }
)
