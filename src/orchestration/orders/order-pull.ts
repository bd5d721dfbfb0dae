import type { MedusaContainer } from "@medusajs/framework/types"
import { releaseLock, tryAcquireLock } from "../../lib/locks"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { ConnectionSettings } from "../../modules/marketplace/types"
import { withShopSession } from "../../lib/shop-session"
import { windowPages } from "../../lib/windows"
import { parkFailedOrders } from "./order-parking"
import { importOrdersById, OrderImportBatch, type OrderImportOutcome } from "./order-sync"

export type PullCounts = {
  seen: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  failed: number
}

const emptyCounts = (): PullCounts => ({ seen: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 })

export function addOutcomes(counts: PullCounts, outcomes: OrderImportOutcome[]): PullCounts {
  for (const o of outcomes) {
    if (o.action === "create") counts.created++
    else if (o.action === "update") counts.updated++
    else if (o.action === "unchanged") counts.unchanged++
    else if (o.action === "failed") counts.failed++
    else counts.skipped++
  }
  return counts
}

export type PullProgress = {
  /** Everything updated before this instant has been handled (the resume point). */
  done_until: Date
  counts: PullCounts
  /** Orders that failed to import, parked in the inbox for retries (parkFailedOrders). */
  parked: number
}

/**
 * Lists the orders of a connection updated in [from, to), window by window and page by page, and imports
 * them in the largest detail batches the platform allows. `onPage` is told the progress after each page and
 * may stop the pull by returning false (a cancelled backfill).
 */
export async function pullOrders(
  container: MedusaContainer,
  connectionId: string,
  range: { from: Date; to: Date },
  onPage: (progress: PullProgress) => Promise<boolean | void> = async () => true
): Promise<PullProgress & { stopped: boolean }> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform", "settings"] })
  const limits = marketplace.getProvider(connection.platform).limits
  const progress: PullProgress = { done_until: range.from, counts: emptyCounts(), parked: 0 }

  const pages = windowPages(range, limits.order_list_window_seconds, (window, pageToken) =>
    withShopSession(container, connectionId, (provider, session) =>
      provider.listChangedOrders(session, {
        updated_from: window.from,
        updated_to: window.to,
        page_token: pageToken,
        include_unpaid: !!(connection.settings as ConnectionSettings | null)?.import_unpaid,
      })
    )
  )
  // Orders are imported through one batch for the whole pull, so that tracking numbers and escrow are read in
  // the platform's full batches across pages; the resume point stays before the page of any order it holds.
  const importBatch = await OrderImportBatch.open(container, connectionId)
  const settle = async (outcomes: OrderImportOutcome[]) => {
    addOutcomes(progress.counts, outcomes)
    // What failed is parked in the inbox (retried there, shown in the monitor): the pull moves on past it.
    progress.parked += await parkFailedOrders(
      container,
      connectionId,
      outcomes.filter((o) => o.action === "failed")
    )
  }
  try {
    for await (const page of pages) {
      progress.counts.seen += page.items.length
      await settle(
        await importOrdersById(
          container,
          connectionId,
          page.items.map((r) => r.external_id),
          { importBatch, resumeFrom: progress.done_until, listed: page.items }
        )
      )
      progress.done_until = importBatch.heldSince() ?? page.done_until
      if ((await onPage(progress)) === false) {
        await settle(await importBatch.flush())
        progress.done_until = page.done_until
        return { ...progress, stopped: true }
      }
    }
    await settle(await importBatch.flush())
    return { ...progress, stopped: false }
  } finally {
    importBatch.release()
  }
}

/** Orders are pulled from here; the cursor starts at the connection's authorization ("now"), not in the past. */
async function ordersCursor(container: MedusaContainer, connectionId: string, fallback: Date) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const [cursor] = await marketplace.listCursors({ connection_id: connectionId, stream: "orders" })
  return cursor ?? (await marketplace.createCursors({ connection_id: connectionId, stream: "orders", position: fallback }))
}

/**
 * One scheduled pull of a connection: from its cursor minus the look-back overlap up to now. The cursor
 * then moves to now: an order that failed is parked in the inbox and retried there, so nothing is skipped
 * and one bad order does not hold the cursor back. One pull per
 * connection at a time across every process.
 *
 * @example
 * await runScheduledPull(container, "mpcon_123")
 */
export async function runScheduledPull(
  container: MedusaContainer,
  connectionId: string,
  { now = new Date() }: { now?: Date } = {}
): Promise<(PullCounts & { from: Date; to: Date }) | null> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const lock = await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 900)
  if (!lock) {
    return null // another process is pulling this connection
  }
  try {
    const connection = await marketplace.retrieveConnection(connectionId)
    const cursor = await ordersCursor(container, connectionId, connection.authorized_at ?? now)
    const from = new Date(new Date(cursor.position).getTime() - marketplace.getPullOverlapSeconds() * 1000)
    const result = await pullOrders(container, connectionId, { from, to: now })
    if (isIdleWithinRefresh(result, cursor.last_run_at, now)) {
      // Nothing changed: no row is written. The next pull starts from the same cursor (its window only grows
      // by the time between pulls), and this process remembers the pull for the interval check.
      idlePulls.set(connectionId, now)
      return { ...result.counts, from, to: now }
    }
    idlePulls.delete(connectionId)
    // Orders that failed are parked in the inbox (see pullOrders): nothing holds the cursor back.
    await marketplace.updateCursors({ id: cursor.id, position: now, last_run_at: new Date() })
    await marketplace.updateConnections({ id: connectionId, last_pull_at: new Date() })
    return { ...result.counts, from, to: now }
  } finally {
    await releaseLock(container, lock)
  }
}

/**
 * How long pulls that find nothing may leave the cursor and `last_pull_at` unwritten. Idle shops are most
 * shops most of the time: without this, every pull of every shop would update two rows each minute.
 */
export const IDLE_PULL_WRITE_INTERVAL_MS = 60 * 60_000

/** Pulls that found nothing and wrote nothing, by connection (this process): the interval check reads them. */
const idlePulls = new Map<string, Date>()

function isIdleWithinRefresh(
  result: { counts: PullCounts; parked: number },
  lastRunAt: Date | string | null,
  now: Date
): boolean {
  if (result.counts.seen > 0 || result.parked > 0 || !lastRunAt) return false
  return now.getTime() - new Date(lastRunAt).getTime() < IDLE_PULL_WRITE_INTERVAL_MS
}

/** Whether a connection's pull interval has elapsed (since its last pull, stored or idle in this process). */
export function isPullDue(
  connection: { id?: string; last_pull_at: Date | string | null; settings: unknown },
  now = new Date()
): boolean {
  const minutes = (connection.settings as ConnectionSettings | null)?.pull_interval_minutes ?? 1
  const idle = connection.id ? idlePulls.get(connection.id)?.getTime() ?? 0 : 0
  const stored = connection.last_pull_at ? new Date(connection.last_pull_at).getTime() : 0
  const last = Math.max(idle, stored)
  if (!last) return true
  // Half a minute of slack: cron ticks are not exactly a minute apart.
  return now.getTime() - last >= minutes * 60_000 - 30_000
}
