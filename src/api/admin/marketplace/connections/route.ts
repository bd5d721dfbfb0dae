import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import type { AdminGetConnectionsParamsType } from "./validators"

/** GET /admin/marketplace/connections: connected shops, filterable by platform and status. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetConnectionsParamsType>,
  res: MedusaResponse
) => {
  const { data: connections, metadata } = await refetchEntities({
    entity: "connection",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })

  res.json({
    connections,
    count: metadata.count,
    offset: metadata.skip,
    limit: metadata.take,
  })
}
