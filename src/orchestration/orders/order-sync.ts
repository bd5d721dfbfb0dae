import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { GetOrdersOptions, MarketplaceOrder, MarketplaceProvider, OrderRef } from "../../providers/types"
import { packagesAwaitingTracking } from "../../providers/parcel-statuses"
import { importOrderWorkflow } from "../../workflows/orders/workflows/import-order"
import { importNewOrdersWorkflow } from "../../workflows/orders/workflows/import-new-orders"
import { IMPORT_CONNECTION_FIELDS, type ImportConnectionContext } from "../../workflows/orders/steps/plan-order-import"
import { chunk, mapLimit } from "../../lib/chunk"
import { errorMessage } from "../../lib/errors"
import { isUnreadableAnswer } from "../../providers/errors"
import { withShopSession } from "../../lib/shop-session"
import { deferEscrow, escrowStatusesOf, syncConnectionEscrow } from "../escrow/escrow-sync"

export type OrderImportOutcome = {
  external_order_id: string
  /** failed: the import threw; missing: the marketplace does not know the order. */
  action: "create" | "update" | "unchanged" | "skip" | "failed" | "missing"
  order_id: string | null
  updated_at: Date | null
  error: string | null
}

export type ImportOrdersOptions = {
  /** Orders imported one by one at a time (default 4). */
  concurrency?: number
  /** New orders created together (default true). */
  batch?: boolean
  /** How long one order's import waits for its lock held elsewhere (importOrderWorkflow's default: 60 s). */
  lockTimeoutSeconds?: number
  /** New orders per importNewOrdersWorkflow run (default 50). Smaller runs hold the event loop for less. */
  createBatchSize?: number
  /** Adds the time spent fetching order details and escrow from the platform (ms), for callers that report it. */
  timing?: { fetch_ms: number }
  /**
   * Awaited before each workflow run (a batch of new orders, or one order): where a caller that shares its
   * process with webhook acknowledgements lets them go first (see lib/ack-priority).
   */
  pause?: () => Promise<void>
}

/**
 * Imports fetched order details. New orders are created together (importNewOrdersWorkflow, up to 50 per
 * run; `batch: false` turns this off), those first seen shipped, delivered or completed as paid ones, which
 * importOrderWorkflow then brings to their state; the rest, and any batch that failed, go through
 * importOrderWorkflow a few at a time. One order's failure is recorded on its outcome (and as
 * `marketplace.order.failed`), never thrown: the others go on.
 */
export async function importFetchedOrders(
  container: MedusaContainer,
  connectionId: string,
  orders: MarketplaceOrder[],
  { concurrency = 4, batch = true, lockTimeoutSeconds, createBatchSize = 50, pause }: ImportOrdersOptions = {}
): Promise<OrderImportOutcome[]> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)

  // Most re-deliveries and overlapping pulls carry nothing new: answer those from the order links in one
  // query instead of a workflow run each. (The workflow checks again under its lock: this is only a filter.)
  const known = orders.length
    ? await marketplace.listOrderLinks(
        { connection_id: connectionId, external_order_id: orders.map((o) => o.external_id) },
        { select: ["external_order_id", "external_updated_at"], take: orders.length }
      )
    : []
  const watermark = new Map(known.map((l) => [l.external_order_id, new Date(l.external_updated_at).getTime()]))

  // The connection's settings and links, once for the whole batch rather than once per order.
  const { data: connections } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "connection", fields: IMPORT_CONNECTION_FIELDS, filters: { id: connectionId } })
  const connection = (connections[0] as unknown as ImportConnectionContext | undefined) ?? null

  // New orders are created in batches (importNewOrdersWorkflow); what a batch leaves, and what fails with
  // it, goes through importOrderWorkflow one by one below.
  const createdInBatch = new Map<string, OrderImportOutcome>()
  const stagedInBatch = new Set<string>()
  const fresh = connection ? orders.filter((o) => !watermark.has(o.external_id)) : []
  if (batch && fresh.length) {
    for (const part of chunk(fresh, createBatchSize)) {
      await pause?.()
      try {
        const { result } = await importNewOrdersWorkflow(container).run({
          input: { connection_id: connectionId, orders: part.map((o) => ({ ...o, raw: null })), connection: connection! },
        })
        const updatedAt = new Map(part.map((o) => [o.external_id, o.updated_at]))
        for (const c of result.created) {
          if (c.staged) {
            // Created as paid: importOrderWorkflow below brings it to its state (fulfilled, shipped, completed).
            stagedInBatch.add(c.external_id)
            continue
          }
          createdInBatch.set(c.external_id, {
            external_order_id: c.external_id,
            action: "create",
            order_id: c.order_id,
            updated_at: updatedAt.get(c.external_id) ?? null,
            error: null,
          })
        }
      } catch (e) {
        logger.warn(
          `A batch of ${part.length} new marketplace orders (connection ${connectionId}) failed, importing them one by one: ${errorMessage(e)}`
        )
      }
    }
  }

  return await mapLimit(orders, concurrency, async (order) => {
    const batched = createdInBatch.get(order.external_id)
    if (batched) {
      return batched
    }
    const staged = stagedInBatch.has(order.external_id)
    const stored = watermark.get(order.external_id)
    if (!staged && stored !== undefined && stored >= new Date(order.updated_at).getTime()) {
      return { external_order_id: order.external_id, action: "unchanged" as const, order_id: null, updated_at: order.updated_at, error: null }
    }
    await pause?.()
    try {
      const { result } = await importOrderWorkflow(container).run({
        // The platform's raw payload stays out: workflow inputs and step results are copied at every step.
        input: { connection_id: connectionId, order: { ...order, raw: null }, connection, lock_timeout_seconds: lockTimeoutSeconds },
      })
      return {
        external_order_id: order.external_id,
        // A staged order was created by this import (its state applied now, as an update of the paid order).
        action: staged && result.action !== "skip" ? ("create" as const) : result.action,
        order_id: result.order_id,
        updated_at: order.updated_at,
        error: null,
      }
    } catch (e) {
      return await orderFailed(container, connectionId, order.external_id, order.updated_at, errorMessage(e))
    }
  })
}

