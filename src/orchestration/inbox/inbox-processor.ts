import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import type { ClaimedEvent } from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { errorMessage, isLockContention } from "../../lib/errors"
import { importOrdersById, OrderImportInterrupted, type OrderImportOutcome } from "../orders/order-sync"
import { importReturnsById } from "../returns/return-sync"
import { yieldToAcks } from "../../lib/ack-priority"

/** Event types that mean "this order changed: fetch it and import it" (a return changes its order too). */
const ORDER_EVENTS = new Set(["order.status_changed", "order.tracking_updated", "return.updated"])

/** `contended`: a lock it needed was held elsewhere; the event is taken again shortly, not counted as failed. */
type Outcome = { ok: true } | { ok: false; error: string; contended?: boolean }

const failure = (error: string): Outcome => ({ ok: false, error, contended: isLockContention(error) })

/**
 * How soon an event whose order was locked elsewhere is taken again: a few hundred milliseconds (with
 * jitter, so that events requeued together do not all come back in the same claim), not the failure
 * backoff's minutes. Imports hold an order's lock for well under a second.
 */
export const CONTENDED_RETRY_MS = 300

/**
 * How long an event's import waits for its order's lock held elsewhere (a pull, a backfill, another process)
 * before the event is requeued: long enough for the holder's import to finish, short enough not to hold up
 * the rest of the claim.
 */
const ORDER_LOCK_WAIT_SECONDS = 2
const contendedDelay = () => CONTENDED_RETRY_MS + Math.floor(Math.random() * CONTENDED_RETRY_MS)

/**
 * How the inbox is processed in a process that also answers the webhooks (Medusa's `workerMode` `shared`,
 * what an install gets without setting one): the acknowledgements wait for every stretch of synchronous work
 * processing does (hydrating a claim's rows, the workflow engine copying step results, creating orders), and
 * those stretches grow with the batch. So it claims fewer events at once, creates new orders in smaller
 * batches, imports fewer at a time and lets pending I/O (the webhook requests) run between claims. A `worker`
 * process keeps the full sizes: nothing there waits for it.
 */
export const SHARED_PROCESS_PACE = { claim: 25, createBatchSize: 10, concurrency: 2, ackWaitMs: 50 }

/**
 * `ackWaitMs`: before each claim and each import run, wait up to this long while this process is answering
 * webhook deliveries (lib/ack-priority), so acknowledgements are not queued behind processing.
 */
type Pace = { claim?: number; createBatchSize?: number; concurrency?: number; ackWaitMs?: number }

/** Whether this process answers HTTP too (workerMode `shared`, Medusa's default). */
function paceOf(container: MedusaContainer): Pace {
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  return (config.projectConfig.workerMode ?? "shared") === "shared" ? SHARED_PROCESS_PACE : {}
}

/** Lets pending I/O run, and in a shared process the webhook deliveries being answered finish first. */
const stepAside = (pace: Pace) => yieldToAcks(pace.ackWaitMs ?? 0)

/**
 * The orders these events need not be fetched for: every event about the order reports the order's update
 * time, and all are before the update time of the order already imported (a burst of status pushes for an
 * order that was fetched once they had all happened, or re-sent old messages). Saves the platform's API
 * quota; anything without such a time is fetched as before.
 */
async function staleOrderEvents(
  marketplace: MarketplaceModuleService,
  connectionId: string,
  events: ClaimedEvent[]
): Promise<Set<string>> {
  const newest = new Map<string, number | null>()
  for (const e of events) {
    const id = e.external_order_id as string
    const time = e.order_updated_at ? new Date(e.order_updated_at).getTime() : null
    const seen = newest.get(id)
    newest.set(id, seen === undefined ? time : seen === null || time === null ? null : Math.max(seen, time))
  }
  const candidates = [...newest].filter(([, time]) => time !== null).map(([id]) => id)
  if (!candidates.length) {
    return new Set()
  }
  const links = await marketplace.listOrderLinks(
    { connection_id: connectionId, external_order_id: candidates },
    { select: ["external_order_id", "external_updated_at"], take: candidates.length }
  )
  return new Set(
    links
      // Strictly before: two changes within the same second share an update time, and the imported state
      // may be the first of them.
      .filter((l) => new Date(l.external_updated_at).getTime() > (newest.get(l.external_order_id) as number))
      .map((l) => l.external_order_id)
  )
}

/** Where a claim's time went, in milliseconds, for the slow-claim log line. */
type ClaimTimings = { orders: number; fetch: { fetch_ms: number }; returns: number; settle: number; orderCount: number }

