import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../../../modules/marketplace/types"

/**
 * POST /admin/marketplace/sync-runs/:id/cancel: a pending run stops at once; a running one after the page
 * it is on (what was imported stays imported).
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const run = await marketplace.retrieveSyncRun(req.params.id)
  if (!["pending", "running"].includes(run.status)) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Sync run ${run.id} is already ${run.status}`)
  }
  const sync_run = await marketplace.updateSyncRuns({
    id: run.id,
    cancel_requested: true,
    ...(run.status === "pending" ? { status: "cancelled" as const, finished_at: new Date() } : {}),
  })
  res.json({ sync_run })
}
