/**
 * bench:import — backfill throughput of the import path against Medusa's bare order creation, for one platform.
 *
 *   npm run bench:import                    # Shopee, 1,000 sandbox orders, the default mix
 *   npm run bench:import -- --platform lazada --orders 100
 *   npm run bench:import -- --orders 120 --mix new:50,shipped:20,completed:20,cancelled:10
 *
 * `--platform` (BENCH_PLATFORM: shopee, tiktok-shop or lazada; shopee by default) picks the platform's sandbox
 * driver (integration-tests/platforms); an unknown name is refused with the known ones. Boots the app (fresh
 * database) with a connected sandbox shop holding N orders (1-3 lines each on matched SKUs) in a mix of states
 * (`--mix` / BENCH_MIX, shares by state in the plugin's vocabulary: new = paid and not shipped, shipped,
 * completed — the driver's `finalStatus`, `delivered` on Lazada, which has no completion; `completed` and
 * `delivered` both name it — and cancelled; default new:70,shipped:10,completed:15,cancelled:5). First the bare
 * baseline (`--bare 0` skips it, for call and memory figures only): the same N orders created with
 * `createOrderWorkflow` + `createReservationsWorkflow`, 4 at a time. Then the import: one backfill sync run over
 * the orders' range (list pages, details in batches with their packages, tracking numbers, settlement of the
 * completed orders; new paid orders are created by importNewOrdersWorkflow, one run per detail batch). The
 * shop's read calls the sandbox receives count, until the settlement of the completed orders is stored (the
 * scheduled pull is kept out: the connection's pull interval is a day): `list_orders`, `get_order` and
 * `get_settlement` by the driver's operations, plus the shop calls the driver names no operation for (Shopee's
 * tracking numbers, TikTok Shop's statements, Lazada's GetOrder, the return list); stock pushes the reservations
 * cause are listed on the `calls by operation (or path)` line, not counted.
 *
 * Closing line: `bench:import platform=.. orders=.. mix=.. rate=.. bare=.. ratio=.. calls=.. min_calls=..
 * rss_growth_mb=.. created=.. failed=..` (orders/s). min_calls is what the platform's batch limits allow for the
 * mix (`driver.orderApi`, `driver.settlementApi`), with S settled orders (the final status) and P parcels
 * (shipped + settled), settlement read in batches of 50 orders (the core's escrow batch):
 *   ceil(N / list_page_size) list pages + ceil(N / detail_batch) detail calls
 *   + N × other_calls_per_order where the list page does not carry the order's detail (`orderApi.list_carries_detail`)
 *   + settlement calls (ceil(S / 50) on a 50-order endpoint, S on a per-order one)
 *   + other_calls_per_batch × ceil(P / tracking_batch) where tracking numbers have calls of their own,
 *     else other_calls_per_batch × ceil(S / 50) (calls that come with each settlement batch)
 *   + 1 page of the return list (a backfill reads the range's returns too; the bench's range has none).
 * Per platform:
 *   Shopee       ceil(N/100) get_order_list + ceil(N/50) get_order_detail + ceil(P/50) get_mass_tracking_number
 *                + ceil(S/50) get_escrow_detail_batch + 1 get_return_list
 *   TikTok Shop  ceil(N/100) Search Orders + ceil(N/50) Get Order Detail + S "Get Transactions by Order"
 *                + 2 × ceil(S/50) (Get Statements and one statement's transactions) + 1 Search Returns
 *   Lazada       ceil(N/100) GetOrders (each order's header: address and totals) + ceil(N/50) GetMultipleOrderItems
 *                + S QueryTransactionDetails + 1 reverse order list (no GetOrder: an import by id makes one per order)
 * The import gathers parcels and settled orders across detail batches and list pages (order-sync's
 * OrderImportBatch) and reads their tracking numbers and settlement in full batches: calls = min_calls. The
 * formula is integration-tests/helpers/import-calls.ts's `minImportCalls` (orders-backfill-calls.spec.ts holds a
 * backfill to it on every platform).
 * rss_growth_mb: the process's resident memory after the import minus before it (after a GC when node runs with
 * --expose-gc). Targets: ratio >= 2; calls = min_calls; rss_growth_mb < 200; failed = 0.
 * BENCH_CPU_PROFILE=<file> writes a CPU profile of the import phase (see `profiled`).
 */
