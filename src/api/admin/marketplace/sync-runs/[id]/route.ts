import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/** GET /admin/marketplace/sync-runs/:id: live progress of one run. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const sync_run = await refetchEntity({
    entity: "sync_run",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields: req.queryConfig.fields,
  })
  if (!sync_run) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Sync run with id: ${req.params.id} was not found`)
  }
  res.json({ sync_run })
}
