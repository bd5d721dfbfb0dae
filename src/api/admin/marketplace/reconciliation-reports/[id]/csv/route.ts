import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type MarketplaceModuleService from "../../../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../../../modules/marketplace/types"
import { reconciliationCsv, type ReconciliationRow } from "../../../../../../lib/reconciliation-compare"

/** GET /admin/marketplace/reconciliation-reports/:id/csv: the discrepancy rows as a CSV download. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  // Throws NOT_FOUND (404) for an unknown id.
  const report = await marketplace.retrieveReconciliationReport(req.params.id, { select: ["id", "rows"] })
  const rows = (report.rows ?? []) as unknown as ReconciliationRow[]
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="reconciliation-${report.id}.csv"`)
  res.status(200).send(reconciliationCsv(rows))
}
