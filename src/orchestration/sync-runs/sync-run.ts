import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import { MarketplaceApiError } from "../../providers/errors"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { pullOrders, type PullCounts } from "../orders/order-pull"
import { pullReturns } from "../returns/return-pull"

/**
 * Runs (or resumes) a sync run: a backfill of [range_from, range_to), with live counts and progress, a
 * heartbeat, cancellation between pages, and a resume point so a run whose worker died continues where it
 * was. Only one worker runs a given run at a time (claimed in the database).
 *
 * A run stopped by a platform error that may pass (rate limit, 5xx, no answer) after its calls' own retries
 * goes back to `pending` with the error shown, and the resume job starts it again within a minute from its
 * resume point; it fails for good only when the error is of another kind or the run started more than
 * {@link RETRY_TRANSIENT_FOR_MS} ago.
 *
 * @example
 * await runSyncRun(container, "mprun_123")
 */
/** How long after its start a run keeps coming back from platform errors that may pass. */
export const RETRY_TRANSIENT_FOR_MS = 24 * 3600_000

function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (MarketplaceApiError.is(e)) return e.retryable
  }
  return false
}

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
      error: null,
      ...(result.stopped ? {} : { progress: 1 }),
      resume_from: result.done_until,
      finished_at: new Date(),
      heartbeat_at: new Date(),
    })
  } catch (error) {
    const message = errorMessage(error)
    const startedAt = new Date(run.started_at ?? run.created_at ?? Date.now()).getTime()
    if (isTransient(error) && Date.now() - startedAt < RETRY_TRANSIENT_FOR_MS) {
      // Back to pending from where it was (resume_from was saved after every page): the resume job claims it.
      logger.warn(`Sync run ${runId} paused on a platform error that may pass, retried within a minute: ${message}`)
      await marketplace.updateSyncRuns({ id: runId, status: "pending", error: message, heartbeat_at: new Date() })
      return
    }
    logger.warn(`Sync run ${runId} failed: ${message}`)
    await marketplace.updateSyncRuns({ id: runId, status: "failed", error: message, finished_at: new Date() })
  }
}
