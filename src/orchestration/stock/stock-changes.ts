import type { MedusaContainer } from "@medusajs/framework/types"
import { enqueueStockPushWorkflow, type EnqueueStockPushWorkflowInput } from "../../workflows/stock/workflows/enqueue-stock-push"

/** A stock change as its event names it. */
export type StockChange = { inventory_level_id?: string; reservation_id?: string; reason: string }

/** The most changes one enqueueStockPushWorkflow run takes (its lookups filter on these ids). */
export const STOCK_CHANGES_PER_RUN = 500

/**
 * How long a batch stays open for more changes after its first. A store changing stock 20 times a second
 * otherwise ran one enqueue workflow per change (about 20 queries each), and those runs took the process's time
 * from the pushes themselves (bench:stock, Shopee, 20 changes/s, with one flush at a time: p95 8.3 s with one
 * run per turn, 3.2 s with this window).
 */
export const STOCK_CHANGE_WINDOW_MS = 100

type Waiter = { resolve: () => void; reject: (error: unknown) => void }
type Batch = { reason: string; levels: Set<string>; reservations: Set<string>; waiters: Waiter[] }

/**
 * Changes that share runs of `run`: the changes of `windowMs` from the first (a workflow's events are
 * released together, so an import's reservations arrive at once; a busy store's changes a few ms apart) go
 * into one run per reason, up to STOCK_CHANGES_PER_RUN each, started when the window closes. Runs never wait
 * for each other. A call resolves once the run holding its change has ended, and rejects with that run's
 * error.
 *
 * @example
 * const enqueue = stockChangeBatcher(async (input) => { await enqueueStockPushWorkflow(container).run({ input }) })
 * await enqueue({ reservation_id: "resitem_1", reason: "inventory.reservation-item.created" })
 */
export function stockChangeBatcher(
  run: (input: EnqueueStockPushWorkflowInput) => Promise<unknown>,
  windowMs: number = STOCK_CHANGE_WINDOW_MS
) {
  let open: Batch[] = []
  let running = 0
  const start = () => {
    const batches = open
    open = []
    for (const batch of batches) {
      running++
      run({
        inventory_level_ids: batch.levels.size ? [...batch.levels] : undefined,
        reservation_ids: batch.reservations.size ? [...batch.reservations] : undefined,
        reason: batch.reason,
      })
        .finally(() => running--)
        .then(
          () => batch.waiters.forEach((w) => w.resolve()),
          (error: unknown) => batch.waiters.forEach((w) => w.reject(error))
        )
    }
  }
  const enqueue = (change: StockChange): Promise<void> => {
    if (!open.length) {
      if (windowMs > 0) setTimeout(start, windowMs)
      else setImmediate(start)
    }
    let batch = open.find((b) => b.reason === change.reason && b.waiters.length < STOCK_CHANGES_PER_RUN)
    if (!batch) {
      batch = { reason: change.reason, levels: new Set(), reservations: new Set(), waiters: [] }
      open.push(batch)
    }
    if (change.inventory_level_id) batch.levels.add(change.inventory_level_id)
    if (change.reservation_id) batch.reservations.add(change.reservation_id)
    const joined = batch
    return new Promise<void>((resolve, reject) => joined.waiters.push({ resolve, reject }))
  }
  /** Changes waiting for their window to close, plus runs not ended yet. */
  const pending = () => open.reduce((n, b) => n + b.waiters.length, 0) + running
  return Object.assign(enqueue, { pending })
}

/** This process's batcher per app (container). */
const batchers = new WeakMap<MedusaContainer, ReturnType<typeof stockChangeBatcher>>()

/**
 * Records a stock change as push_stock tasks (enqueueStockPushWorkflow), sharing the workflow run with the
 * other changes of the same kind that arrive within STOCK_CHANGE_WINDOW_MS of the first ({@link stockChangeBatcher}): an import of 50 orders
 * releases about 100 reservation events at once, and one run per event made about a fifth of the import's
 * queries (the same connections, listings and waiting tasks read again each time, for the same few listings).
 *
 * It resolves once the run holding this change has committed its tasks and rejects when that run failed, so
 * a subscriber awaiting it acknowledges its event only when the change is in the outbox, as before (the event
 * bus's retries stay per event; tasks coalesce per listing, so a change enqueued twice costs nothing).
 *
 * @example
 * await enqueueStockChange(container, { reservation_id: "resitem_1", reason: "inventory.reservation-item.created" })
 */
export function enqueueStockChange(container: MedusaContainer, change: StockChange): Promise<void> {
  let enqueue = batchers.get(container)
  if (!enqueue) {
    enqueue = stockChangeBatcher(async (input) => await enqueueStockPushWorkflow(container).run({ input }))
    batchers.set(container, enqueue)
  }
  return enqueue(change)
}

/**
 * How many stock changes this process holds that are not in the outbox yet (waiting for their window, or in
 * an enqueue run): 0 when every change it was given is a task. For shutdown hooks and tests that wait for the
 * outbox to settle.
 *
 * @example
 * await waitFor(() => pendingStockChanges(container) === 0)
 */
export function pendingStockChanges(container: MedusaContainer): number {
  return batchers.get(container)?.pending() ?? 0
}
