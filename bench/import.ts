/**
 * bench:import — backfill throughput of the import path against Medusa's bare order creation.
 *
 *   npm run bench:import                    # 1,000 sandbox orders
 *   npm run bench:import -- --orders 200
 *
 * Boots the app (fresh database) with a connected sandbox shop holding N paid orders (1-3 lines each on
 * matched SKUs). First the bare baseline: the same N orders created with `createOrderWorkflow` +
 * `createReservationsWorkflow`, 4 at a time. Then the import: one backfill sync run over the orders' range
 * (list pages of 100, details in batches of 50; new paid orders are created by importNewOrdersWorkflow, one
 * run per detail batch: customers, listings, order links, orders with their discounts and tax lines, payment
 * captures, reservations). Platform calls are counted by the sandbox.
 *
 * Closing line: `bench:import orders=.. rate=.. bare=.. ratio=.. calls=.. min_calls=..` (orders/s).
 * Targets: ratio >= 0.8; calls = min_calls = ceil(N/100) + ceil(N/50).
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow, createReservationsWorkflow } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { runSyncRun } from "../src/orchestration/sync-runs/sync-run"
import { connectSandboxShop, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000)
const CONCURRENCY = 4
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
      const { connection_id, shop_id } = await connectSandboxShop(container, sandbox(), store)
      sandbox().seedItems(
        shop_id,
        SKUS.map((sku, i) => ({ item_name: `Item ${sku}`, item_sku: sku, price: 10 + i, stock: 1_000_000 }))
      )
      const from = new Date(Date.now() - 60_000)
      const shapes = Array.from({ length: ORDERS }, (_, i) =>
        SKUS.slice(0, 1 + (i % 3)).map((sku, j) => ({ sku: SKUS[(i + j) % SKUS.length], quantity: 1 + (j % 2) }))
      )
      for (const items of shapes) {
        sandbox().createOrders(shop_id, { count: 1, status: "READY_TO_SHIP", items } as never)
      }

      // Bare: Medusa's own order creation and reservations for the same shapes.
      const inventory = container.resolve(Modules.INVENTORY)
      const t0 = Date.now()
      let n = 0
      await mapLimit(shapes, CONCURRENCY, async (items) => {
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
      const bare = ORDERS / ((Date.now() - t0) / 1000)
      await inventory.listReservationItems({}, { take: 1 })

      // The import: one backfill over the orders' range.
      sandbox().resetCalls()
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
      const calls = sandbox().calls.filter((c) =>
        ["/api/v2/order/get_order_list", "/api/v2/order/get_order_detail"].includes(c.path)
      ).length
      const minCalls = Math.ceil(ORDERS / 100) + Math.ceil(ORDERS / 50)
      const round = (n: number) => Math.round(n * 100) / 100
      console.log(
        `bench:import orders=${ORDERS} rate=${round(rate)} bare=${round(bare)} ratio=${round(rate / bare)} calls=${calls} min_calls=${minCalls} created=${done.created} failed=${done.failed}`
      )
      expect(done.created).toBe(ORDERS)
    })
  },
})
