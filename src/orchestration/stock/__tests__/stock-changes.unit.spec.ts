import type { EnqueueStockPushWorkflowInput } from "../../../workflows/stock/workflows/enqueue-stock-push"
import { STOCK_CHANGE_WINDOW_MS, STOCK_CHANGES_PER_RUN, stockChangeBatcher } from "../stock-changes"

const CREATED = "inventory.reservation-item.created"

/** A run that records its input and ends when released. */
function recorder() {
  const runs: EnqueueStockPushWorkflowInput[] = []
  const pending: { release: () => void; fail: (e: Error) => void }[] = []
  const run = (input: EnqueueStockPushWorkflowInput) =>
    new Promise<void>((resolve, reject) => {
      runs.push(input)
      pending.push({ release: resolve, fail: reject })
    })
  return { runs, pending, run }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("stockChangeBatcher", () => {
  it("gathers the changes of a window into one run, started when the window closes", async () => {
    const { runs, pending, run } = recorder()
    const enqueue = stockChangeBatcher(run)
    const first = enqueue({ inventory_level_id: "l1", reason: "inventory.inventory-level.updated" })
    await sleep(STOCK_CHANGE_WINDOW_MS / 4)
    const second = enqueue({ inventory_level_id: "l2", reason: "inventory.inventory-level.updated" })
    await tick()
    expect(runs).toEqual([])
    expect(enqueue.pending()).toBe(2)
    await sleep(STOCK_CHANGE_WINDOW_MS)
    expect(runs).toEqual([{ inventory_level_ids: ["l1", "l2"], reservation_ids: undefined, reason: "inventory.inventory-level.updated" }])
    // In its run now: one run pending until it ends.
    expect(enqueue.pending()).toBe(1)
    // A change after the window opens the next one.
    const third = enqueue({ inventory_level_id: "l1", reason: "inventory.inventory-level.updated" })
    await sleep(STOCK_CHANGE_WINDOW_MS + 20)
    expect(runs).toHaveLength(2)
    pending.forEach((p) => p.release())
    await Promise.all([first, second, third])
    expect(enqueue.pending()).toBe(0)
  })

  it("without a window, runs the changes of one turn together, and those of a later turn at once in a run of their own", async () => {
    const { runs, pending, run } = recorder()
    const enqueue = stockChangeBatcher(run, 0)
    const first = [enqueue({ reservation_id: "r1", reason: CREATED }), enqueue({ reservation_id: "r2", reason: CREATED })]
    await tick()
    expect(runs).toEqual([{ reservation_ids: ["r1", "r2"], inventory_level_ids: undefined, reason: CREATED }])

    const later = [enqueue({ reservation_id: "r3", reason: CREATED }), enqueue({ reservation_id: "r3", reason: CREATED })]
    await tick()
    // Not held back by the run in flight.
    expect(runs[1]).toEqual({ reservation_ids: ["r3"], inventory_level_ids: undefined, reason: CREATED })
    pending[1].release()
    await Promise.all(later)
    pending[0].release()
    await Promise.all(first)
  })

  it("keeps reasons apart, caps a run, and fails only the callers of the failed run", async () => {
    const { runs, pending, run } = recorder()
    const enqueue = stockChangeBatcher(run, 0)
    const many = Array.from({ length: STOCK_CHANGES_PER_RUN + 1 }, (_, i) =>
      enqueue({ reservation_id: `r${i}`, reason: CREATED }).then(
        () => "ok",
        (e: Error) => e.message
      )
    )
    const level = enqueue({ inventory_level_id: "l1", reason: "inventory.inventory-level.updated" })
    await tick()
    expect(runs[0].reservation_ids).toHaveLength(STOCK_CHANGES_PER_RUN)
    expect(runs).toHaveLength(3)
    expect(runs[1]).toEqual({ reservation_ids: [`r${STOCK_CHANGES_PER_RUN}`], inventory_level_ids: undefined, reason: CREATED })
    expect(runs[2]).toEqual({ inventory_level_ids: ["l1"], reservation_ids: undefined, reason: "inventory.inventory-level.updated" })
    pending[0].fail(new Error("database gone"))
    expect(new Set(await Promise.all(many.slice(0, STOCK_CHANGES_PER_RUN)))).toEqual(new Set(["database gone"]))
    pending[1].release()
    await expect(many[STOCK_CHANGES_PER_RUN]).resolves.toBe("ok")
    pending[2].release()
    await expect(level).resolves.toBeUndefined()
  })
})
