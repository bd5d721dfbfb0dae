import type { MedusaContainer } from "@medusajs/framework/types"
import { releaseLock, tryAcquireLock } from "../../lib/locks"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { createReconciliationReportWorkflow } from "../../workflows/reconciliation/workflows/create-reconciliation-report"

/**
 * The daily reconciliation of one connection over the last `reconciliationDays` (option) days; it
 * replaces the connection's previous scheduled report. Skipped when another process is running it.
 *
 * @example
 * const report = await runScheduledReconciliation(container, "mpcon_123")
 */
export async function runScheduledReconciliation(
  container: MedusaContainer,
  connectionId: string,
  { now = new Date() }: { now?: Date } = {}
) {
  const days = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).settings().reconciliationDays
  const lock = await tryAcquireLock(container, `marketplace:reconcile:${connectionId}`, 3600)
  if (!lock) {
    return null // another process is reconciling this connection
  }
  try {
    const { result } = await createReconciliationReportWorkflow(container).run({
      input: {
        connection_id: connectionId,
        from: new Date(now.getTime() - days * 86400_000),
        to: now,
        trigger: "scheduled",
      },
    })
    return result
  } finally {
    await releaseLock(container, lock)
  }
}
