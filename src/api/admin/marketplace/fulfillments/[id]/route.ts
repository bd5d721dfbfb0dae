import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { presentFulfillment, retrieveMarketplaceFulfillment } from "../helpers"

/** GET /admin/marketplace/fulfillments/:id: the marketplace side of a fulfilment (tracking, follow-up, document). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const fulfillment = await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  res.json({ fulfillment: await presentFulfillment(req.scope, fulfillment) })
}
