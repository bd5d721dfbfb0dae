import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { followUpMarketplaceFulfillmentWorkflow } from "../../../../../../workflows/shipping/workflows/follow-up-marketplace-fulfillment"
import { presentFulfillment, retrieveMarketplaceFulfillment } from "../../helpers"
import type { AdminFollowUpFulfillmentType } from "../../validators"

/**
 * POST /admin/marketplace/fulfillments/:id/follow-up: fetch the tracking number and shipping document now
 * (the retry button of a follow-up that failed or gave up).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminFollowUpFulfillmentType>, res: MedusaResponse) => {
  await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  const { result: outcome } = await followUpMarketplaceFulfillmentWorkflow(req.scope).run({
    input: { fulfillment_id: req.params.id, force: true },
  })
  const fulfillment = await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  res.json({ outcome, fulfillment: await presentFulfillment(req.scope, fulfillment) })
}
