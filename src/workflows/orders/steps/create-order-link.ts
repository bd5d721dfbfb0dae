import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import type { MarketplaceOrder } from "../../../providers/types"
import { decimal } from "../../../lib/decimal"

export type CreateOrderLinkStepInput = {
  connection_id: string
  order: MarketplaceOrder
  has_unmatched_items: boolean
  /** An order link left by an import that died before creating its order: reuse it. */
  existing_id: string | null
}

export const createOrderLinkStepId = "create-marketplace-order-link"

/**
 * Claims the external order before the Medusa order is created. The unique (connection, external order)
 * constraint makes a concurrent second import fail here, before it can create a second order.
 *
 * @example
 * const link = createOrderLinkStep({ connection_id, order, has_unmatched_items: false, existing_id: null })
 */
export const createOrderLinkStep = createStep(
  createOrderLinkStepId,
  async (input: CreateOrderLinkStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const fields = {
      external_status: input.order.external_status,
      status: input.order.status,
      // Stored as the epoch until the order exists, so that an unfinished import is never "up to date".
      external_updated_at: new Date(0),
      external_created_at: input.order.created_at,
      currency_code: input.order.currency_code,
      channel: input.order.channel ?? null,
      total: decimal(input.order.total),
      has_unmatched_items: input.has_unmatched_items,
      last_error: null,
    }
    if (input.existing_id) {
      const updated = await marketplace.updateOrderLinks({ id: input.existing_id, ...fields })
      return new StepResponse({ id: updated.id }, null)
    }
    const created = await marketplace.createOrderLinks({
      connection_id: input.connection_id,
      external_order_id: input.order.external_id,
      ...fields,
    })
    return new StepResponse({ id: created.id }, created.id)
  },
  async (createdId, { container }) => {
    if (!createdId) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteOrderLinks(createdId)
  }
)