import { writeFileSync } from "fs"
import { Session } from "inspector"
import { writeHeapSnapshot } from "v8"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow, createReservationsWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { runSyncRun } from "../src/orchestration/sync-runs/sync-run"
import type { OrderStatus } from "../src/providers/types"
import { connectDriverShop, seedStore } from "../integration-tests/helpers/store"
import { importReadCalls, minImportCalls } from "../integration-tests/helpers/import-calls"
import { driverFor, useSandbox } from "../integration-tests/platforms"

const PLATFORM = process.env.BENCH_PLATFORM ?? "shopee"
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000)
const MIX_STATES = ["new", "shipped", "completed", "cancelled"] as const
type MixState = (typeof MIX_STATES)[number]
const MIX_TEXT = process.env.BENCH_MIX ?? "new:70,shipped:10,completed:15,cancelled:5"
const CONCURRENCY = 4
/** `--bare 0` skips the baseline (ratio then 0): for call and memory figures only. */
const BARE = process.env.BENCH_BARE !== "0"
jest.setTimeout(60 * 60_000)
const driver = useSandbox(driverFor(PLATFORM, "--platform"))
/** The plugin status of each mix state: `completed` is the platform's final status (Lazada: delivered). */
const STATUS: Record<MixState, OrderStatus> = { new: "paid", shipped: "shipped", completed: driver.finalStatus, cancelled: "cancelled" }
/** The mix state's name in the closing line: the plugin's status for the final one. */
const label = (state: MixState) => (state === "completed" ? driver.finalStatus : state)

/** "new:70,shipped:10,..." -> the state of each of the N orders, in proportion, interleaved. */
function statesOf(text: string, n: number): MixState[] {
  const shares = text.split(",").map((part) => {
    const [name, share] = part.split(":")
    // `delivered` names the final state too (the platform's final status where it has no completion).
    const state = (name === "delivered" ? "completed" : name) as MixState
    if (!MIX_STATES.includes(state) || !(Number(share) >= 0)) throw new Error(`BENCH_MIX: bad part "${part}" (states: ${MIX_STATES}, delivered)`)
    return { state, share: Number(share) }
  })
  const total = shares.reduce((t, s) => t + s.share, 0)
  const given = new Map<MixState, number>()
  // Order i takes the state furthest behind its share so far: the mix is spread over every page and batch.
  return Array.from({ length: n }, (_, i) => {
    const next = shares
      .map((s) => ({ state: s.state, lag: (s.share / total) * (i + 1) - (given.get(s.state) ?? 0) }))
      .sort((a, b) => b.lag - a.lag)[0].state
    given.set(next, (given.get(next) ?? 0) + 1)
    return next
  })
}

