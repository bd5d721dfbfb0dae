import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import { withOrderChannels } from "./order-channels"

/**
 * GET /admin/marketplace/events: the webhook inbox, filterable by status, connection, platform and type; each
 * event with the `channel` of its order (see withOrderChannels).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { data: events, metadata } = await refetchEntities({
    entity: "marketplace_event",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ events: await withOrderChannels(req.scope, events), count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
