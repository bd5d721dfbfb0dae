import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import { connectionCounts, startOfUtcDay } from "../stats/aggregates"
import type { AdminGetConnectionsParamsType } from "./validators"

/**
 * GET /admin/marketplace/connections: connected shops, filterable by platform and status. Each row also has
 * `orders_today` (orders imported since `today_from`, UTC midnight by default) and `failures` (inbox events
 * and outbox tasks failed or dead now: `failed_events` + `failed_tasks`), counted in grouped queries.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetConnectionsParamsType>,
  res: MedusaResponse
) => {
  const { today_from, ...filters } = req.filterableFields as Record<string, unknown>
  const { data: connections, metadata } = await refetchEntities({
    entity: "connection",
    idOrFilter: filters,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  const counts = await connectionCounts(
    req.scope,
    connections.map((c: { id: string }) => c.id),
    (today_from as Date | undefined) ?? startOfUtcDay()
  )

  res.json({
    connections: connections.map((c: { id: string }) => ({ ...c, ...counts.get(c.id) })),
    count: metadata.count,
    offset: metadata.skip,
    limit: metadata.take,
  })
}
