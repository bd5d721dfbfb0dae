import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { adminHeaders } from "../helpers/admin"
import { type SeededStore, setUpDriverStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { drivers, useSandbox } from "../platforms"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01", "CAP-01"]

type ErrorResponse = { response: { status: number; data: { message: string } } }
const failing = <T>(call: Promise<T>) => call.then(() => ({ status: 200, data: { message: "" } })).catch((e: ErrorResponse) => e.response)

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let headers: Record<string, string>
      let store: SeededStore
      let connectionId: string
      let shopId: string
      let marketplace: MarketplaceModuleService

      beforeEach(async () => {
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 100,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 80 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 80 },
            { name: "Poster", sku: "NOT-IN-MEDUSA", price: 5, stock: 80 },
          ],
        }))
        headers = (await adminHeaders(container)).headers
      })

      const newOrder = (status: OrderStatus = "paid", items = [{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }]) =>
        driver.createOrder(shopId, { status, items, prepaid: true })

      const importOne = async (orderSn: string) => {
        const [outcome] = await importOrdersById(container, connectionId, [orderSn])
        expect(outcome.error).toBeNull()
        return outcome.order_id as string
      }

      /** Inbox events and outbox tasks that stay as they are (dead, or failed with a retry far away). */
      const seedFailures = async (connection_id: string, { events = 0, tasks = 0 }) => {
        const later = new Date(Date.now() + 86400_000)
        for (let i = 0; i < events; i++) {
          await marketplace.createMarketplaceEvents({
            platform: driver.platform,
            idempotency_key: `seed-${connection_id}-${i}`,
            connection_id,
            type: "order.status_changed",
            status: i % 2 ? "dead" : "failed",
            next_attempt_at: later,
            attempts: 3,
            last_error: "Shopee answered 500",
            received_at: new Date(),
            payload: { ordersn: `SEED${i}` },
          })
        }
        for (let i = 0; i < tasks; i++) {
          await marketplace.createTasks({
            kind: "push_stock",
            coalescing_key: `seed:${connection_id}:${i}`,
            connection_id,
            status: "dead",
            attempts: 8,
            last_error: "error_param",
          })
        }
      }

      it("answers 401 without admin credentials", async () => {
        for (const path of [
          "/admin/marketplace/stats",
          "/admin/marketplace/orders/order_123",
          `/admin/marketplace/listings?variant_id=${store.variants["MUG-01"].id}`,
        ]) {
          expect((await failing(api.get(path))).status).toBe(401)
        }
      })

      describe("GET /admin/marketplace/stats", () => {
        it("counts the last 24 h and gives an hourly series of events and imported orders", async () => {
          const placed = [newOrder(), newOrder()]
          for (const o of placed) await importOne(o.id)
          await seedFailures(connectionId, { events: 3, tasks: 2 })
          // An event received 3 hours ago lands in its own hour, one out of range is not counted.
          const threeHoursAgo = new Date(Date.now() - 3 * 3600_000)
          await marketplace.createMarketplaceEvents([
            {
              platform: driver.platform, idempotency_key: "old-done", connection_id: connectionId, type: "order.status_changed",
              status: "done", received_at: threeHoursAgo, processed_at: threeHoursAgo, payload: {},
            },
            {
              platform: driver.platform, idempotency_key: "too-old", connection_id: connectionId, type: "order.status_changed",
              status: "done", received_at: new Date(Date.now() - 30 * 3600_000), payload: {},
            },
          ])

          const res = await api.get("/admin/marketplace/stats", { headers })
          expect(res.status).toBe(200)
          const { stats } = res.data
          expect(stats.hours).toBe(24)
          expect(stats.counters).toEqual({
            events_received: 4,
            events_processed: 1,
            events_failed: 2,
            events_dead: 1,
            orders_imported: 2,
            // The imports reserved stock, which queued stock pushes that go out on their own: checked below.
            tasks_pending: expect.any(Number),
            tasks_failed: 2,
          })
          // The existing shape is kept.
          expect(stats.events).toEqual(expect.objectContaining({ failed: 2, dead: 1, done: 1 }))
          expect(stats.tasks).toEqual({ pending: stats.counters.tasks_pending, failed: 0, dead: 2 })

          expect(stats.hourly).toHaveLength(24)
          const hours = stats.hourly.map((b: { hour: string }) => Date.parse(b.hour))
          expect(hours).toEqual([...hours].sort((a, b) => a - b))
          expect(hours[23] - hours[0]).toBe(23 * 3600_000)
          const sum = (key: string) => stats.hourly.reduce((n: number, b: Record<string, number>) => n + b[key], 0)
          expect(sum("events_received")).toBe(4)
          expect(sum("events_failed")).toBe(3)
          expect(sum("events_processed")).toBe(1)
          expect(sum("orders_imported")).toBe(2)
          const hourOf = (d: Date) => {
            const h = new Date(d)
            h.setUTCMinutes(0, 0, 0)
            return h.toISOString()
          }
          const old = stats.hourly.find((b: { hour: string }) => b.hour === hourOf(threeHoursAgo))
          expect(old).toEqual(expect.objectContaining({ events_received: 1, events_processed: 1 }))
          const last = stats.hourly[23]
          expect(last.hour).toBe(hourOf(new Date()))
          expect(last.orders_imported).toBe(2)

          // A wider window reaches the older event; one connection's view leaves the others out.
          const wide = await api.get("/admin/marketplace/stats?hours=48", { headers })
          expect(wide.data.stats.hourly).toHaveLength(48)
          expect(wide.data.stats.counters.events_received).toBe(5)
          const other = await marketplace.createConnections({ platform: driver.platform, external_shop_id: "other", name: "Other" })
          await seedFailures(other.id, { events: 1 })
          await marketplace.createTasks({
            kind: "push_stock", coalescing_key: "other:later", connection_id: other.id, status: "pending",
            next_attempt_at: new Date(Date.now() + 86400_000),
          })
          const otherStats = await api.get(`/admin/marketplace/stats?connection_id=${other.id}`, { headers })
          expect(otherStats.data.stats.counters).toEqual({
            events_received: 1, events_processed: 0, events_failed: 1, events_dead: 0,
            orders_imported: 0, tasks_pending: 1, tasks_failed: 0,
          })
          const scoped = await api.get(`/admin/marketplace/stats?connection_id=${connectionId}`, { headers })
          expect(scoped.data.stats.counters.events_received).toBe(4)
          expect(scoped.data.stats.reconciliation.map((r: { connection_id: string }) => r.connection_id)).toEqual([connectionId])
          const all = await api.get("/admin/marketplace/stats", { headers })
          expect(all.data.stats.counters.events_received).toBe(5)
        })

        it("refuses bad parameters with 400", async () => {
          for (const qs of ["hours=0", "hours=500", "hours=abc", "unknown=1"]) {
            const res = await failing(api.get(`/admin/marketplace/stats?${qs}`, { headers }))
            expect(res.status).toBe(400)
          }
        })
      })

      describe("GET /admin/marketplace/connections (counts)", () => {
        it("gives each connection its orders today and its failures, and never a secret", async () => {
          await importOne(newOrder().id)
          await importOne(newOrder().id)
          await seedFailures(connectionId, { events: 2, tasks: 1 })
          const quiet = await marketplace.createConnections({ platform: driver.platform, external_shop_id: "quiet", name: "Quiet" })

          const res = await api.get("/admin/marketplace/connections", { headers })
          expect(res.status).toBe(200)
          const byId = Object.fromEntries(res.data.connections.map((c: { id: string }) => [c.id, c]))
          expect(byId[connectionId]).toEqual(
            expect.objectContaining({ name: "Sandbox shop", orders_today: 2, failed_events: 2, failed_tasks: 1, failures: 3 })
          )
          expect(byId[quiet.id]).toEqual(expect.objectContaining({ orders_today: 0, failed_events: 0, failed_tasks: 0, failures: 0 }))
          expect(JSON.stringify(res.data)).not.toMatch(/access_token"|refresh_token"|ciphertext/)

          // "Today" as the admin's own midnight: a start in the future counts nothing yet.
          const tomorrow = new Date(Date.now() + 86400_000).toISOString()
          const later = await api.get(`/admin/marketplace/connections?today_from=${encodeURIComponent(tomorrow)}`, { headers })
          expect(later.data.connections.find((c: { id: string }) => c.id === connectionId).orders_today).toBe(0)
          // Filters still apply next to the new parameter.
          const filtered = await api.get(`/admin/marketplace/connections?q=Quiet&today_from=${encodeURIComponent(tomorrow)}`, { headers })
          expect(filtered.data.connections.map((c: { id: string }) => c.id)).toEqual([quiet.id])

          // A successful retry clears a failure from the count.
          const [failed] = await marketplace.listMarketplaceEvents({ connection_id: connectionId, status: "failed" })
          await marketplace.updateMarketplaceEvents({ id: failed.id, status: "done" })
          const detail = await api.get(`/admin/marketplace/connections/${connectionId}`, { headers })
          expect(detail.data.connection).toEqual(expect.objectContaining({ orders_today: 2, failed_events: 1, failures: 2 }))
          const detailLater = await api.get(`/admin/marketplace/connections/${connectionId}?today_from=${encodeURIComponent(tomorrow)}`, { headers })
          expect(detailLater.data.connection.orders_today).toBe(0)
          expect((await failing(api.get(`/admin/marketplace/connections/${connectionId}?today_from=nope`, { headers }))).status).toBe(400)

          expect((await failing(api.get("/admin/marketplace/connections?today_from=not-a-date", { headers }))).status).toBe(400)
        })
      })

      describe("GET /admin/marketplace/orders/:order_id", () => {
        it("gives the marketplace panel: shop, external order, unmatched items, seller centre link, then the escrow", async () => {
          const placed = newOrder("paid", [
            { sku: "TEE-BLK-M", quantity: 1 },
            { sku: "NOT-IN-MEDUSA", quantity: 3 },
          ])
          const orderId = await importOne(placed.id)

          const res = await api.get(`/admin/marketplace/orders/${orderId}`, { headers })
          expect(res.status).toBe(200)
          const panel = res.data.marketplace_order
          expect(panel).toEqual(
            expect.objectContaining({
              order_id: orderId,
              platform: driver.platform,
              platform_name: expect.any(String),
              external_order_id: placed.id,
              external_status: placed.external_status,
              status: "paid",
              has_unmatched_items: true,
              currency_code: "sgd",
              escrow: null,
              connection: expect.objectContaining({ id: connectionId, name: "Sandbox shop", shop_region: "SG", status: "active" }),
            })
          )
          expect(Date.parse(panel.external_updated_at)).not.toBeNaN()
          expect(panel.unmatched_items).toEqual([expect.objectContaining({ sku: "NOT-IN-MEDUSA", quantity: 3 })])
          expect(panel.seller_centre_url).toContain(driver.sellerCentreHost)
          expect(panel.seller_centre_url).toContain(placed.id)
          expect(JSON.stringify(res.data)).not.toMatch(/escrow_raw|access_token|refresh_token/)

          // Completed: the marketplace reports the escrow, and the panel shows its breakdown.
          driver.advanceOrder(placed.id, "shipped")
          const completed = driver.advanceOrder(placed.id, "completed")
          await importOrdersById(container, connectionId, [placed.id])
          const withEscrow = await waitFor(async () => {
            const r = await api.get(`/admin/marketplace/orders/${orderId}`, { headers })
            return r.data.marketplace_order.escrow ? r.data.marketplace_order : null
          }, "the escrow on the panel", 60000)
          const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: placed.id })
          expect(withEscrow.external_status).toBe(completed.external_status)
          expect(withEscrow.escrow).toEqual(
            expect.objectContaining({
              currency_code: "sgd",
              fees: link.escrow_fees,
              adjustments: [],
            })
          )
          expect(Number(withEscrow.escrow.net_payout)).toBeCloseTo(Number(link.escrow_net_payout), 2)
          expect(Number(withEscrow.escrow.buyer_total)).toBeCloseTo(Number(link.escrow_buyer_total), 2)
          expect(Number(withEscrow.escrow.fee_total)).toBeCloseTo(Number(link.escrow_fee_total), 2)
          expect(Object.keys(withEscrow.escrow.fees).length).toBeGreaterThan(0)
          // The lines the seller pays add up to the fee total.
          const sellerLines = withEscrow.escrow.fee_lines.filter((l: { seller_pays: boolean }) => l.seller_pays)
          expect(sellerLines.length).toBeGreaterThan(0)
          expect(withEscrow.escrow.fee_lines).toHaveLength(Object.keys(link.escrow_fees as object).length)
          // Labelled as the provider declares its fee kinds.
          const commission = withEscrow.escrow.fee_lines.find((l: { kind: string }) => l.kind === "commission")
          if (commission) expect(commission).toEqual(expect.objectContaining({ label: "Commission", group: "commission", seller_pays: true }))
          expect(withEscrow.escrow.fee_lines.every((l: { label: unknown }) => typeof l.label === "string" && l.label !== "")).toBe(true)
          expect(sellerLines.reduce((n: number, l: { amount: string }) => n + Number(l.amount), 0)).toBeCloseTo(Number(link.escrow_fee_total), 2)
        })

        it("answers null for an order that did not come from a marketplace, 404 for no order", async () => {
          const { result: order } = await createOrderWorkflow(container).run({
            input: {
              region_id: store.region_id,
              sales_channel_id: store.sales_channel_id,
              email: "walk-in@example.com",
              currency_code: "sgd",
              items: [{ title: "Gift card", quantity: 1, unit_price: 10, requires_shipping: false }],
            } as never,
          })
          const res = await api.get(`/admin/marketplace/orders/${order.id}`, { headers })
          expect(res.status).toBe(200)
          expect(res.data).toEqual({ marketplace_order: null })

          const missing = await failing(api.get("/admin/marketplace/orders/order_does_not_exist", { headers }))
          expect(missing.status).toBe(404)
          expect(missing.data.message).toContain("order_does_not_exist")
          expect((await failing(api.get(`/admin/marketplace/orders/${order.id}?x=1`, { headers }))).status).toBe(400)
        })
      })

      describe("GET /admin/marketplace/listings?variant_id=", () => {
        it("lists a variant's listings in every shop with the last pushed stock and price", async () => {
          await api.post(`/admin/marketplace/connections/${connectionId}/listings/sync`, {}, { headers })
          const mugListing = await waitFor(async () => {
            const [l] = await marketplace.listListings({ connection_id: connectionId, sku: "MUG-01" })
            return l?.match_status === "matched" ? l : null
          }, "the synced mug listing", 60000)
          await marketplace.updateListings({ id: mugListing.id, last_pushed_stock: 42, last_pushed_price: 12.5, last_pushed_at: new Date() })

          const variantId = store.variants["MUG-01"].id
          const res = await api.get(
            `/admin/marketplace/listings?variant_id=${variantId}&fields=%2Bconnection.name,%2Bconnection.platform,%2Bconnection.status`,
            { headers }
          )
          expect(res.status).toBe(200)
          expect(res.data.count).toBe(1)
          expect(res.data.listings).toEqual([
            expect.objectContaining({
              id: mugListing.id,
              sku: "MUG-01",
              match_status: "matched",
              last_pushed_stock: 42,
              product_variant: expect.objectContaining({ id: variantId }),
              connection: expect.objectContaining({ name: "Sandbox shop", platform: driver.platform, status: "active" }),
            }),
          ])
          expect(Number(res.data.listings[0].last_pushed_price)).toBe(12.5)
          expect(JSON.stringify(res.data)).not.toMatch(/access_token|refresh_token|ciphertext/)

          // A variant listed nowhere: an empty page.
          const capId = store.variants["CAP-01"].id
          const none = await api.get(`/admin/marketplace/listings?variant_id=${capId}`, { headers })
          expect(none.data).toEqual(expect.objectContaining({ listings: [], count: 0 }))
        })
      })
    },
  })
})