/** One order's failure: logged, kept on its order link, announced; the outcome says it failed. */
async function orderFailed(
  container: MedusaContainer,
  connectionId: string,
  externalId: string,
  updatedAt: Date | null,
  message: string
): Promise<OrderImportOutcome> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  container
    .resolve(ContainerRegistrationKeys.LOGGER)
    .warn(`Marketplace order ${externalId} (connection ${connectionId}) failed to import: ${message}`)
  const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: externalId }, { select: ["id"] })
  if (link) {
    await marketplace.updateOrderLinks({ id: link.id, last_error: message })
  }
  await container.resolve(Modules.EVENT_BUS).emit({
    name: MarketplaceEvents.ORDER_FAILED,
    data: { connection_id: connectionId, external_order_id: externalId, error: message },
  })
  return { external_order_id: externalId, action: "failed", order_id: null, updated_at: updatedAt, error: message }
}

/**
 * A fetch failed after earlier batches of the same call were imported: `outcomes` are theirs (the orders
 * not in them were not imported); the message and `cause` are the fetch's error.
 */
export class OrderImportInterrupted extends Error {
  constructor(readonly cause: unknown, readonly outcomes: OrderImportOutcome[]) {
    super(errorMessage(cause))
    this.name = "OrderImportInterrupted"
  }
}

/**
 * Fetches orders by id in the largest batches the platform allows and imports each: the path of webhook
 * events and pulls alike. The calls that follow the details are made in the platform's full batches across
 * detail batches (an `OrderImportBatch`): the tracking numbers where the platform reads them with calls of
 * their own, and the escrow of the settled orders imported (completed, in return), not one order per call.
 * Pass `importBatch` to share one across calls (a pull's pages) and flush it yourself; otherwise this call
 * flushes its own at the end. A fetch failure throws (the caller retries): an `OrderImportInterrupted`
 * carrying the outcomes of the orders already imported when there are some, so a caller can settle those and
 * retry only the rest; an import failure is an outcome; an escrow failure is left to the hourly escrow sync.
 *
 * @example
 * const outcomes = await importOrdersById(container, "mpcon_123", ["240101ABC", "240101ABD"])
 */
export async function importOrdersById(
  container: MedusaContainer,
  connectionId: string,
  externalIds: string[],
  options: ImportOrdersOptions & { importBatch?: OrderImportBatch; resumeFrom?: Date; listed?: OrderRef[] } = {}
): Promise<OrderImportOutcome[]> {
  // A blank id would make the platform refuse the whole batch ("order_sn_list should contain 1 to 50").
  const ids = [...new Set(externalIds.map((id) => (id ?? "").trim()).filter((id) => id !== ""))]
  const outcomes: OrderImportOutcome[] = []
  const own = !options.importBatch
  const importBatch = options.importBatch ?? (await OrderImportBatch.open(container, connectionId, options))
  try {
    for (const part of chunk(ids, importBatch.limits.order_detail_batch)) {
      const fetchStarted = performance.now()
      let fetched: Awaited<ReturnType<typeof fetchIsolatingUnreadable>>
      try {
        fetched = await fetchIsolatingUnreadable(container, connectionId, part, {
          tracking: !importBatch.fillsTracking,
          ...(options.listed ? { listed: options.listed } : {}),
        })
      } finally {
        if (options.timing) options.timing.fetch_ms += performance.now() - fetchStarted
      }
      const { orders, unreadable } = fetched
      const found = new Set(orders.map((o) => o.external_id))
      for (const { id, error } of unreadable) {
        found.add(id)
        outcomes.push(await orderFailed(container, connectionId, id, null, `The marketplace's order could not be read: ${error}`))
      }
      for (const id of part.filter((id) => !found.has(id))) {
        outcomes.push({ external_order_id: id, action: "missing", order_id: null, updated_at: null, error: null })
      }
      outcomes.push(...(await importBatch.add(orders, options.resumeFrom)))
    }
    if (own) outcomes.push(...(await importBatch.flush()))
  } catch (error) {
    if (outcomes.length) throw new OrderImportInterrupted(error, outcomes)
    throw error
  } finally {
    if (own) importBatch.release()
  }
  return outcomes
}

