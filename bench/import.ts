/**
 * bench:import — backfill throughput of the import path against Medusa's bare order creation.
 *
 *   npm run bench:import                    # 1,000 sandbox orders, the default mix
 *   npm run bench:import -- --orders 120 --mix new:50,shipped:20,completed:20,cancelled:10
 *
 * Boots the app (fresh database) with a connected sandbox shop holding N orders (1-3 lines each on matched
 * SKUs) in a mix of states (`--mix` / BENCH_MIX, shares by state: new = paid and not shipped, shipped,
 * completed, cancelled; default new:70,shipped:10,completed:15,cancelled:5). First the bare baseline (`--bare 0`
 * skips it, for call and memory figures only): the same
 * N orders created with `createOrderWorkflow` + `createReservationsWorkflow`, 4 at a time. Then the import:
 * one backfill sync run over the orders' range (list pages of 100, details in batches of 50 with their
 * packages, tracking numbers of the parcels that left and escrow of the completed orders in batches of 50;
 * new paid orders are created by importNewOrdersWorkflow, one run per detail batch). The shop's order,
 * logistics and payment calls the sandbox receives count, until the escrow of the completed orders is stored
 * (the scheduled pull is kept out: the connection's pull interval is a day).
 *
 * Closing line: `bench:import orders=.. mix=.. rate=.. bare=.. ratio=.. calls=.. min_calls=.. rss_growth_mb=..`
 * (orders/s). min_calls is what the platform's batch limits allow for the mix: ceil(N/100) list pages +
 * ceil(N/50) detail calls + ceil(parcels/50) tracking calls (shipped and completed) + ceil(completed/50)
 * escrow calls. rss_growth_mb: the process's resident memory after the import minus before it (after a GC
 * when node runs with --expose-gc). Targets: ratio >= 0.8; calls close to min_calls; rss_growth_mb < 200.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow, createReservationsWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { runSyncRun } from "../src/orchestration/sync-runs/sync-run"
import { connectSandboxShop, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000)
const STATES = { new: "READY_TO_SHIP", shipped: "SHIPPED", completed: "COMPLETED", cancelled: "CANCELLED" } as const
type MixState = keyof typeof STATES
const MIX_TEXT = process.env.BENCH_MIX ?? "new:70,shipped:10,completed:15,cancelled:5"
const CONCURRENCY = 4
/** `--bare 0` skips the baseline (ratio then 0): for call and memory figures only. */
const BARE = process.env.BENCH_BARE !== "0"

/** "new:70,shipped:10,..." -> the state of each of the N orders, in proportion, interleaved. */
function statesOf(text: string, n: number): MixState[] {
  const shares = text.split(",").map((part) => {
    const [state, share] = part.split(":")
    if (!(state in STATES) || !(Number(share) >= 0)) throw new Error(`BENCH_MIX: bad part "${part}" (states: ${Object.keys(STATES)})`)
    return { state: state as MixState, share: Number(share) }
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

const gc = (globalThis as { gc?: () => void }).gc
const rssMb = () => {
  gc?.()
  return process.memoryUsage().rss / 1048576
}
const SKUS = ["BENCH-A", "BENCH-B", "BENCH-C", "BENCH-D", "BENCH-E"]

jest.setTimeout(60 * 60_000)
const sandbox = useShopeeSandbox()

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
      const store = await seedStore(container, SKUS, { stock: 1_000_000 })
      // The scheduled pull stays out of the measurement: not due for a day.
      const { connection_id, shop_id } = await connectSandboxShop(container, sandbox(), store, {
        settings: { pull_interval_minutes: 1440 },
      })
      await marketplace.updateConnections({ id: connection_id, last_pull_at: new Date() })
      sandbox().seedItems(
        shop_id,
        SKUS.map((sku, i) => ({ item_name: `Item ${sku}`, item_sku: sku, price: 10 + i, stock: 1_000_000 }))
      )
      const from = new Date(Date.now() - 60_000)
      const shapes = Array.from({ length: ORDERS }, (_, i) =>
        SKUS.slice(0, 1 + (i % 3)).map((sku, j) => ({ sku: SKUS[(i + j) % SKUS.length], quantity: 1 + (j % 2) }))
      )
      const states = statesOf(MIX_TEXT, ORDERS)
      shapes.forEach((items, i) => {
        sandbox().createOrders(shop_id, { count: 1, status: STATES[states[i]], items } as never)
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
      sandbox().resetCalls()
      const rssBefore = rssMb()
      const run = await marketplace.createSyncRuns({
        connection_id,
        kind: "backfill",
        range_from: from,
        range_to: new Date(Date.now() + 1000),
      })
      const t1 = Date.now()
      await runSyncRun(container, run.id)
      const rate = ORDERS / ((Date.now() - t1) / 1000)
      const done = await marketplace.retrieveSyncRun(run.id)
      // The escrow of completed orders may still be on its way (subscribers): wait until it is stored.
      for (let waited = 0; waited < 120_000; waited += 500) {
        const pending = await marketplace.listOrderLinks(
          { connection_id, status: ["completed"], escrow_synced_at: null },
          { select: ["id"], take: 1 }
        )
        if (!pending.length) break
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const rssGrowth = rssMb() - rssBefore
      // What the import reads: orders, their parcels and their escrow (stock pushes the reservations cause are
      // listed, not counted).
      const reads = /^\/api\/v2\/(order|logistics|payment)\//
      const calls = sandbox().calls.filter((c) => c.shop_id !== null && reads.test(c.path)).length
      const byPath = new Map<string, number>()
      for (const c of sandbox().calls.filter((c) => c.shop_id !== null)) byPath.set(c.path, (byPath.get(c.path) ?? 0) + 1)
      console.log(`calls by path: ${[...byPath].map(([p, n]) => `${p}=${n}`).join(" ")}`)
      const parcels = count("shipped") + count("completed")
      const minCalls =
        Math.ceil(ORDERS / 100) + Math.ceil(ORDERS / 50) + Math.ceil(parcels / 50) + Math.ceil(count("completed") / 50)
      const round = (n: number) => Math.round(n * 100) / 100
      const mix = (Object.keys(STATES) as MixState[]).map((s) => `${s}:${count(s)}`).join(",")
      console.log(
        `bench:import orders=${ORDERS} mix=${mix} rate=${round(rate)} bare=${round(bare)} ratio=${bare ? round(rate / bare) : 0} calls=${calls} min_calls=${minCalls} rss_growth_mb=${round(rssGrowth)} created=${done.created} failed=${done.failed}`
      )
      expect(done.failed).toBe(0)
    })
  },
})
