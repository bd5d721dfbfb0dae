import type { MedusaContainer } from "@medusajs/framework/types"
import { releaseLock, tryAcquireLock } from "../../lib/locks"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import type { ConnectionSettings } from "../../modules/marketplace/types"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { withShopSession } from "../../lib/shop-session"
import { windowPages } from "../../lib/windows"
import { importFetchedReturns } from "./return-sync"

export const RETURNS_STREAM = "returns"

export type ReturnPullCounts = { seen: number; created: number; updated: number; unchanged: number; failed: number }

/** The lock that makes one process at a time pull a connection's returns. */
export const returnPullLockKey = (connectionId: string) => `marketplace:pull-returns:${connectionId}`

/**
 * Lists the returns of a connection updated in [from, to), window by window (the platform's longest list
 * window) and page by page, and imports each. Returns the counts and the earliest update time of a return
 * that failed to import (the cursor must not move past it).
 */
export async function pullReturns(
  container: MedusaContainer,
  connectionId: string,
  range: { from: Date; to: Date }
): Promise<ReturnPullCounts & { first_failure_at: Date | null }> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform"] })
  const limits = marketplace.getProvider(connection.platform).limits
  const counts = { seen: 0, created: 0, updated: 0, unchanged: 0, failed: 0, first_failure_at: null as Date | null }
  const pages = windowPages(range, limits.order_list_window_seconds, (window, pageToken) =>
    withShopSession(container, connectionId, (provider, session) =>
      provider.listReturns(session, { updated_from: window.from, updated_to: window.to, page_token: pageToken })
    )
  )
  for await (const page of pages) {
    counts.seen += page.items.length
    for (const outcome of await importFetchedReturns(container, connectionId, page.items)) {
      if (outcome.action === "create") counts.created++
      else if (outcome.action === "update") counts.updated++
      else if (outcome.action === "failed") {
        counts.failed++
        const at = outcome.updated_at ? new Date(outcome.updated_at) : null
        if (at && (!counts.first_failure_at || at < counts.first_failure_at)) counts.first_failure_at = at
      } else counts.unchanged++
    }
  }
  return counts
}

/** Whether a connection's returns are due for a pull: the connection's pull interval since the last one. */
export function isReturnPullDue(
  connection: { last_pull_at: Date | string | null; settings: unknown },
  cursor: { last_run_at: Date | string | null } | null,
  now = new Date()
): boolean {
  const minutes = (connection.settings as ConnectionSettings | null)?.pull_interval_minutes ?? 1
  // A connection never pulled for returns counts from its last order pull (a new shop starts from "now").
  const last = cursor?.last_run_at ?? connection.last_pull_at
  if (!last) return true
  return now.getTime() - new Date(last).getTime() >= minutes * 60_000 - 30_000
}

/**
 * One scheduled pull of a connection's returns: from its cursor minus the look-back overlap up to now. The
 * cursor then moves to now, or only up to the earliest return that failed. The cursor starts at the
 * connection's authorization: importing older returns is what a backfill of their orders is for. One pull
 * per connection at a time across every process (Locking module); returns null when another one runs.
 *
 * @example
 * await runScheduledReturnPull(container, "mpcon_123")
 */
export async function runScheduledReturnPull(
  container: MedusaContainer,
  connectionId: string,
  { now = new Date() }: { now?: Date } = {}
): Promise<(ReturnPullCounts & { from: Date; to: Date }) | null> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const lock = await tryAcquireLock(container, returnPullLockKey(connectionId), 900)
  if (!lock) {
    return null
  }
  try {
    const connection = await marketplace.retrieveConnection(connectionId)
    const [existing] = await marketplace.listCursors({ connection_id: connectionId, stream: RETURNS_STREAM })
    const cursor =
      existing ??
      (await marketplace.createCursors({
        connection_id: connectionId,
        stream: RETURNS_STREAM,
        position: connection.authorized_at ?? now,
      }))
    const from = new Date(new Date(cursor.position).getTime() - marketplace.getPullOverlapSeconds() * 1000)
    const { first_failure_at, ...counts } = await pullReturns(container, connectionId, { from, to: now })
    const position = first_failure_at && first_failure_at < now ? first_failure_at : now
    await marketplace.updateCursors({ id: cursor.id, position, last_run_at: new Date() })
    return { ...counts, from, to: now }
  } finally {
    await releaseLock(container, lock)
  }
}
