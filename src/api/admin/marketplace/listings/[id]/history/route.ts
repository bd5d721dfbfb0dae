import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import type { AdminGetListingHistoryParamsType } from "../../validators"

/** GET /admin/marketplace/listings/:id/history: what was pushed to the shop, when, and the answer. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetListingHistoryParamsType>,
  res: MedusaResponse
) => {
  const { data: history, metadata } = await refetchEntities({
    entity: "task",
    idOrFilter: { ...req.filterableFields, listing_id: req.params.id },
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ history, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