/**
 * BENCH_CPU_PROFILE=<file>: a CPU profile of the import phase (the sync run), written as a .cpuprofile for
 * Chrome's DevTools or any tool that reads V8 profiles. Jest runs the bench in a child process, where node's
 * own --cpu-prof does not reach; the inspector session does.
 */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return await work()
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))))
  await post("Profiler.enable")
  await post("Profiler.setSamplingInterval", { interval: 1000 })
  await post("Profiler.start")
  try {
    return await work()
  } finally {
    const { profile } = await post("Profiler.stop")
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

const gc = (globalThis as { gc?: () => void }).gc
const rssMb = () => {
  gc?.()
  return process.memoryUsage().rss / 1048576
}
/** The JS heap in use after a GC: what the process still holds (RSS also keeps pages the heap freed). */
const heapMb = () => {
  gc?.()
  return process.memoryUsage().heapUsed / 1048576
}
const SKUS = ["BENCH-A", "BENCH-B", "BENCH-C", "BENCH-D", "BENCH-E"]
/** Enough for every order's lines (at most 2 units of a SKU each), within every platform's stock cap (TikTok: 99,999). */
const STOCK = 50_000

async function mapLimit<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++])
    })
  )
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("measures the import rate", async () => {
      const container = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      driver.reset()
      const store = await seedStore(container, SKUS, { stock: STOCK })
      // The scheduled pull stays out of the measurement: not due for a day (connectShop sets last_pull_at now).
      const { connection_id, shop_id } = await connectDriverShop(container, driver, store, {
        settings: { pull_interval_minutes: 1440 },
      })
      driver.createListings(
        shop_id,
        SKUS.map((sku, i) => ({ name: `Item ${sku}`, sku, price: 10 + i, stock: STOCK }))
      )
      const from = new Date(Date.now() - 60_000)
      const shapes = Array.from({ length: ORDERS }, (_, i) =>
        SKUS.slice(0, 1 + (i % 3)).map((sku, j) => ({ sku: SKUS[(i + j) % SKUS.length], quantity: 1 + (j % 2) }))
      )
      const states = statesOf(MIX_TEXT, ORDERS)
      shapes.forEach((items, i) => {
        driver.createOrders(shop_id, { count: 1, status: STATUS[states[i]], items })
      })
      const count = (state: MixState) => states.filter((s) => s === state).length

      // Bare: Medusa's own order creation and reservations for the same shapes.
      const inventory = container.resolve(Modules.INVENTORY)
      const t0 = Date.now()
      let n = 0
      await mapLimit(BARE ? shapes : [], CONCURRENCY, async (items) => {
        const { result: order } = await createOrderWorkflow(container).run({
          input: {
            region_id: store.region_id,
            sales_channel_id: store.sales_channel_id,
            email: `bare-${n++}@example.com`, // a new buyer each, as the sandbox's orders are
            currency_code: "sgd",
            items: items.map((it) => ({ variant_id: store.variants[it.sku].id, quantity: it.quantity, unit_price: 10, title: it.sku, is_tax_inclusive: true })),
            shipping_methods: [{ name: "Standard", amount: 3 }],
          },
        })
        await createReservationsWorkflow(container).run({
          input: {
            // In inventory item order: createReservationsStep locks the items in the order it meets them, and
            // two orders locking the same items in opposite orders can deadlock Medusa's in-memory locking
            // until its 5 s timeout (the import sorts its reservations the same way).
            reservations: (order.items ?? [])
              .map((line) => ({
                line_item_id: line.id,
                inventory_item_id: store.variants[String(line.title)].inventory_item_id,
                location_id: store.stock_location_id,
                quantity: Number(line.quantity),
              }))
              .sort((a, b) => a.inventory_item_id.localeCompare(b.inventory_item_id)),
          },
        })
      })
      const bare = BARE ? ORDERS / ((Date.now() - t0) / 1000) : 0
      await inventory.listReservationItems({}, { take: 1 })

      // The import: one backfill over the orders' range.
      driver.resetCalls()
      const rssBefore = rssMb()
      const heapBefore = heapMb()
      const run = await marketplace.createSyncRuns({
        connection_id,
        kind: "backfill",
        range_from: from,
        range_to: new Date(Date.now() + 1000),
      })
      const t1 = Date.now()
      await profiled(process.env.BENCH_CPU_PROFILE, () => runSyncRun(container, run.id))
      const rate = ORDERS / ((Date.now() - t1) / 1000)
      const done = await marketplace.retrieveSyncRun(run.id)
      // The settlement of the final-status orders may still be on its way (subscribers): wait until it is stored.
      for (let waited = 0; waited < 120_000; waited += 500) {
        const pending = await marketplace.listOrderLinks(
          { connection_id, status: [driver.finalStatus], escrow_synced_at: null },
          { select: ["id"], take: 1 }
        )
        if (!pending.length) break
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const rssGrowth = rssMb() - rssBefore
      const heapGrowth = heapMb() - heapBefore
      if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)
      // What the import reads: orders, their parcels and their settlement, by operation, and the shop's calls the
      // driver names no operation for (tracking numbers, statements, per-order detail).
      const { count: calls, byName } = importReadCalls(driver)
      console.log(`calls by operation (or path): ${[...byName].map(([p, k]) => `${p}=${k}`).join(" ")}`)
      const settled = count("completed")
      const min = minImportCalls(driver, { orders: ORDERS, parcels: count("shipped") + settled, settled })
      const round = (x: number) => Math.round(x * 100) / 100
      const mix = MIX_STATES.map((s) => `${label(s)}:${count(s)}`).join(",")
      console.log(
        `bench:import platform=${driver.platform} orders=${ORDERS} mix=${mix} rate=${round(rate)} bare=${round(bare)} ratio=${bare ? round(rate / bare) : 0} calls=${calls} min_calls=${min} rss_growth_mb=${round(rssGrowth)} heap_growth_mb=${round(heapGrowth)} created=${done.created} failed=${done.failed}`
      )
      expect(done.failed).toBe(0)
    })
  },
})
