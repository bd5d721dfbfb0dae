import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type PruneReconciliationReportsStepInput = { connection_id: string; keep_id: string }

export const pruneReconciliationReportsStepId = "prune-marketplace-reconciliation-reports"

/**
 * Soft-deletes a connection's earlier scheduled reports so that only the latest one stays; manual reports
 * are kept.
 *
 * @example
 * pruneReconciliationReportsStep({ connection_id: "mpcon_123", keep_id: "mprec_456" })
 */
export const pruneReconciliationReportsStep = createStep(
  pruneReconciliationReportsStepId,
  async (input: PruneReconciliationReportsStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const older = await marketplace.listReconciliationReports(
      { connection_id: input.connection_id, trigger: "scheduled", id: { $ne: input.keep_id } },
      { select: ["id"] }
    )
    const ids = older.map((r) => r.id)
    if (ids.length) await marketplace.softDeleteReconciliationReports(ids)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).restoreReconciliationReports(ids)
  }
)
