import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { createReconciliationReportWorkflow } from "../../../../../../workflows/reconciliation/workflows/create-reconciliation-report"
import { retrieveReconciliationReportQueryConfig } from "../../../reconciliation-reports/query-config"
import type { AdminReconcileType } from "../../../reconciliation-reports/validators"

/** POST /admin/marketplace/connections/:id/reconcile { from, to } -> 201 { reconciliation_report } */
export const POST = async (req: AuthenticatedMedusaRequest<AdminReconcileType>, res: MedusaResponse) => {
  const { result } = await createReconciliationReportWorkflow(req.scope).run({
    input: { connection_id: req.params.id, from: req.validatedBody.from, to: req.validatedBody.to, trigger: "manual" },
  })
  const reconciliation_report = await refetchEntity({
    entity: "reconciliation_report",
    idOrFilter: result.id,
    scope: req.scope,
    fields: retrieveReconciliationReportQueryConfig.defaults,
  })
  res.status(201).json({ reconciliation_report })
}
