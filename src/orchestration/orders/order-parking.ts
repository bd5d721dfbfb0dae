import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { settleOutcomes } from "../../modules/marketplace/queue"
import type { OrderImportOutcome } from "./order-sync"

/**
 * Parks the orders a pull could not import, so that the pull's cursor can move past them: each becomes an
 * inbox event of its order, already `failed` with the import's error and due for its first retry. The inbox
 * retries it on its own schedule (then `dead`), the monitor lists it among the failures with its retry
 * button, and one bad order no longer holds back every later one. The same order failing again at the same
 * update time is parked once (the inbox's idempotency key).
 *
 * @example
 * await parkFailedOrders(container, "mpcon_123", outcomes.filter((o) => o.action === "failed"))
 */
export async function parkFailedOrders(
  container: MedusaContainer,
  connectionId: string,
  failures: OrderImportOutcome[]
): Promise<number> {
  if (!failures.length) {
    return 0
  }
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const { platform } = await marketplace.retrieveConnection(connectionId, { select: ["platform"] })
  const ids = await marketplace.recordInboxEventsBulk(
    failures.map((f) => ({
      platform,
      idempotency_key: `parked:${connectionId}:${f.external_order_id}:${f.updated_at ? new Date(f.updated_at).getTime() : "unknown"}`,
      connection_id: connectionId,
      external_shop_id: null,
      type: "order.status_changed",
      external_type: "pull",
      external_order_id: f.external_order_id,
      external_return_id: null,
      order_updated_at: null,
      status: "pending" as const,
      last_error: f.error,
      payload: { parked_by: "pull" },
      raw_body: null,
    }))
  )
  const parked = ids
    .map((id, i) => (id ? { id, ok: false as const, attempts: 1, error: failures[i].error ?? "Import failed" } : null))
    .filter((p): p is NonNullable<typeof p> => !!p)
  if (parked.length) {
    const settled = settleOutcomes(marketplace.queuePolicy("event"), parked)
    await marketplace.updateMarketplaceEvents(
      settled.map((s) => ({
        id: s.id,
        attempts: 1,
        status: s.status,
        next_attempt_at: s.status === "done" ? null : s.next_attempt_at,
        // (A parked failure is never a requeue: it carries its error.)
        last_error: s.status === "done" ? null : "last_error" in s ? s.last_error : null,
      }))
    )
  }
  return parked.length
}
