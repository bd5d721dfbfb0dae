import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { ConnectionSettings } from "../../modules/marketplace/types"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import { recordInboxEvents } from "../inbox/inbox-record"
import { pullReturns } from "../returns/return-pull"
import { errorMessage, importOrdersById, type OrderImportOutcome } from "./order-sync"
import { withShopSession } from "../../lib/shop-session"

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

/** [from, to) cut into consecutive windows no longer than the platform allows. */
export function splitWindows(from: Date, to: Date, maxSeconds: number): { from: Date; to: Date }[] {
  const windows: { from: Date; to: Date }[] = []
  for (let start = from.getTime(); start < to.getTime(); start += maxSeconds * 1000) {
    windows.push({ from: new Date(start), to: new Date(Math.min(start + maxSeconds * 1000, to.getTime())) })
  }
  return windows
}

export type PullProgress = {
  /** Everything updated before this instant has been handled (the resume point). */
  done_until: Date
  counts: PullCounts
  /** The earliest update time of an order that failed to import, if any. */
  first_failure_at: Date | null
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
  const progress: PullProgress = { done_until: range.from, counts: emptyCounts(), first_failure_at: null }

  for (const window of splitWindows(range.from, range.to, limits.order_list_window_seconds)) {
    let pageToken: string | null = null
    do {
      const page = await withShopSession(container, connectionId, (provider, session) =>
        provider.listChangedOrders(session, {
          updated_from: window.from,
          updated_to: window.to,
          page_token: pageToken,
          include_unpaid: !!(connection.settings as ConnectionSettings | null)?.import_unpaid,
        })
      )
      progress.counts.seen += page.items.length
      const outcomes = await importOrdersById(
        container,
        connectionId,
        page.items.map((r) => r.external_id)
      )
      addOutcomes(progress.counts, outcomes)
      for (const failed of outcomes.filter((o) => o.action === "failed" && o.updated_at)) {
        const at = new Date(failed.updated_at as Date)
        if (!progress.first_failure_at || at < progress.first_failure_at) progress.first_failure_at = at
      }
      pageToken = page.next_page_token
      if (!pageToken) progress.done_until = window.to
      if ((await onPage(progress)) === false) {
        return { ...progress, stopped: true }
      }
    } while (pageToken)
  }
  return { ...progress, stopped: false }
}

/** Orders are pulled from here; the cursor starts at the connection's authorization ("now"), not in the past. */
async function ordersCursor(container: MedusaContainer, connectionId: string, fallback: Date) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const [cursor] = await marketplace.listCursors({ connection_id: connectionId, stream: "orders" })
  return cursor ?? (await marketplace.createCursors({ connection_id: connectionId, stream: "orders", position: fallback }))
}

/**
 * One scheduled pull of a connection: from its cursor minus the look-back overlap up to now. The cursor
 * then moves to now, or only up to the earliest order that failed, so nothing is skipped. One pull per
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
  const locking = container.resolve(Modules.LOCKING)
  const key = `marketplace:pull:${connectionId}`
  try {
    await locking.acquire(key, { expire: 900 })
  } catch {
    return null // another process is pulling this connection
  }
  try {
    const connection = await marketplace.retrieveConnection(connectionId)
    const cursor = await ordersCursor(container, connectionId, connection.authorized_at ?? now)
    const from = new Date(new Date(cursor.position).getTime() - marketplace.getPullOverlapSeconds() * 1000)
    const result = await pullOrders(container, connectionId, { from, to: now })
    const position = result.first_failure_at && result.first_failure_at < now ? result.first_failure_at : now
    await marketplace.updateCursors({ id: cursor.id, position, last_run_at: new Date() })
    await marketplace.updateConnections({ id: connectionId, last_pull_at: new Date() })
    return { ...result.counts, from, to: now }
  } finally {
    await locking.release(key)
  }
}

/** Whether a connection's pull interval has elapsed. */
export function isPullDue(
  connection: { last_pull_at: Date | string | null; settings: unknown },
  now = new Date()
): boolean {
  const minutes = (connection.settings as ConnectionSettings | null)?.pull_interval_minutes ?? 1
  if (!connection.last_pull_at) return true
  // Half a minute of slack: cron ticks are not exactly a minute apart.
  return now.getTime() - new Date(connection.last_pull_at).getTime() >= minutes * 60_000 - 30_000
}