type HeldOrder = { order: MarketplaceOrder; parcels: number; resumeFrom: Date | null }

/**
 * Fetched orders on their way to import, gathered across detail batches (and a pull's pages) so that the
 * calls after the details go out in the platform's full batches:
 * - tracking numbers, where the provider reads them with calls of their own (`fillTrackingNumbers`, details
 *   fetched with `{ tracking: false }`): an order with parcels that left waits until `limits.tracking_batch`
 *   of those packages have gathered, then they are filled in one call and their orders imported; the other
 *   orders are imported at once. At most about one tracking batch of orders is held: memory stays bounded
 *   whatever the size of the import.
 * - the escrow of the settled orders imported (created or updated), fetched `limits.escrow_batch` at a time
 *   (the per-order subscriber leaves them to it: `deferEscrow`).
 * `flush()` fills and imports what is held and fetches the escrow left; `release()`, in a finally, lets go of
 * what a failure left (held orders are not imported, so in no outcome; their escrow is left to the hourly sync).
 *
 * @example
 * const batch = await OrderImportBatch.open(container, "mpcon_123")
 * try {
 *   outcomes.push(...(await batch.add(orders)), ...(await batch.flush()))
 * } finally {
 *   batch.release()
 * }
 */
export class OrderImportBatch {
  private held: HeldOrder[] = []
  private heldParcels = 0
  /** Settled orders whose escrow this batch fetches: the release of their deferral, by order. */
  private deferred: { id: string; release: () => void }[] = []
  /** Settled orders imported, their escrow to fetch. */
  private escrowDue: { id: string; release: () => void }[] = []

  private constructor(
    private readonly container: MedusaContainer,
    private readonly connectionId: string,
    private readonly provider: MarketplaceProvider,
    private readonly options: ImportOrdersOptions
  ) {}

  static async open(container: MedusaContainer, connectionId: string, options: ImportOrdersOptions = {}): Promise<OrderImportBatch> {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform"] })
    return new OrderImportBatch(container, connectionId, marketplace.getProvider(connection.platform), options)
  }

  get limits() {
    return this.provider.limits
  }

  /** Whether tracking numbers are filled here (the details are then fetched without them). */
  get fillsTracking(): boolean {
    return typeof this.provider.fillTrackingNumbers === "function"
  }

  private get trackingBatch(): number {
    return this.provider.limits.tracking_batch ?? this.provider.limits.order_detail_batch
  }

  /**
   * The resume point of a pull: the earliest `resumeFrom` of the orders held (their page is not done), or
   * null when none is held.
   */
  heldSince(): Date | null {
    let since: Date | null = null
    for (const h of this.held) {
      if (h.resumeFrom && (!since || h.resumeFrom < since)) since = h.resumeFrom
    }
    return since
  }

  /**
   * Takes fetched orders (`resumeFrom`: where a pull resumes for them, before their page) and imports those
   * ready: those without parcels awaiting a tracking number, and those of every full tracking batch gathered.
   * Returns their outcomes.
   */
  async add(orders: MarketplaceOrder[], resumeFrom?: Date): Promise<OrderImportOutcome[]> {
    const escrowStatuses = escrowStatusesOf(this.provider)
    for (const order of orders) {
      if (escrowStatuses.includes(order.status)) {
        this.deferred.push({ id: order.external_id, release: deferEscrow(this.connectionId, [order.external_id]) })
      }
    }
    const ready: MarketplaceOrder[] = []
    for (const order of orders) {
      const parcels = this.fillsTracking ? packagesAwaitingTracking(order).length : 0
      if (!parcels) {
        ready.push(order)
        continue
      }
      this.held.push({ order, parcels, resumeFrom: resumeFrom ?? null })
      this.heldParcels += parcels
    }
    while (this.heldParcels >= this.trackingBatch) {
      ready.push(...(await this.fillTracking(this.takeFullBatch())))
    }
    return await this.importReady(ready)
  }

