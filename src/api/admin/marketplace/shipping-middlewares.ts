import { validateAndTransformBody } from "@medusajs/framework/http"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { checkMarketplaceFulfillmentPossible } from "../../../lib/fulfillment-registration"
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

/** A marketplace order Medusa cannot fulfil answers 400 with what to configure, not Medusa's 500. */
async function refuseUnfulfillableMarketplaceOrder(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const body = (req.body ?? {}) as { shipping_option_id?: unknown }
    await checkMarketplaceFulfillmentPossible(
      req.scope,
      req.params.id,
      typeof body.shipping_option_id === "string" ? body.shipping_option_id : undefined
    )
    next()
  } catch (error) {
    next(error)
  }
}

/** Marketplace fulfilments (follow-up retry), the fulfilment precondition and the seller-cancellation check. */
export const shippingMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/marketplace/fulfillments/:id/follow-up",
    middlewares: [validateAndTransformBody(AdminFollowUpFulfillment)],
  },
  {
    method: ["POST"],
    matcher: "/admin/orders/:id/fulfillments",
    middlewares: [refuseUnfulfillableMarketplaceOrder],
  },
  {
    method: ["POST"],
    matcher: "/admin/orders/:id/cancel",
    middlewares: [refuseUncancellableMarketplaceOrder],
  },
]