async function handleConnectionEvents(
  container: MedusaContainer,
  connectionId: string,
  events: ClaimedEvent[],
  pace: Pace,
  timings: ClaimTimings
): Promise<Map<string, Outcome>> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const outcomes = new Map<string, Outcome>()

  for (const event of events.filter((e) => e.type === "shop.deauthorized")) {
    await marketplace.updateConnections({
      id: connectionId,
      status: "needs_reauth",
      last_error: "The seller revoked the authorization on the marketplace",
    })
    outcomes.set(event.id, { ok: true })
  }

  // Many events about the same orders become one batched fetch.
  const orderEvents = events.filter((e) => ORDER_EVENTS.has(e.type) && e.external_order_id)
  const stale = await staleOrderEvents(marketplace, connectionId, orderEvents)
  for (const event of orderEvents) {
    if (stale.has(event.external_order_id as string)) outcomes.set(event.id, { ok: true })
  }
  const orderIds = [...new Set(orderEvents.map((e) => e.external_order_id as string))].filter((id) => !stale.has(id))
  timings.orderCount += orderIds.length
  const ordersStarted = performance.now()
  if (orderIds.length) {
    // Outcomes by order; `unfetched`: why the orders without one were not imported (a failed fetch).
    let results: OrderImportOutcome[]
    let unfetched: string | null = null
    try {
      results = await importOrdersById(container, connectionId, orderIds, {
        lockTimeoutSeconds: ORDER_LOCK_WAIT_SECONDS,
        createBatchSize: pace.createBatchSize,
        concurrency: pace.concurrency,
        timing: timings.fetch,
        pause: pace.ackWaitMs ? () => stepAside(pace) : undefined,
      })
    } catch (error) {
      // The batches imported before the failed fetch are settled as such; only the others are retried.
      results = error instanceof OrderImportInterrupted ? error.outcomes : []
      unfetched = errorMessage(error)
    }
    const byOrder = new Map(results.map((o) => [o.external_order_id, o]))
    for (const event of orderEvents) {
      const result = byOrder.get(event.external_order_id as string)
      outcomes.set(
        event.id,
        result?.action === "failed"
          ? failure(result.error ?? "Import failed")
          : !result && unfetched
            ? failure(unfetched)
            : { ok: true }
      )
    }
  }

  timings.orders += performance.now() - ordersStarted

  // Then the returns those events name (their orders were refreshed just above): fetched and imported,
  // each return once however many events named it. An event is done when its order and its return are.
  const returnEvents = events.filter((e) => e.type === "return.updated" && e.external_return_id)
  const returnIds = [...new Set(returnEvents.map((e) => e.external_return_id as string))]
  const returnsStarted = performance.now()
  if (returnIds.length) {
    try {
      const results = new Map(
        (await importReturnsById(container, connectionId, returnIds)).map((r) => [r.external_return_id, r])
      )
      for (const event of returnEvents) {
        const result = results.get(event.external_return_id as string)
        if (result?.action === "failed" && outcomes.get(event.id)?.ok !== false) {
          outcomes.set(event.id, failure(result.error ?? "Return import failed"))
        }
      }
    } catch (error) {
      const message = errorMessage(error)
      returnEvents.forEach((e) => outcomes.set(e.id, failure(message)))
    }
  }

  timings.returns += performance.now() - returnsStarted

  // Authorization notices carry nothing more to do.
  events.filter((e) => !outcomes.has(e.id)).forEach((e) => outcomes.set(e.id, { ok: true }))
  return outcomes
}

/**
 * Processes a batch of what is due in the inbox: pending, failed and due for a retry, or abandoned in
 * `processing` by a worker that died. Claims are atomic, so several workers may run
 * this at once. A failure is retried on the inbox's queue policy (eventRetrySchedule), then the event is `dead`.
 *
 * @example
 * await processInboxEvents(container, { limit: 100 })
 */
export async function processInboxEvents(
  container: MedusaContainer,
  { limit }: { limit?: number } = {}
): Promise<{ claimed: number; done: number; failed: number; dead: number; requeued: number }> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const pace = paceOf(container)
  if (pace.ackWaitMs) await stepAside(pace)
  // Claimed by (connection, order): all of an order's due events come together (see claimInboxEvents).
  const claimed = await marketplace.claimInboxEvents({
    limit: pace.claim ? Math.min(pace.claim, limit ?? pace.claim) : limit,
  })
  const summary = { claimed: claimed.length, done: 0, failed: 0, dead: 0, requeued: 0 }
  if (!claimed.length) {
    return summary
  }

  const byConnection = new Map<string, ClaimedEvent[]>()
  for (const event of claimed) {
    const key = event.connection_id ?? ""
    byConnection.set(key, [...(byConnection.get(key) ?? []), event])
  }

  // Heartbeat: while this worker lives, its claim is not taken for abandoned (see touchQueue); if it dies,
  // another worker takes the events over once the stale timeout has passed since the last beat.
  const claimedIds = claimed.map((e) => e.id)
  const staleMs = marketplace.queuePolicy("event").staleAfterMs
  const heartbeat = setInterval(() => {
    marketplace.touchQueue("event", claimedIds).catch(() => undefined)
  }, Math.max(1000, Math.floor(staleMs / 3)))
  heartbeat.unref()
  const started = performance.now()
  const timings: ClaimTimings = { orders: 0, fetch: { fetch_ms: 0 }, returns: 0, settle: 0, orderCount: 0 }
  try {
    await processClaim(container, byConnection, summary, pace, timings)
  } finally {
    clearInterval(heartbeat)
  }
  const took = performance.now() - started
  if (took >= SLOW_CLAIM_MS) {
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    logger.info(
      `Marketplace inbox: a claim of ${claimed.length} events (${timings.orderCount} orders) took ${s(took)}: ` +
        `orders ${s(timings.orders)} (platform calls ${s(timings.fetch.fetch_ms)}), returns ${s(timings.returns)}, settling ${s(timings.settle)}`
    )
  }
  return summary
}

