import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { followUpMarketplaceFulfillment } from "../../../../../../utils/shipping-follow-up"
import { presentFulfillment, retrieveMarketplaceFulfillment } from "../../helpers"
import type { AdminFollowUpFulfillmentType } from "../../validators"

/**
 * POST /admin/marketplace/fulfillments/:id/follow-up: fetch the tracking number and shipping document now
 * (the retry button of a follow-up that failed or gave up).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminFollowUpFulfillmentType>, res: MedusaResponse) => {
  await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  const outcome = await followUpMarketplaceFulfillment(req.scope, req.params.id, { force: true })
  const fulfillment = await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  res.json({ outcome, fulfillment: presentFulfillment(fulfillment) })
}
