import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueTasksStep } from "../../tasks/steps/enqueue-tasks"
import { scheduleFlushStep } from "../../tasks/steps/schedule-flush"
import { fetchShopListingsStep } from "../steps/fetch-shop-listings"
import { findDifferencesStep } from "../steps/find-differences"
import { matchListingsStep } from "../steps/match-listings"
import { upsertListingsStep } from "../steps/upsert-listings"

export type ReconcileListingsWorkflowInput = { connection_id: string }

export const reconcileListingsWorkflowId = "reconcile-marketplace-listings"

/**
 * The full comparison: refreshes a shop's listings (what it shows, and SKU matches), compares each matched
 * one with Medusa's stock (after the rules) and price, and pushes only the differences.
 *
 * @example
 * const { result } = await reconcileListingsWorkflow(container).run({ input: { connection_id: "mpcon_123" } })
 */
export const reconcileListingsWorkflow = createWorkflow(
  reconcileListingsWorkflowId,
  (input: ReconcileListingsWorkflowInput) => {
    const listings = fetchShopListingsStep({ connection_id: input.connection_id })
    const matches = matchListingsStep({ listings })
    const listingSummary = upsertListingsStep({ connection_id: input.connection_id, listings, matches })
    const differences = findDifferencesStep({ connection_id: input.connection_id })
    const enqueued = enqueueTasksStep({ tasks: differences.tasks })
    scheduleFlushStep(
      transform({ enqueued }, ({ enqueued }) => ({
        delay_ms: enqueued.due_in_ms,
        reason: "reconcile",
      }))
    )
    return new WorkflowResponse(
      transform({ listingSummary, differences, enqueued }, ({ listingSummary, differences, enqueued }) => ({
        listings: listingSummary,
        compared: differences.compared,
        stock_differences: differences.stock_differences,
        price_differences: differences.price_differences,
        stock_skipped: differences.stock_skipped,
        enqueued: enqueued.inserted.length + enqueued.coalesced.length,
      }))
    )
  }
)