/** A claim that takes longer than this is logged with where its time went (fetch and import, returns, settling). */
const SLOW_CLAIM_MS = 10_000

async function processClaim(
  container: MedusaContainer,
  byConnection: Map<string, ClaimedEvent[]>,
  summary: { claimed: number; done: number; failed: number; dead: number; requeued: number },
  pace: Pace,
  timings: ClaimTimings
): Promise<void> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (const [connectionId, events] of byConnection) {
    const outcomes = connectionId
      ? await handleConnectionEvents(container, connectionId, events, pace, timings).catch((error) => {
          const message = errorMessage(error)
          return new Map(events.map((e) => [e.id, failure(message)]))
        })
      : new Map(events.map((e) => [e.id, { ok: true } as Outcome]))

    const settling = performance.now()
    const settled = await marketplace.settleQueue(
      "event",
      events.map((event) => {
        const outcome = outcomes.get(event.id) ?? failure("Not processed")
        if (outcome.ok) return { id: event.id, ok: true as const }
        // Contention is not a failed attempt: back in a moment, never nearer `dead`.
        return outcome.contended
          ? { id: event.id, ok: false as const, requeueMs: contendedDelay() }
          : { id: event.id, ok: false as const, attempts: event.attempts, error: outcome.error }
      })
    )
    timings.settle += performance.now() - settling
    summary.done += settled.done
    summary.failed += settled.failed
    summary.dead += settled.dead
    summary.requeued += settled.requeued
    if (settled.dead) {
      logger.warn(`${settled.dead} marketplace event(s) of connection ${connectionId || "(none)"} are dead after their last attempt`)
    }
  }
}

/**
 * The drain this process is running, if any. Wake-ups that arrive while it runs are absorbed by it; other
 * processes run drains of their own at the same time. Nothing here has to happen once: claims are atomic
 * (one advisory-locked statement takes whole orders) and a settle only changes rows still `processing`, so
 * concurrent drains never take the same event or the same order. What this saves is a second drain in the
 * same process competing with the first for the same CPU.
 */
let drainRunning: Promise<number> | null = null

/**
 * How long a drain with nothing to claim keeps waiting for events that are about to be due: events requeued
 * after contention (due in a few hundred milliseconds) and events of an order another worker is processing
 * (claimable once it is done). Beyond that, the every-minute job takes them.
 */
const DRAIN_IDLE_WAIT_MS = 15_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Processes everything due in the inbox, batch after batch, until nothing is left. Wake-ups that arrive
 * while this process drains are absorbed by that drain: under a burst of webhooks, events are claimed (and
 * their orders fetched) in batches instead of one processing run per delivery. Every worker process drains
 * at the same time as the others (claims are atomic and take whole orders). Events that come due within
 * moments (requeued after contention, or waiting for another worker to finish their order) are waited for.
 * At the end it looks once more, so an event committed while the drain was finishing is not left for the
 * cron job.
 *
 * @example
 * await drainInbox(container)
 */
export async function drainInbox(container: MedusaContainer, { batch }: { batch?: number } = {}): Promise<number> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  let processed = 0
  for (let round = 0; round < 2; round++) {
    if (drainRunning) {
      return processed // this process's drain is running and will see our events
    }
    drainRunning = drainDue(container, batch)
    try {
      processed += await drainRunning
    } finally {
      drainRunning = null
    }
    // Look once more now that wake-ups are no longer absorbed (see above); a second round only runs if
    // something arrived meanwhile.
    const [, pending] = await marketplace.listAndCountMarketplaceEvents({ status: "pending" }, { take: 1, select: ["id"] })
    if (!pending) break
  }
  return processed
}

async function drainDue(container: MedusaContainer, batch: number | undefined): Promise<number> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  let processed = 0
  let idleSince: number | null = null
  for (;;) {
    const { claimed } = await processInboxEvents(container, { limit: batch })
    processed += claimed
    if (claimed) {
      idleSince = null
      // Requests that arrived meanwhile (webhooks, in a shared process) go before the next claim, which
      // waits for them in processInboxEvents.
      await yieldToAcks(0)
      continue
    }
    const next = await marketplace.nextPendingInboxEventAt()
    if (!next) break
    idleSince ??= Date.now()
    const wait = Math.max(100, next.getTime() - Date.now())
    if (Date.now() + wait - idleSince > DRAIN_IDLE_WAIT_MS) break
    await sleep(wait)
  }
  return processed
}
