import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { withOrderChannels } from "../order-channels"

/** GET /admin/marketplace/events/:id: one delivery with its payload, last error and its order's `channel`. */
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
  const [withChannel] = await withOrderChannels(req.scope, [event])
  res.json({ event: withChannel })
}
