import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"

/** GET /admin/marketplace/returns: marketplace returns / refunds and the Medusa returns they became. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { data: returns, metadata } = await refetchEntities({
    entity: "return_link",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ returns, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
