import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/** GET /admin/marketplace/reconciliation-reports/:id: one report with its discrepancy rows. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const reconciliation_report = await refetchEntity({
    entity: "reconciliation_report",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields: req.queryConfig.fields,
  })
  if (!reconciliation_report) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Reconciliation report with id: ${req.params.id} was not found`
    )
  }
  res.json({ reconciliation_report })
}
