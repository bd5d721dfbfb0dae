import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { linkListingsBySkuWorkflow } from "../../../../../../../workflows/listings/workflows/link-listings-by-sku"
import type { AdminLinkListingsBySkuType } from "../../../../listings/validators"

/** POST /admin/marketplace/connections/:id/listings/link: link many listings to variants by SKU, all or nothing. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminLinkListingsBySkuType>, res: MedusaResponse) => {
  const { result } = await linkListingsBySkuWorkflow(req.scope).run({
    input: { connection_id: req.params.id, links: req.validatedBody.links },
  })
  res.json({ listings: result, count: result.length })
}
