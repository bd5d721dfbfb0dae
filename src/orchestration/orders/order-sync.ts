import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { MarketplaceOrder } from "../../providers/types"
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
 * run; `batch: false` turns this off); the rest, and any batch that failed, go through importOrderWorkflow a
 * few at a time. One order's failure is recorded on its outcome (and as `marketplace.order.failed`), never
 * thrown: the others go on.
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
    const stored = watermark.get(order.external_id)
    if (stored !== undefined && stored >= new Date(order.updated_at).getTime()) {
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
        action: result.action,
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
 * events and pulls alike. The escrow of the batch's settled orders (completed, in return) is then fetched in
 * the platform's escrow batches too, not one order per call. A fetch failure throws (the caller retries): an
 * `OrderImportInterrupted` carrying the outcomes of the batches already imported when there are some, so a
 * caller can settle those and retry only the rest; an import failure is an outcome; an escrow failure is left
 * to the hourly escrow sync.
 *
 * @example
 * const outcomes = await importOrdersById(container, "mpcon_123", ["240101ABC", "240101ABD"])
 */
export async function importOrdersById(
  container: MedusaContainer,
  connectionId: string,
  externalIds: string[],
  options: ImportOrdersOptions = {}
): Promise<OrderImportOutcome[]> {
  // A blank id would make the platform refuse the whole batch ("order_sn_list should contain 1 to 50").
  const ids = [...new Set(externalIds.map((id) => (id ?? "").trim()).filter((id) => id !== ""))]
  const outcomes: OrderImportOutcome[] = []
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform"] })
  const provider = marketplace.getProvider(connection.platform)
  const batch = provider.limits.order_detail_batch
  const escrowStatuses = escrowStatusesOf(provider)
  for (const part of chunk(ids, batch)) {
    let fetched: Awaited<ReturnType<typeof fetchIsolatingUnreadable>>
    const fetchStarted = performance.now()
    try {
      fetched = await fetchIsolatingUnreadable(container, connectionId, part)
    } catch (error) {
      if (outcomes.length) throw new OrderImportInterrupted(error, outcomes)
      throw error
    } finally {
      if (options.timing) options.timing.fetch_ms += performance.now() - fetchStarted
    }
    const { orders, unreadable } = fetched
    const found = new Set(orders.map((o) => o.external_id))
    for (const { id, error } of unreadable) {
      found.add(id)
      outcomes.push(await orderFailed(container, connectionId, id, null, `The marketplace's order could not be read: ${error}`))
    }
    const settled = orders.filter((o) => escrowStatuses.includes(o.status)).map((o) => o.external_id)
    const release = deferEscrow(connectionId, settled)
    try {
      const imported = await importFetchedOrders(container, connectionId, orders, options)
      outcomes.push(...imported)
      const applied = new Set(imported.filter((o) => o.action === "create" || o.action === "update").map((o) => o.external_order_id))
      const escrowStarted = performance.now()
      await fetchSettledEscrow(container, connectionId, settled.filter((id) => applied.has(id)))
      if (options.timing) options.timing.fetch_ms += performance.now() - escrowStarted
    } finally {
      release()
    }
    for (const id of part.filter((id) => !found.has(id))) {
      outcomes.push({ external_order_id: id, action: "missing", order_id: null, updated_at: null, error: null })
    }
  }
  return outcomes
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
  ids: string[]
): Promise<{ orders: MarketplaceOrder[]; unreadable: { id: string; error: string }[] }> {
  try {
    return {
      orders: await withShopSession(container, connectionId, (provider, session) => provider.getOrders(session, ids)),
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
      await fetchIsolatingUnreadable(container, connectionId, ids.slice(0, half)),
      await fetchIsolatingUnreadable(container, connectionId, ids.slice(half)),
    ]
    return { orders: [...a.orders, ...b.orders], unreadable: [...a.unreadable, ...b.unreadable] }
  }
}
