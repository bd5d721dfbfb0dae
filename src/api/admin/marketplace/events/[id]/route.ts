import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/** GET /admin/marketplace/events/:id: one delivery with its payload and last error. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const event = await refetchEntity({
    entity: "marketplace_event",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields: req.queryConfig.fields,
  })
  if (!event) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Event with id: ${req.params.id} was not found`)
  }
  res.json({ event })
}
