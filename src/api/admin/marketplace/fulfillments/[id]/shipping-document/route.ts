import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { MarketplaceFulfillmentData } from "../../../../../../providers/marketplace-fulfillment/constants"
import { retrieveMarketplaceFulfillment } from "../../helpers"

/** GET /admin/marketplace/fulfillments/:id/shipping-document: the stored airway bill (PDF), to open or print. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const fulfillment = await retrieveMarketplaceFulfillment(req.scope, req.params.id)
  const document = (fulfillment.data as unknown as MarketplaceFulfillmentData | null)?.document
  if (!document) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Fulfillment ${fulfillment.id} has no shipping document yet: the marketplace has not printed it`
    )
  }
  const content = await req.scope.resolve(Modules.FILE).getAsBuffer(document.file_id)
  res.setHeader("Content-Type", document.content_type)
  res.setHeader("Content-Disposition", `inline; filename="${document.file_name.replace(/[^\w.-]/g, "_")}"`)
  res.setHeader("Content-Length", String(content.length))
  res.setHeader("X-Content-SHA256", document.sha256)
  res.status(200).send(content)
}
