import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { startSyncRunWorkflow } from "../../../../../../workflows/sync/workflows/start-sync-run"
import type { AdminStartSyncType } from "../../../sync-runs/validators"

/** POST /admin/marketplace/connections/:id/sync { from?, to? } -> 202 { sync_run } */
export const POST = async (req: AuthenticatedMedusaRequest<AdminStartSyncType>, res: MedusaResponse) => {
  const { result: sync_run } = await startSyncRunWorkflow(req.scope).run({
    input: { connection_id: req.params.id, from: req.validatedBody.from, to: req.validatedBody.to },
  })
  res.status(202).json({ sync_run })
}
