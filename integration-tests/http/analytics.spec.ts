import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  createSalesChannelsWorkflow,
  linkProductsToSalesChannelWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { importReturnsById } from "../../src/orchestration/returns/return-sync"
import { Migration20261202013156 } from "../../src/modules/marketplace/migrations/Migration20261202013156"
import { refreshAnalyticsRollup } from "../../src/modules/marketplace/utils/analytics-rollup"
import { refreshStaleAnalytics } from "../../src/orchestration/analytics/stale-analytics"
import refreshMarketplaceAnalyticsJob from "../../src/jobs/refresh-marketplace-analytics"
import { releaseLock, tryAcquireLock } from "../../src/lib/locks"
import { adminHeaders } from "../helpers/admin"
import { connectShop, seedStore, type SeededStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { drivers, useSandbox } from "../platforms"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]
const at = (day: string, hour = 10) => Math.floor(Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`) / 1000)
// A shop name a spreadsheet would run as a formula: the CSV must neutralise it.
const FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"x\")"

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let headers: Record<string, string>
      let north: { connection_id: string; shop_id: string }
      let south: { connection_id: string; shop_id: string }
      const orders: Record<string, string> = {}
      let returnRefund = 0

      beforeEach(async () => {
        container = getContainer()
        headers = (await adminHeaders(container)).headers
      })

      /** The data set: two shops, six orders (one outside the range), escrow, a cancellation and a return. */
      const seed = async () => {
        const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        driver.reset()
        const store = await seedStore(container, SKUS, { stock: 500 })
        // Each shop feeds a sales channel of its own (same region and stock location).
        const withOwnChannel = async (name: string): Promise<SeededStore> => {
          const {
            result: [channel],
          } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name }] } })
          await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: store.stock_location_id, add: [channel.id] } })
          const query = container.resolve(ContainerRegistrationKeys.QUERY)
          const { data } = await query.graph({ entity: "product_variant", fields: ["product_id"], filters: { sku: SKUS } })
          const productIds = [...new Set((data as unknown as { product_id: string }[]).map((v) => v.product_id))]
          await linkProductsToSalesChannelWorkflow(container).run({ input: { id: channel.id, add: productIds } })
          return { ...store, sales_channel_id: channel.id }
        }
        const connect = async (name: string) => {
          const shop = driver.createShop({ name })
          const { connection_id } = await connectShop(container, {
            platform: driver.platform,
            shop,
            tokens: driver.issueTokens(shop.id),
            store: name === "North shop" ? store : await withOwnChannel("South channel"),
          })
          driver.createListings(shop.id, [
            { name: "Tee", sku: "TEE-BLK-M", price: 20, stock: 400 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 400 },
          ])
          return { connection_id, shop_id: shop.id }
        }
        north = await connect("North shop")
        south = await connect(FORMULA_NAME)

        /** A prepaid order placed on `day`, moved through `path` on the marketplace and imported after each step. */
        const place = async (
          name: string,
          shop: { connection_id: string; shop_id: string },
          day: string,
          items: { sku: string; quantity: number }[],
          path: OrderStatus[]
        ) => {
          const placed = driver.createOrder(shop.shop_id, { status: "paid", items, prepaid: true })
          driver.setOrderTimes(placed.id, { created_at: at(day), updated_at: at(day) })
          const [first] = await importOrdersById(container, shop.connection_id, [placed.id])
          expect(first.error).toBeNull()
          for (const status of path) {
            driver.advanceOrder(placed.id, status)
            const [outcome] = await importOrdersById(container, shop.connection_id, [placed.id])
            expect(outcome.error).toBeNull()
          }
          orders[name] = placed.id
        }

        await place("n1", north, "2026-11-10", [{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }], ["shipped", "completed"])
        await place("n2", north, "2026-11-10", [{ sku: "MUG-01", quantity: 1 }], ["cancelled"])
        await place("n3", north, "2026-11-11", [{ sku: "TEE-BLK-M", quantity: 3 }, { sku: "MUG-01", quantity: 1 }], ["shipped"])
        await place("s1", south, "2026-11-10", [{ sku: "TEE-BLK-M", quantity: 1 }], ["shipped", "completed"])
        await place("s2", south, "2026-11-12", [{ sku: "MUG-01", quantity: 2 }], [])
        // Outside the range: never counted.
        await place("s0", south, "2026-11-09", [{ sku: "MUG-01", quantity: 5 }], ["shipped", "completed"])

        // A return of two tees of n3, accepted then closed: refunded.
        const line = driver.line(orders.n3, "TEE-BLK-M")
        const ret = driver.createReturn(orders.n3, { lines: [{ line, quantity: 2 }], solution: "return_refund", status: "accepted" })
        expect((await importReturnsById(container, north.connection_id, [ret.id]))[0].error).toBeNull()
        driver.advanceReturn(ret.id, "closed")
        expect((await importReturnsById(container, north.connection_id, [ret.id]))[0].error).toBeNull()
        returnRefund = driver.return(ret.id).refund_amount

        // The completed orders' escrow arrives by the completion subscriber.
        await waitFor(async () => {
          const links = await marketplace.listOrderLinks({ status: "completed" }, { select: ["id", "escrow_synced_at"] })
          return links.length === 3 && links.every((l) => l.escrow_synced_at)
        }, "the escrow of the completed orders")
      }

      const RANGE = "from=2026-11-10&to=2026-11-12"
      const get = (query: string) => api.get(`/admin/marketplace/analytics?${query}`, { headers })
      const failing = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a 4xx") }, (e: { response: { status: number; data: { message: string } } }) => e.response)
      const zeroDay = (date: string) => ({
        date,
        orders: 0,
        cancellations: 0,
        cancellation_rate: 0,
        returns: 0,
        return_rate: 0,
        gross_sales: 0,
        refunds: 0,
        average_order_value: 0,
        fee_total: 0,
        net_payout: 0,
        settled_orders: 0,
        fees: {},
      })

      it("answers the hand-computed figures per shop, per day and per currency, the top products, and the same as a safe CSV", async () => {
        await seed()
        // The data set as the sandbox made it (seeded): order totals, and the escrow of the completed orders.
        //   north n1 2026-11-10 completed 2 tees + 1 mug   total 50.80  escrow fee_total 5.59 net 45.21
        //                                                   commission 3.05 service 1.52 transaction 1.02
        //                                                   shipping_actual 5.90 shipping_rebate 5.90
        //   north n2 2026-11-10 cancelled 1 mug            total 11.76  (not in sales)
        //   north n3 2026-11-11 shipped   3 tees + 1 mug   total 68.00  return of 2 tees, refunded 36.72
        //                                                   (2 x 20.00 less the tees' share of the order's
        //                                                   vouchers and coins: what the buyer paid for them)
        //   south s1 2026-11-10 completed 1 tee            total 20.00  escrow fee_total 2.20 net 17.80
        //                                                   commission 1.20 service 0.60 transaction 0.40
        //                                                   shipping_actual 5.90 shipping_rebate 5.90
        //   south s2 2026-11-12 paid      2 mugs           total 25.90
        //   south s0 2026-11-09 completed 5 mugs           total 55.80  (outside the range)
        expect(Object.fromEntries(Object.entries(orders).map(([k, id]) => [k, driver.order(id).total]))).toEqual({
          n1: 50.8, n2: 11.76, n3: 68, s1: 20, s2: 25.9, s0: 55.8,
        })
        expect(returnRefund).toBe(36.72)

        const res = await get(RANGE)
        expect(res.status).toBe(200)
        const analytics = res.data.analytics
        expect(analytics).toEqual(expect.objectContaining({ from: "2026-11-10", to: "2026-11-12", granularity: "day" }))
        const channel = (id: string) => analytics.channels.find((c: { connection_id: string }) => c.connection_id === id)
        expect(analytics.channels).toHaveLength(2)

        const n = channel(north.connection_id)
        expect(n).toEqual(expect.objectContaining({ platform: driver.platform, name: "North shop", currency_code: "sgd" }))
        expect(n.totals).toEqual({
          orders: 3,
          cancellations: 1,
          cancellation_rate: 0.3333,
          returns: 1,
          return_rate: 0.3333,
          gross_sales: 118.8, // 50.80 + 68.00
          refunds: 36.72,
          average_order_value: 59.4, // 118.80 / 2
          fee_total: 5.59,
          net_payout: 45.21,
          settled_orders: 1,
        })
        expect(n.fees).toEqual(expect.objectContaining({ commission: 3.05, service: 1.52, transaction: 1.02, shipping_actual: 5.9, shipping_rebate: 5.9 }))
        expect(n.series.map((d: { date: string }) => d.date)).toEqual(["2026-11-10", "2026-11-11", "2026-11-12"])
        expect(n.series[0]).toEqual(
          expect.objectContaining({ orders: 2, cancellations: 1, cancellation_rate: 0.5, gross_sales: 50.8, average_order_value: 50.8, fee_total: 5.59, net_payout: 45.21 })
        )
        expect(n.series[0].fees).toEqual(expect.objectContaining({ commission: 3.05 }))
        expect(n.series[1]).toEqual(
          expect.objectContaining({ orders: 1, returns: 1, return_rate: 1, gross_sales: 68, refunds: 36.72, fee_total: 0, net_payout: 0, settled_orders: 0 })
        )
        expect(n.series[2]).toEqual(zeroDay("2026-11-12"))

        const s = channel(south.connection_id)
        expect(s.name).toBe(FORMULA_NAME)
        expect(s.totals).toEqual({
          orders: 2,
          cancellations: 0,
          cancellation_rate: 0,
          returns: 0,
          return_rate: 0,
          gross_sales: 45.9, // 20.00 + 25.90 (s0 is outside the range)
          refunds: 0,
          average_order_value: 22.95,
          fee_total: 2.2,
          net_payout: 17.8,
          settled_orders: 1,
        })
        expect(s.fees).toEqual(expect.objectContaining({ commission: 1.2, service: 0.6, transaction: 0.4, shipping_actual: 5.9 }))
        expect(s.series[1]).toEqual(zeroDay("2026-11-11"))
        expect(s.series[2]).toEqual(expect.objectContaining({ orders: 1, gross_sales: 25.9, net_payout: 0 }))

        // Both shops sell in SGD: one currency total.
        expect(analytics.totals).toHaveLength(1)
        expect(analytics.totals[0]).toEqual(
          expect.objectContaining({
            currency_code: "sgd",
            orders: 5,
            cancellations: 1,
            cancellation_rate: 0.2,
            returns: 1,
            return_rate: 0.2,
            gross_sales: 164.7,
            refunds: 36.72,
            average_order_value: 41.175, // 164.70 / 4
            fee_total: 7.79,
            net_payout: 63.01,
            settled_orders: 2,
          })
        )
        expect(analytics.totals[0].fees).toEqual(expect.objectContaining({ commission: 4.25, service: 2.12, transaction: 1.42, shipping_actual: 11.8 }))

        // Units on the orders not cancelled: tees 2 + 3 + 1 at 20.00; mugs 1 + 1 + 2 (n3's mug at its discounted 10.80).
        expect(analytics.top_products).toEqual([
          expect.objectContaining({ sku: "TEE-BLK-M", title: "Tee", currency_code: "sgd", quantity: 6, sales: 120, orders: 3 }),
          expect.objectContaining({ sku: "MUG-01", title: "Mug", currency_code: "sgd", quantity: 4, sales: 46.8, orders: 3 }),
        ])

        // Filters: one shop by id, or by platform; a range with nothing in it.
        const one = (await get(`${RANGE}&connection_id[]=${north.connection_id}`)).data.analytics
        expect(one.channels.map((c: { connection_id: string }) => c.connection_id)).toEqual([north.connection_id])
        expect(one.totals[0]).toEqual(expect.objectContaining({ orders: 3, gross_sales: 118.8 }))
        expect((await get(`${RANGE}&platform[]=${driver.platform}`)).data.analytics.channels).toHaveLength(2)
        expect((await get(`${RANGE}&platform[]=no-such-platform`)).data.analytics).toEqual(
          expect.objectContaining({ channels: [], totals: [], top_products: [] })
        )
        expect((await get("from=2026-11-09&to=2026-11-09")).data.analytics.totals[0]).toEqual(
          expect.objectContaining({ orders: 1, gross_sales: 55.8 })
        )

        // The CSV: one row per shop and day, then the shop's total; the formula-like shop name is neutralised.
        const csv = await api.get(`/admin/marketplace/analytics/export?${RANGE}`, { headers })
        expect(csv.status).toBe(200)
        expect(csv.headers["content-type"]).toContain("text/csv")
        expect(csv.headers["content-disposition"]).toContain("marketplace-analytics-2026-11-10-2026-11-12.csv")
        const lines = (csv.data as string).trimEnd().split("\r\n")
        expect(lines[0].split(",").slice(0, 17)).toEqual([
          "date", "platform", "shop", "shop_id", "connection_id", "currency_code", "orders", "cancellations",
          "cancellation_rate", "returns", "return_rate", "gross_sales", "refunds", "average_order_value",
          "fee_total", "net_payout", "settled_orders",
        ])
        expect(lines[0]).toContain("fee_commission")
        expect(lines).toHaveLength(1 + 2 * 4)
        const northTotal = lines.find((l) => l.startsWith("total,") && l.includes(north.connection_id))!
        expect(northTotal).toContain(`,North shop,${north.shop_id},${north.connection_id},sgd,3,1,0.3333,1,0.3333,118.8,36.72,59.4,5.59,45.21,1`)
        const southRows = lines.filter((l) => l.includes(south.connection_id))
        expect(southRows).toHaveLength(4)
        for (const row of southRows) {
          // The name, quoted, behind a leading apostrophe: a spreadsheet shows it as text.
          expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`)
          expect(row).not.toMatch(/,"?=/)
        }
      })

      it("keeps the rollup exact: a re-import counts nothing twice, a cancellation moves its day once, the migration's backfill rebuilds it", async () => {
        // The every-minute refresh job is scheduled in the test app too: on a slow machine it could compute the
        // marked days before the assertions below read them. Holding its lock makes it skip its minutes.
        const held = await tryAcquireLock(container, "marketplace:analytics:refresh", 600)
        expect(held).not.toBeNull()
        await seed()
        const db = container.resolve<{ raw: (sql: string, b?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }>(
          ContainerRegistrationKeys.PG_CONNECTION
        )
        // The imports only marked their days (one upsert each, no day computed in the import): the five days of
        // the data set wait in the marks, the rollup is still empty. The every-minute job computes them once.
        const marksOf = async () =>
          (await db.raw(`select connection_id, day, generation from marketplace_analytics_stale order by connection_id, day`)).rows
        const shopOf = (id: unknown) => (id === north.connection_id ? "north" : "south")
        expect((await marksOf()).map((m) => [shopOf(m.connection_id), m.day]).sort()).toEqual(
          [["north", "2026-11-10"], ["north", "2026-11-11"], ["south", "2026-11-09"], ["south", "2026-11-10"], ["south", "2026-11-12"]]
        )
        expect((await marksOf()).some((m) => Number(m.generation) > 0)).toBe(true) // marked again by later imports
        expect((await db.raw(`select count(*)::int as n from marketplace_analytics_day`)).rows[0].n).toBe(0)
        await releaseLock(container, held!)
        await refreshMarketplaceAnalyticsJob(container)
        expect(await marksOf()).toEqual([])

        const before = (await get(RANGE)).data.analytics
        const rowsOf = async () =>
          (await db.raw(`select connection_id, day, currency_code, count(*) as n from marketplace_analytics_day group by 1, 2, 3 order by 1, 2`)).rows
        const rows = await rowsOf()
        // One row per shop, day and currency: north 10th, 11th; south 9th, 10th, 12th.
        expect(rows.map((r) => [r.connection_id === north.connection_id ? "north" : "south", r.day, Number(r.n)])).toEqual(
          expect.arrayContaining([["north", "2026-11-10", 1], ["north", "2026-11-11", 1], ["south", "2026-11-09", 1], ["south", "2026-11-10", 1], ["south", "2026-11-12", 1]])
        )
        expect(rows).toHaveLength(5)

        // Re-imports of unchanged orders (a repeated webhook, a reconciling pull): the same figures.
        for (const [shop, name] of [[north, "n1"], [south, "s1"], [south, "s2"], [north, "n1"]] as const) {
          const [outcome] = await importOrdersById(container, shop.connection_id, [orders[name]])
          expect(outcome.error).toBeNull()
        }
        expect((await get(RANGE)).data.analytics).toEqual(before)
        expect(await rowsOf()).toEqual(rows)

        // n3 is `in_return` on the marketplace since its return: its next import fetches its escrow, which counts
        // once on its day (2026-11-11) however often it is imported.
        const northOf = (a: { channels: { connection_id: string }[] }) =>
          a.channels.find((c) => c.connection_id === north.connection_id) as unknown as {
            totals: Record<string, number>
            series: Record<string, number>[]
          }
        let settled: unknown = null
        for (let i = 0; i < 2; i++) {
          const [outcome] = await importOrdersById(container, north.connection_id, [orders.n3])
          expect(outcome.error).toBeNull()
          const after = (await get(RANGE)).data.analytics
          expect(northOf(after).totals).toEqual(expect.objectContaining({ orders: 3, returns: 1, refunds: 36.72, gross_sales: 118.8, settled_orders: 2 }))
          expect(northOf(after).series[1]).toEqual(expect.objectContaining({ orders: 1, settled_orders: 1 }))
          expect(northOf(after).totals.net_payout).toBeGreaterThan(northOf(before).totals.net_payout)
          if (settled) expect(after).toEqual(settled)
          settled = after
        }
        expect(await rowsOf()).toEqual(rows)

        // s2 (2026-11-12, 2 mugs, 25.90) cancelled on the marketplace: counted once as a cancellation, its sales
        // and units gone; imported twice, the same.
        driver.advanceOrder(orders.s2, "cancelled")
        for (let i = 0; i < 2; i++) {
          const [outcome] = await importOrdersById(container, south.connection_id, [orders.s2])
          expect(outcome.error).toBeNull()
          const after = (await get(RANGE)).data.analytics
          const s = after.channels.find((c: { connection_id: string }) => c.connection_id === south.connection_id)
          expect(s.totals).toEqual(
            expect.objectContaining({ orders: 2, cancellations: 1, cancellation_rate: 0.5, gross_sales: 20, average_order_value: 20 })
          )
          expect(s.series[2]).toEqual(expect.objectContaining({ date: "2026-11-12", orders: 1, cancellations: 1, gross_sales: 0 }))
          expect(after.totals[0]).toEqual(expect.objectContaining({ orders: 5, cancellations: 2, gross_sales: 138.8, settled_orders: 3 }))
          // Mugs: 1 (n1) + 1 (n3) left, at 12.00 and 10.80.
          expect(after.top_products).toEqual([
            expect.objectContaining({ sku: "TEE-BLK-M", quantity: 6, sales: 120, orders: 3 }),
            expect.objectContaining({ sku: "MUG-01", quantity: 2, sales: 22.8, orders: 2 }),
          ])
        }
        const cancelled = (await get(RANGE)).data.analytics

        // The migration's backfill, on an install whose rollup is empty (orders imported before it existed).
        await db.raw(`delete from marketplace_analytics_day; delete from marketplace_analytics_product_day`)
        expect((await get(RANGE)).data.analytics.totals).toEqual([])
        const migration = new Migration20261202013156(
          undefined as unknown as ConstructorParameters<typeof Migration20261202013156>[0],
          undefined as unknown as ConstructorParameters<typeof Migration20261202013156>[1]
        )
        await migration.up()
        for (const sql of migration.getQueries()) await db.raw(String(sql))
        expect((await get(RANGE)).data.analytics).toEqual(cancelled)
        expect(await rowsOf()).toEqual(rows)

        // Refreshes of the same days at once (as from several workers), keys in any order: one after the other
        // under the days' locks, no duplicate row, no deadlock, the same figures.
        const knex = container.resolve<Parameters<typeof refreshAnalyticsRollup>[0]>(ContainerRegistrationKeys.PG_CONNECTION)
        const days = [
          { connection_id: north.connection_id, day: "2026-11-10" },
          { connection_id: south.connection_id, day: "2026-11-10" },
          { connection_id: north.connection_id, day: "2026-11-11" },
        ]
        await Promise.all(Array.from({ length: 6 }, (_, i) => refreshAnalyticsRollup(knex, i % 2 ? [...days].reverse() : days)))
        expect(await rowsOf()).toEqual(rows)
        expect((await get(RANGE)).data.analytics).toEqual(cancelled)

        // A day gone wrong outside the workflows (here by hand) is repaired by the refresh route, for the days and
        // shops it names.
        await db.raw(`update marketplace_analytics_day set orders = 99 where day in ('2026-11-10', '2026-11-12')`)
        const refreshed = await api.post(
          "/admin/marketplace/analytics/refresh",
          { from: "2026-11-10", to: "2026-11-10", connection_id: [north.connection_id, south.connection_id] },
          { headers }
        )
        expect(refreshed.status).toBe(200)
        expect(refreshed.data).toEqual({ refreshed: { days: 2 } })
        const partly = (await get(RANGE)).data.analytics
        const firstDay = (id: string) =>
          partly.channels.find((c: { connection_id: string }) => c.connection_id === id).series[0].orders
        expect([firstDay(north.connection_id), firstDay(south.connection_id)]).toEqual([2, 1])
        expect(partly.totals[0].orders).toBe(99 + 4)
        expect((await api.post("/admin/marketplace/analytics/refresh", { from: "2026-11-10", to: "2026-11-12" }, { headers })).data).toEqual({
          refreshed: { days: 6 },
        })
        expect((await get(RANGE)).data.analytics).toEqual(cancelled)
        const refused = await failing(api.post("/admin/marketplace/analytics/refresh", { from: "2026-11-12", to: "2026-11-10" }, { headers }))
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/must not be before from/)
      })

      it("computes a marked day once for all its changes, keeps a day marked again meanwhile, and reads no day behind its orders", async () => {
        await seed()
        const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        const db = container.resolve<{ raw: (sql: string, b?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }>(
          ContainerRegistrationKeys.PG_CONNECTION
        )
        const marksOf = async () =>
          (await db.raw(`select id, connection_id, day, generation from marketplace_analytics_stale order by connection_id, day`)).rows
        // A read of the range computes the marked days it shows, and only those: the 9th (outside) stays marked.
        const first = (await get(RANGE)).data.analytics
        expect(first.totals[0].orders).toBe(5)
        expect((await marksOf()).map((m) => m.day)).toEqual(["2026-11-09"])

        // A mark read by a refresh, then marked again before the refresh clears it (an import that committed
        // meanwhile): the clear leaves it, so the next refresh computes the day with that import in it.
        const day = { connection_id: north.connection_id, day: "2026-11-10" }
        await marketplace.markAnalyticsStale([day, day])
        const [seen] = (await marksOf()).filter((m) => m.connection_id === north.connection_id)
        await marketplace.markAnalyticsStale([day])
        expect(await marketplace.clearAnalyticsStale([{ id: seen.id as string, generation: Number(seen.generation) }])).toBe(0)
        expect((await marksOf()).filter((m) => m.connection_id === north.connection_id)).toHaveLength(1)
        expect(await refreshStaleAnalytics(container, { connectionIds: [north.connection_id] })).toBe(1)
        expect((await marksOf()).filter((m) => m.connection_id === north.connection_id)).toEqual([])

        // Marks from many processes at once on the same days, in any order: one row per day, no deadlock.
        const days = [day, { connection_id: south.connection_id, day: "2026-11-12" }, { connection_id: north.connection_id, day: "2026-11-11" }]
        await Promise.all(Array.from({ length: 8 }, (_, i) => marketplace.markAnalyticsStale(i % 2 ? [...days].reverse() : days)))
        expect((await marksOf()).map((m) => m.day).sort()).toEqual(["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12"])

        // An order of a day already computed changes on the marketplace: the next read shows it.
        driver.advanceOrder(orders.s2, "cancelled")
        expect((await importOrdersById(container, south.connection_id, [orders.s2]))[0].error).toBeNull()
        const after = (await get(RANGE)).data.analytics
        expect(after.totals[0].cancellations).toBe(first.totals[0].cancellations + 1)
        expect((await marksOf()).map((m) => m.day)).toEqual(["2026-11-09"])
      })

      it("refuses a bad range or filter with a clear 400", async () => {
        const cases: [string, RegExp][] = [
          ["from=2026-11-12&to=2026-11-10", /must not be before from/],
          ["from=2025-01-01&to=2026-01-02", /367 days; at most 366/],
          ["from=2026-02-30&to=2026-03-01", /real calendar day/],
          ["from=yesterday&to=2026-03-01", /YYYY-MM-DD/],
          ["to=2026-03-01", /from/],
          ["from=2026-01-01&to=2026-01-02&granularity=hour", /granularity/],
          ["from=2026-01-01&to=2026-01-02&unknown=1", /unknown/],
        ]
        for (const [query, message] of cases) {
          for (const path of ["/admin/marketplace/analytics", "/admin/marketplace/analytics/export"]) {
            const res = await failing(api.get(`${path}?${query}`, { headers }))
            expect(res.status).toBe(400)
            expect(res.data.message).toMatch(message)
          }
        }
        // 366 days is allowed.
        expect((await get("from=2025-01-01&to=2026-01-01")).status).toBe(200)
        expect((await failing(api.get(`/admin/marketplace/analytics?${RANGE}`))).status).toBe(401)
      })
    },
  })
})
