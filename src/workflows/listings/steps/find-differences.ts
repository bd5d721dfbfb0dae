import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { PUSH_PRICE, PUSH_STOCK, pushKey } from "../../../lib/push-tasks"
import { computePriceValues } from "../../stock/utils/stock-price-values"
import { computeStockValues, loadPushConnections, loadPushListings, warehouseMappings } from "../../stock/utils/stock-values"
import type { TaskToEnqueue } from "../../tasks/steps/enqueue-tasks"

export type FindDifferencesStepInput = { connection_id: string }

export type FindDifferencesStepOutput = {
  tasks: TaskToEnqueue[]
  compared: number
  stock_differences: number
  price_differences: number
  /** Why stock was not compared at all (e.g. no stock location), when so. */
  stock_skipped: string | null
}

export const findDifferencesStepId = "find-marketplace-listing-differences"

/**
 * Compares every matched listing of a shop, as the marketplace just reported it, with what Medusa says it
 * should show, and returns push tasks for the differences only. A listing whose value cannot be read gets
 * a task too, so that it fails visibly; a connection without a stock location is reported once instead.
 * Reads only.
 *
 * @example
 * const { tasks } = findDifferencesStep({ connection_id: "mpcon_123" })
 */
export const findDifferencesStep = createStep(
  findDifferencesStepId,
  async ({ connection_id }: FindDifferencesStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const output: FindDifferencesStepOutput = { tasks: [], compared: 0, stock_differences: 0, price_differences: 0, stock_skipped: null }
    const connection = (await loadPushConnections(container, [connection_id])).get(connection_id)
    if (!connection || connection.status !== "active") {
      return new StepResponse(output)
    }
    const { data } = await query.graph({ entity: "listing", fields: ["id"], filters: { connection_id, match_status: "matched" } })
    const listings = [...(await loadPushListings(container, (data as unknown as { id: string }[]).map((l) => l.id))).values()]
    output.compared = listings.length
    const task = (kind: string, listingId: string): TaskToEnqueue => ({
      kind,
      connection_id,
      listing_id: listingId,
      coalescing_key: pushKey(kind, connection_id, listingId),
      reason: "reconcile",
    })

    if (connection.settings?.sync_stock === false) {
      output.stock_skipped = "Stock sync is off for this connection"
    } else if (!warehouseMappings(connection).length) {
      output.stock_skipped = `Connection ${connection_id} has no stock location: stock not compared`
    } else {
      const values = await computeStockValues(container, connection, listings)
      for (const listing of listings) {
        const value = values.get(listing.id)
        if (!value?.ok || value.quantity !== listing.external_stock) {
          output.stock_differences++
          output.tasks.push(task(PUSH_STOCK, listing.id))
        }
      }
    }
    if (connection.settings?.sync_price !== false) {
      const values = await computePriceValues(container, connection, listings)
      for (const listing of listings) {
        const value = values.get(listing.id)
        if (!value?.ok || listing.external_price == null || Number(value.price) !== Number(listing.external_price)) {
          output.price_differences++
          output.tasks.push(task(PUSH_PRICE, listing.id))
        }
      }
    }
    return new StepResponse(output)
  }
)
