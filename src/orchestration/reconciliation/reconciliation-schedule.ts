import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createReconciliationReportWorkflow } from "../../workflows/reconciliation/workflows/create-reconciliation-report"

/** Days a scheduled reconciliation looks back (default 7): env MARKETPLACE_RECONCILIATION_DAYS. */
export const DEFAULT_RECONCILIATION_DAYS = 7

export function reconciliationDays(): number {
  const raw = process.env.MARKETPLACE_RECONCILIATION_DAYS
  const value = Number(raw)
  return raw && Number.isFinite(value) && value > 0 ? Math.min(value, 92) : DEFAULT_RECONCILIATION_DAYS
}

/**
 * The daily reconciliation of one connection over the last `MARKETPLACE_RECONCILIATION_DAYS` days; it
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
  const locking = container.resolve(Modules.LOCKING)
  const key = `marketplace:reconcile:${connectionId}`
  try {
    await locking.acquire(key, { expire: 3600 })
  } catch {
    return null // another process is reconciling this connection
  }
  try {
    const { result } = await createReconciliationReportWorkflow(container).run({
      input: {
        connection_id: connectionId,
        from: new Date(now.getTime() - reconciliationDays() * 86400_000),
        to: now,
        trigger: "scheduled",
      },
    })
    return result
  } finally {
    await locking.release(key)
  }
}
