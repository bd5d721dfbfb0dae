import { transform, type WorkflowData } from "@medusajs/framework/workflows-sdk"
import { resolvePriceListingsStep } from "../../stock/steps/resolve-price-listings"
import { resolveStockListingsStep } from "../../stock/steps/resolve-stock-listings"
import { enqueueTasksStep } from "../../tasks/steps/enqueue-tasks"
import { scheduleFlushStep } from "../../tasks/steps/schedule-flush"

export type PushLinkedListingsInput = {
  /** Listings whose stock is pushed now. */
  stock_listing_ids: string[]
  /** Listings whose price is pushed now (the newly linked ones). */
  price_listing_ids: string[]
  reason: string
}

/**
 * Composes, inside a workflow, the steps that push the stock (and the price of the newly linked) of listings
 * the merchant just changed: resolve, enqueue, schedule a flush. Called from a workflow's composition
 * function, so that every hand-made link goes out the same way.
 *
 * @example
 * const enqueued = pushLinkedListings(transform({ input }, ({ input }) => ({ stock_listing_ids: [input.id], price_listing_ids: [], reason: "listing updated" })))
 */
export function pushLinkedListings(input: WorkflowData<PushLinkedListingsInput>) {
  const stock = resolveStockListingsStep(
    transform({ input }, ({ input }) => ({ listing_ids: input.stock_listing_ids, reason: input.reason }))
  )
  const price = resolvePriceListingsStep(
    transform({ input }, ({ input }) => ({ listing_ids: input.price_listing_ids, reason: input.reason }))
  )
  const enqueued = enqueueTasksStep({ tasks: transform({ stock, price }, ({ stock, price }) => [...stock, ...price]) })
  scheduleFlushStep(
    transform({ enqueued, input }, ({ enqueued, input }) => ({
      delay_ms: enqueued.due_in_ms,
      reason: input.reason,
    }))
  )
  return enqueued
}
