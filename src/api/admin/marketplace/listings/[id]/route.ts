import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { updateListingWorkflow } from "../../../../../workflows/listings/workflows/update-listing"
import type { AdminUpdateListingType } from "../validators"

async function fetchListing(req: AuthenticatedMedusaRequest<unknown>) {
  const listing = await refetchEntity({
    entity: "listing",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields: req.queryConfig.fields,
  })
  if (!listing) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Listing with id: ${req.params.id} was not found`)
  }
  return listing
}

/** GET /admin/marketplace/listings/:id */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ listing: await fetchListing(req) })
}

/** POST /admin/marketplace/listings/:id: link to a variant by hand, and/or set the listing's stock rules. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminUpdateListingType>, res: MedusaResponse) => {
  await updateListingWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({ listing: await fetchListing(req) })
}
