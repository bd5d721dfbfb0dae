import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import type { AdminGetListingsParamsType } from "./validators"

/** GET /admin/marketplace/listings: the shops' items and models, e.g. `?status=unmatched` to link by hand. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetListingsParamsType>, res: MedusaResponse) => {
  const { status, ...filters } = req.filterableFields as Record<string, unknown>
  const { data: listings, metadata } = await refetchEntities({
    entity: "listing",
    idOrFilter: { ...filters, ...(status ? { match_status: status } : {}) },
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ listings, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