  /** Fills and imports every order held, and fetches the escrow of every settled order imported. */
  async flush(): Promise<OrderImportOutcome[]> {
    const rest = this.held.map((h) => h.order)
    this.held = []
    this.heldParcels = 0
    const outcomes = await this.importReady(rest.length ? await this.fillTracking(rest) : [])
    while (this.escrowDue.length) await this.fetchEscrow(this.escrowDue.length)
    return outcomes
  }

  /** Lets go of the escrow deferrals left (after a failure: held orders are not imported). */
  release(): void {
    for (const d of [...this.deferred, ...this.escrowDue]) d.release()
    this.deferred = []
    this.escrowDue = []
    this.held = []
    this.heldParcels = 0
  }

  /**
   * Held orders whose packages make one full tracking batch (in arrival order, passing over an order whose
   * packages would overflow it while a smaller one fits), taken out of the held ones.
   */
  private takeFullBatch(): MarketplaceOrder[] {
    const taken: MarketplaceOrder[] = []
    const kept: HeldOrder[] = []
    let parcels = 0
    for (const h of this.held) {
      // An order with more packages than a batch goes alone (filled in several calls).
      if (parcels < this.trackingBatch && (parcels + h.parcels <= this.trackingBatch || !taken.length)) {
        taken.push(h.order)
        parcels += h.parcels
      } else {
        kept.push(h)
      }
    }
    this.held = kept
    this.heldParcels -= parcels
    return taken
  }

  private async fillTracking(orders: MarketplaceOrder[]): Promise<MarketplaceOrder[]> {
    const started = performance.now()
    try {
      await withShopSession(this.container, this.connectionId, (provider, session) => provider.fillTrackingNumbers!(session, orders))
    } finally {
      if (this.options.timing) this.options.timing.fetch_ms += performance.now() - started
    }
    return orders
  }

  private async importReady(orders: MarketplaceOrder[]): Promise<OrderImportOutcome[]> {
    if (!orders.length) return []
    const imported = await importFetchedOrders(this.container, this.connectionId, orders, this.options)
    const applied = new Set(imported.filter((o) => o.action === "create" || o.action === "update").map((o) => o.external_order_id))
    const ids = new Set(orders.map((o) => o.external_id))
    const kept: { id: string; release: () => void }[] = []
    for (const d of this.deferred) {
      if (!ids.has(d.id)) kept.push(d)
      else if (applied.has(d.id)) {
        this.escrowDue.push(d)
        applied.delete(d.id) // an order given twice: its escrow fetched once
      } else d.release()
    }
    this.deferred = kept
    while (this.escrowDue.length >= this.limits.escrow_batch) await this.fetchEscrow(this.limits.escrow_batch)
    return imported
  }

  private async fetchEscrow(count: number): Promise<void> {
    const due = this.escrowDue.splice(0, count)
    const started = performance.now()
    try {
      await fetchSettledEscrow(this.container, this.connectionId, [...new Set(due.map((d) => d.id))])
    } finally {
      due.forEach((d) => d.release())
      if (this.options.timing) this.options.timing.fetch_ms += performance.now() - started
    }
  }
}

async function fetchSettledEscrow(container: MedusaContainer, connectionId: string, externalOrderIds: string[]) {
  if (!externalOrderIds.length) return
  await syncConnectionEscrow(container, connectionId, { externalOrderIds, onlyStale: true }).catch((e) =>
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Escrow of ${externalOrderIds.length} imported marketplace orders (connection ${connectionId}) failed: ${errorMessage(e)}`)
  )
}

/**
 * Fetches order details; when the provider cannot read the answer (one order it cannot map fails the whole
 * call), halves the batch until that order stands alone, so the others are imported and only it fails.
 */
async function fetchIsolatingUnreadable(
  container: MedusaContainer,
  connectionId: string,
  ids: string[],
  options: GetOrdersOptions
): Promise<{ orders: MarketplaceOrder[]; unreadable: { id: string; error: string }[] }> {
  try {
    return {
      orders: await withShopSession(container, connectionId, (provider, session) => provider.getOrders(session, ids, options)),
      unreadable: [],
    }
  } catch (error) {
    if (!isUnreadableAnswer(error)) {
      throw error
    }
    if (ids.length === 1) {
      return { orders: [], unreadable: [{ id: ids[0], error: errorMessage(error) }] }
    }
    const half = Math.ceil(ids.length / 2)
    const [a, b] = [
      await fetchIsolatingUnreadable(container, connectionId, ids.slice(0, half), options),
      await fetchIsolatingUnreadable(container, connectionId, ids.slice(half), options),
    ]
    return { orders: [...a.orders, ...b.orders], unreadable: [...a.unreadable, ...b.unreadable] }
  }
}
