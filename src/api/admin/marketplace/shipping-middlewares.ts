import { validateAndTransformBody } from "@medusajs/framework/http"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { checkMarketplaceCancellation } from "../../../workflows/shipping/utils/shipping-cancel"
import { AdminFollowUpFulfillment } from "./fulfillments/validators"

/**
 * Before Medusa cancels an order (and refunds its payment), a marketplace order is checked against the
 * marketplace's live state: once it has shipped there, the request is refused with the reason and nothing
 * changes. The cancellation itself is sent by the orderCanceled hook (workflows/hooks).
 */
async function refuseUncancellableMarketplaceOrder(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    await checkMarketplaceCancellation(req.scope, req.params.id)
    next()
  } catch (error) {
    next(error)
  }
}

/** Marketplace fulfilments (follow-up retry) and the seller-cancellation check. */
export const shippingMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/marketplace/fulfillments/:id/follow-up",
    middlewares: [validateAndTransformBody(AdminFollowUpFulfillment)],
  },
  {
    method: ["POST"],
    matcher: "/admin/orders/:id/cancel",
    middlewares: [refuseUncancellableMarketplaceOrder],
  },
]
