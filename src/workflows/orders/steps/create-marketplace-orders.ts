import type { CreateOrderDTO } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/** What the rest of the batch import needs of a created order. */
export type CreatedMarketplaceOrder = {
  id: string
  external_order_id: string
  /** Medusa's total, marketplace discount included. */
  total: string
  items: { id: string; quantity: number; variant_id: string | null }[]
}

export const createMarketplaceOrdersStepId = "create-marketplace-orders"

/**
 * Creates the batch's orders with the Order module (as Medusa's createOrdersStep does) and keeps only what
 * the following steps need: a workflow copies every step result, and 50 complete orders with their
 * relations made that copying a large share of the batch's time. Compensation deletes the orders.
 *
 * @example
 * const created = createMarketplaceOrdersStep(prepared)
 */
export const createMarketplaceOrdersStep = createStep(
  createMarketplaceOrdersStepId,
  async (input: CreateOrderDTO[], { container }) => {
    const orders = await container.resolve(Modules.ORDER).createOrders(input)
    const created: CreatedMarketplaceOrder[] = orders.map((o) => ({
      id: o.id,
      external_order_id: String(o.metadata?.marketplace_order_id),
      total: String((o as unknown as { raw_total?: { value: string } }).raw_total?.value ?? o.total),
      items: (o.items ?? []).map((i) => ({ id: i.id, quantity: Number(i.quantity), variant_id: i.variant_id ?? null })),
    }))
    return new StepResponse(created, created.map((o) => o.id))
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    await container.resolve(Modules.ORDER).deleteOrders(ids)
  }
)
