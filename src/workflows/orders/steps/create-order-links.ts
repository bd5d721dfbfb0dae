import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import type { MarketplaceOrder } from "../../../providers/types"
import { decimal } from "../../../lib/decimal"

export type CreateOrderLinksStepInput = {
  connection_id: string
  orders: { order: MarketplaceOrder; has_unmatched_items: boolean }[]
  /** Links left by imports that died before creating their order, by external id: reused. */
  existing_link_ids: Record<string, string>
}

export const createOrderLinksStepId = "create-marketplace-order-links"

const linkFields = (order: MarketplaceOrder, hasUnmatched: boolean) => ({
  external_status: order.external_status,
  status: order.status,
  // Set to the marketplace's update time only once the order exists (recordCreatedOrdersStep).
  external_updated_at: new Date(0),
  external_created_at: order.created_at,
  currency_code: order.currency_code,
  channel: order.channel ?? null,
  total: decimal(order.total),
  has_unmatched_items: hasUnmatched,
  last_error: null,
})

/**
 * {@link createOrderLinkStep} for a batch: one insert for the new links. The unique (connection, external
 * order id) index stops a second import of the same order here, before any Medusa order exists.
 *
 * Returns the link id of each external order id.
 *
 * @example
 * const ids = createOrderLinksStep({ connection_id: "mpcon_123", orders: [{ order, has_unmatched_items: false }], existing_link_ids: {} })
 */
export const createOrderLinksStep = createStep(
  createOrderLinksStepId,
  async (input: CreateOrderLinksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const ids: Record<string, string> = {}
    const reused = input.orders.filter((o) => input.existing_link_ids[o.order.external_id])
    if (reused.length) {
      await marketplace.updateOrderLinks(
        reused.map((o) => ({ id: input.existing_link_ids[o.order.external_id], ...linkFields(o.order, o.has_unmatched_items) }))
      )
      for (const o of reused) ids[o.order.external_id] = input.existing_link_ids[o.order.external_id]
    }
    const fresh = input.orders.filter((o) => !input.existing_link_ids[o.order.external_id])
    const created = fresh.length
      ? await marketplace.createOrderLinks(
          fresh.map((o) => ({
            connection_id: input.connection_id,
            external_order_id: o.order.external_id,
            ...linkFields(o.order, o.has_unmatched_items),
          }))
        )
      : []
    for (const link of created) ids[link.external_order_id] = link.id
    return new StepResponse(ids, created.map((l) => l.id))
  },
  async (createdIds, { container }) => {
    if (!createdIds?.length) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteOrderLinks(createdIds)
  }
)
