import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ApplyMarketplaceDiscountStepInput = {
  order_id: string
  /** Per marketplace line (the line item's `metadata.marketplace_line_id`). */
  discounts: { line_id: string; amount: string }[]
  /** The order's line items when the caller has them (createOrderWorkflow returns them); else they are read. */
  items?: { id: string; metadata?: Record<string, unknown> | null }[]
}

export const MARKETPLACE_DISCOUNT_CODE = "MARKETPLACE_DISCOUNT"

export const applyMarketplaceDiscountStepId = "apply-marketplace-discount"

/**
 * Records the marketplace's order-level discounts (vouchers, coins, shipping subsidies) as line item
 * adjustments, so that the Medusa order's total is what the buyer paid on the marketplace.
 *
 * @example
 * applyMarketplaceDiscountStep({ order_id: "order_123", discounts: [{ line_id: "1:0:0", amount: "2.50" }] })
 */
export const applyMarketplaceDiscountStep = createStep(
  applyMarketplaceDiscountStepId,
  async (input: ApplyMarketplaceDiscountStepInput, { container }) => {
    if (!input.discounts.length) {
      return new StepResponse([], [])
    }
    let items = input.items
    if (!items) {
      // An order adopted from an import that died: its discount may be there already.
      const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: ["id", "items.id", "items.metadata", "items.adjustments.code"],
        filters: { id: input.order_id },
      })
      const read =
        (data[0] as unknown as {
          items?: { id: string; metadata: Record<string, unknown> | null; adjustments?: { code: string | null }[] }[]
        })?.items ?? []
      if (read.some((i) => (i.adjustments ?? []).some((a) => a.code === MARKETPLACE_DISCOUNT_CODE))) {
        return new StepResponse([], [])
      }
      items = read
    }
    const itemOf = new Map(items.map((i) => [String(i.metadata?.marketplace_line_id), i.id]))
    const adjustments = input.discounts.map((d) => {
      const item_id = itemOf.get(d.line_id)
      if (!item_id) {
        throw new MedusaError(
          MedusaError.Types.UNEXPECTED_STATE,
          `Order ${input.order_id} has no line item for marketplace line ${d.line_id}`
        )
      }
      return {
        item_id,
        code: MARKETPLACE_DISCOUNT_CODE,
        amount: d.amount as unknown as number,
        description: "Discount given on the marketplace",
        is_tax_inclusive: true,
      }
    })
    const created = await container.resolve(Modules.ORDER).createOrderLineItemAdjustments(adjustments)
    const ids = created.map((a) => a.id)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    await container.resolve(Modules.ORDER).deleteOrderLineItemAdjustments(ids)
  }
)
