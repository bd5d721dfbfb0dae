import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import { cancelOnMarketplace } from "../shipping/utils/shipping-cancel"

/**
 * Seller cancellation: cancelling a marketplace order in Medusa cancels it on the marketplace while that is still
 * allowed, with the reason (out of stock names the lines). Already cancelled there (the import applying the
 * marketplace's own cancellation) -> nothing is sent. Shipped there -> a `MedusaError` NOT_ALLOWED saying why,
 * which fails the cancellation. (The admin route is also checked before anything changes: see
 * api/admin/marketplace/shipping-middlewares.ts.)
 */
cancelOrderWorkflow.hooks.orderCanceled(async ({ order }, { container }) => {
  const outcome = await cancelOnMarketplace(container, order.id)
  if (outcome.action === "cancel") {
    await container.resolve(Modules.EVENT_BUS).emit({
      name: MarketplaceEvents.ORDER_CANCELLED_ON_MARKETPLACE,
      data: { order_id: order.id, external_order_id: outcome.input.external_order_id, reason: outcome.input.reason },
    })
  }
  return new StepResponse(outcome)
})
