import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"

/** GET /admin/marketplace/reconciliation-reports: stored reports with their summaries, newest first. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { data: reconciliation_reports, metadata } = await refetchEntities({
    entity: "reconciliation_report",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ reconciliation_reports, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