/**
 * Drains a platform's lost-push list (pushes our endpoint missed) into the inbox, page by page,
 * acknowledging each page once it is stored. Stored under the same idempotency keys as live pushes, so a
 * push that did arrive is not processed twice. Returns how many lost messages were drained.
 */
export async function drainMissedEvents(container: MedusaContainer, platform: string): Promise<number> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const provider = marketplace.getProvider(platform)
  if (!provider.listMissedEvents || !provider.ackMissedEvents) {
    return 0
  }
  let drained = 0
  let toProcess = 0
  for (let page = 0; page < 50; page++) {
    const { events, ack_token } = await provider.listMissedEvents()
    if (!events.length) break
    const shopIds = [...new Set(events.map((e) => e.external_shop_id).filter((s): s is string => !!s))]
    const connections = await marketplace.listConnections({ platform, external_shop_id: shopIds }, { select: ["id", "external_shop_id"] })
    const byShop = new Map<string, string | null>(connections.map((c) => [c.external_shop_id, c.id]))
    toProcess += (await recordInboxEvents(marketplace, platform, events, byShop, null)).length
    drained += events.length
    if (!ack_token) break
    await provider.ackMissedEvents(ack_token)
  }
  if (toProcess) {
    await container.resolve(Modules.EVENT_BUS).emit({ name: MarketplaceEvents.INBOX_RECEIVED, data: {} })
  }
  return drained
}

/**
 * Runs (or resumes) a sync run: a backfill of [range_from, range_to), with live counts and progress, a
 * heartbeat, cancellation between pages, and a resume point so a run whose worker died continues where it
 * was. Only one worker runs a given run at a time (claimed in the database).
 *
 * @example
 * await runSyncRun(container, "mprun_123")
 */
export async function runSyncRun(container: MedusaContainer, runId: string): Promise<void> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (!(await marketplace.claimSyncRun(runId))) {
    return
  }
  const run = await marketplace.retrieveSyncRun(runId)
  const from = new Date(run.resume_from ?? run.range_from ?? new Date())
  const to = new Date(run.range_to ?? new Date())
  const total = Math.max(1, to.getTime() - new Date(run.range_from ?? from).getTime())
  const base: PullCounts = {
    seen: run.seen, created: run.created, updated: run.updated,
    unchanged: run.unchanged, skipped: run.skipped, failed: run.failed,
  }
  const sum = (c: PullCounts): PullCounts => ({
    seen: base.seen + c.seen, created: base.created + c.created, updated: base.updated + c.updated,
    unchanged: base.unchanged + c.unchanged, skipped: base.skipped + c.skipped, failed: base.failed + c.failed,
  })
  try {
    const result = await pullOrders(container, run.connection_id, { from, to }, async (progress) => {
      const current = await marketplace.retrieveSyncRun(runId, { select: ["cancel_requested"] })
      await marketplace.updateSyncRuns({
        id: runId,
        ...sum(progress.counts),
        resume_from: progress.done_until,
        progress: Math.min(1, (progress.done_until.getTime() - new Date(run.range_from ?? from).getTime()) / total),
        heartbeat_at: new Date(),
      })
      return !current.cancel_requested
    })
    if (!result.stopped) {
      // A backfill brings the range's returns and refunds too (they have their own update times and cursor).
      const returns = await pullReturns(container, run.connection_id, { from: new Date(run.range_from ?? from), to })
      if (returns.failed) {
        logger.warn(`Sync run ${runId}: ${returns.failed} return(s) failed to import; the returns pull retries them`)
      }
    }
    await marketplace.updateSyncRuns({
      id: runId,
      ...sum(result.counts),
      status: result.stopped ? "cancelled" : "completed",
      ...(result.stopped ? {} : { progress: 1 }),
      resume_from: result.done_until,
      finished_at: new Date(),
      heartbeat_at: new Date(),
    })
  } catch (error) {
    const message = errorMessage(error)
    logger.warn(`Sync run ${runId} failed: ${message}`)
    await marketplace.updateSyncRuns({ id: runId, status: "failed", error: message, finished_at: new Date() })
  }
}
