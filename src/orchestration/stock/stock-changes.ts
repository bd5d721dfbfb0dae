import type { MedusaContainer } from "@medusajs/framework/types"
import { enqueueStockPushWorkflow, type EnqueueStockPushWorkflowInput } from "../../workflows/stock/workflows/enqueue-stock-push"

/** A stock change as its event names it. */
export type StockChange = { inventory_level_id?: string; reservation_id?: string; reason: string }

/** The most changes one enqueueStockPushWorkflow run takes (its lookups filter on these ids). */
export const STOCK_CHANGES_PER_RUN = 500

type Waiter = { resolve: () => void; reject: (error: unknown) => void }
type Batch = { reason: string; levels: Set<string>; reservations: Set<string>; waiters: Waiter[] }

/**
 * Changes that share runs of `run`: the changes of one turn of the event loop (a workflow's events are
 * released together, so an import's reservations arrive in one turn) go into one run per reason, up to
 * STOCK_CHANGES_PER_RUN each, started on the next turn. Runs never wait for each other: a change is as
 * quick to reach the outbox as with a run of its own. A call resolves once the run holding its change has
 * ended, and rejects with that run's error.
 *
 * @example
 * const enqueue = stockChangeBatcher(async (input) => { await enqueueStockPushWorkflow(container).run({ input }) })
 * await enqueue({ reservation_id: "resitem_1", reason: "inventory.reservation-item.created" })
 */
export function stockChangeBatcher(run: (input: EnqueueStockPushWorkflowInput) => Promise<unknown>) {
  let open: Batch[] = []
  const start = () => {
    const batches = open
    open = []
    for (const batch of batches) {
      run({
        inventory_level_ids: batch.levels.size ? [...batch.levels] : undefined,
        reservation_ids: batch.reservations.size ? [...batch.reservations] : undefined,
        reason: batch.reason,
      }).then(
        () => batch.waiters.forEach((w) => w.resolve()),
        (error: unknown) => batch.waiters.forEach((w) => w.reject(error))
      )
    }
  }
  return (change: StockChange): Promise<void> => {
    if (!open.length) {
      setImmediate(start)
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
}

/** This process's batcher per app (container). */
const batchers = new WeakMap<MedusaContainer, (change: StockChange) => Promise<void>>()

/**
 * Records a stock change as push_stock tasks (enqueueStockPushWorkflow), sharing the workflow run with the
 * other changes of the same kind that arrive in the same turn of the event loop ({@link stockChangeBatcher}): an import of 50 orders
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
