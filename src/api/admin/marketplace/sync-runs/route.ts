import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"

/** GET /admin/marketplace/sync-runs: backfills and manual syncs with their progress counts. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { data: sync_runs, metadata } = await refetchEntities({
    entity: "sync_run",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ sync_runs, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
