import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import type { MarketplaceOrder } from "../../../providers/types"
import { decimal } from "../../../lib/decimal"
import { totalMismatch } from "../utils/order-input"

export type RecordCreatedOrdersStepInput = {
  orders: MarketplaceOrder[]
  /** Link id of each external order id. */
  link_ids: Record<string, string>
  /** Medusa's total of each created order (marketplace discount included), by external order id. */
  medusa_totals: Record<string, unknown>
  /** External ids with a line on no variant. */
  unmatched: string[]
}

export const recordCreatedOrdersStepId = "record-created-marketplace-orders"

/**
 * Stores on each order link the marketplace state the batch created its order from (status, update time,
 * total) and any difference between Medusa's total and the marketplace's. From then on an equal or older
 * update time of these orders changes nothing.
 *
 * @example
 * recordCreatedOrdersStep({ orders, link_ids: { A1: "mpord_1" }, medusa_totals: { A1: "25.9" }, unmatched: [] })
 */
export const recordCreatedOrdersStep = createStep(
  recordCreatedOrdersStepId,
  async (input: RecordCreatedOrdersStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const ids = input.orders.map((o) => input.link_ids[o.external_id])
    const previous = await marketplace.listOrderLinks(
      { id: ids },
      {
        select: ["id", "external_status", "status", "external_updated_at", "total", "total_mismatch", "has_unmatched_items", "last_error"],
        take: ids.length,
      }
    )
    const unmatched = new Set(input.unmatched)
    await marketplace.updateOrderLinks(
      input.orders.map((o) => ({
        id: input.link_ids[o.external_id],
        external_status: o.external_status,
        status: o.status,
        external_updated_at: o.updated_at,
        total: decimal(o.total),
        total_mismatch: totalMismatch(input.medusa_totals[o.external_id] as string, [], o.total),
        has_unmatched_items: unmatched.has(o.external_id),
        last_error: null,
      })) as never
    )
    return new StepResponse(void 0, previous)
  },
  async (previous, { container }) => {
    if (!previous?.length) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateOrderLinks(previous as never)
  }
)
