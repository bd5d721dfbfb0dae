import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { drainMissedEvents } from "../../src/orchestration/inbox/missed-events"
import { processInboxEvents } from "../../src/orchestration/inbox/inbox-processor"
import { IDLE_PULL_WRITE_INTERVAL_MS, isPullDue, runScheduledPull } from "../../src/orchestration/orders/order-pull"
import { importOrdersById, OrderImportInterrupted } from "../../src/orchestration/orders/order-sync"
import { runSyncRun } from "../../src/orchestration/sync-runs/sync-run"
import { adminHeaders } from "../helpers/admin"
import { setUpDriverStore } from "../helpers/store"
import { waitFor, waitPastSecond } from "../helpers/wait"
import { describeFor, drivers, useSandbox } from "../platforms"

jest.setTimeout(240000)

const DAY = 86400

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let marketplace: MarketplaceModuleService
      let connectionId: string
      let shopId: string
      let headers: Record<string, string>

      beforeEach(async () => {
        ;({ container, marketplace, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: ["MUG-01"],
          stock: 50,
        }))
        headers = (await adminHeaders(container)).headers
        // Pretend the shop was connected a while ago, so scheduled pulls start from then.
        await marketplace.updateConnections({ id: connectionId, authorized_at: new Date(Date.now() - 3600_000) })
        driver.createListings(shopId, [{ name: "Mug", sku: "MUG-01", price: 12, stock: 500 }])
      })

      const createOrders = (count: number, quantity = 1) =>
        driver.createOrders(shopId, { count, status: "paid", items: [{ sku: "MUG-01", quantity }] })
      const links = () => marketplace.listOrderLinks({ connection_id: connectionId }, { take: 1000 })
      const ordersCursor = async () => (await marketplace.listCursors({ connection_id: connectionId, stream: "orders" }))[0]

      describe("scheduled pull", () => {
        it("imports what changed since the cursor, advances it, and re-pulls the overlap without duplicates", async () => {
          const placed = createOrders(3)
          const first = await runScheduledPull(container, connectionId)
          expect(first).toEqual(expect.objectContaining({ seen: 3, created: 3, failed: 0 }))
          expect(await links()).toHaveLength(3)
          const cursor = await ordersCursor()
          expect(Math.abs(new Date(cursor.position).getTime() - Date.now())).toBeLessThan(60_000)

          const cancelled = driver.advanceOrder(placed[0].id, "cancelled")
          await waitPastSecond(cancelled.updated_at)
          const second = await runScheduledPull(container, connectionId)
          // The look-back overlap sees all three again; only the cancelled one changes.
          expect(second).toEqual(expect.objectContaining({ seen: 3, created: 0, updated: 1, unchanged: 2 }))
          expect(await links()).toHaveLength(3)
          const connection = await marketplace.retrieveConnection(connectionId)
          expect(connection.last_pull_at).toBeTruthy()
        })

        it("parks an order that fails in the inbox and moves the cursor past it; an unreadable order does not fail its detail batch", async () => {
          // A variant that manages inventory but is stocked nowhere this shop's sales channel can ship from:
          // Medusa refuses the order, so its import fails.
          await createProductsWorkflow(container).run({
            input: { products: [{ title: "Orphan", options: [{ title: "O", values: ["o"] }], variants: [{ title: "o", sku: "ORPHAN-1", manage_inventory: true, options: { O: "o" }, prices: [{ amount: 5, currency_code: "sgd" }] }] }] },
          })
          driver.createListings(shopId, [{ name: "Orphan", sku: "ORPHAN-1", price: 5, stock: 10 }])
          const good = createOrders(6, 1)
          const tooMany = driver.createOrder(shopId, { status: "paid", items: [{ sku: "ORPHAN-1", quantity: 1 }] })
          // And one order the provider cannot map, in the same detail batch as the six good ones.
          const poison = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
          driver.makeUnreadable(poison.id)

          const result = await runScheduledPull(container, connectionId)
          expect(result).toEqual(expect.objectContaining({ created: 6, failed: 2 }))
          // The six good orders are imported (the refused one's link is compensated away with its import).
          expect((await links()).map((l) => l.external_order_id).sort()).toEqual(good.map((o) => o.id).sort())
          // The cursor moved on to now; the two failures wait in the inbox, failed with their error and due
          // for a retry (the monitor lists them with its retry button).
          expect(new Date((await ordersCursor()).position).getTime()).toBe(result!.to.getTime())
          expect(driver.order(poison.id).updated_at * 1000).toBeLessThan(result!.to.getTime())
          const parked = await marketplace.listMarketplaceEvents({ connection_id: connectionId, status: "failed" })
          expect(parked.map((e) => e.external_order_id).sort()).toEqual([tooMany.id, poison.id].sort())
          for (const event of parked) {
            expect(event.last_error).toBeTruthy()
            expect(new Date(event.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now())
          }
          expect(parked.find((e) => e.external_order_id === poison.id)?.last_error).toMatch(/could not be read/)
          // The same failures seen by the next pull (the overlap) are parked once.
          await runScheduledPull(container, connectionId)
          expect(await marketplace.listMarketplaceEvents({ connection_id: connectionId, status: "failed" })).toHaveLength(2)

          // Once the platform answers the order properly, the inbox's retry imports it.
          driver.driftOrder(poison.id, "paid")
          await marketplace.updateMarketplaceEvents(parked.map((e) => ({ id: e.id, next_attempt_at: new Date(Date.now() - 1000) })))
          await processInboxEvents(container)
          const [imported] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: poison.id })
          expect(imported).toBeTruthy()
          const events = await marketplace.listMarketplaceEvents({ connection_id: connectionId })
          expect(events.find((e) => e.external_order_id === poison.id)?.status).toBe("done")
          expect(events.find((e) => e.external_order_id === tooMany.id)?.status).toBe("failed")
        })

        it("a detail fetch that fails after earlier batches were imported hands back their outcomes with the error", async () => {
          const batch = marketplace.getProvider(driver.platform).limits.order_detail_batch
          const placed = createOrders(batch + 3)
          // The first detail batch is answered; the second is refused for good (not retried).
          driver.addFault({ operation: "get_order", kind: "permission_denied", count: 1, after: 1 })
          const error = await importOrdersById(container, connectionId, placed.map((o) => o.id)).then(
            () => null,
            (e: unknown) => e
          )
          driver.clearFaults()
          // The inbox settles the first batch's events as done and retries only the others' (a pull keeps
          // its cursor, as for any fetch failure).
          expect(error).toBeInstanceOf(OrderImportInterrupted)
          const { outcomes } = error as OrderImportInterrupted
          expect(outcomes.map((o) => o.action)).toEqual(Array(batch).fill("create"))
          expect(outcomes.map((o) => o.external_order_id).sort()).toEqual(placed.slice(0, batch).map((o) => o.id).sort())
          expect((await links()).map((l) => l.external_order_id).sort()).toEqual(placed.slice(0, batch).map((o) => o.id).sort())

          // A failure in the first batch is the plain error: nothing was imported.
          driver.addFault({ operation: "get_order", kind: "permission_denied", count: 1 })
          const first = await importOrdersById(container, connectionId, placed.slice(batch).map((o) => o.id)).then(() => null, (e: unknown) => e)
          driver.clearFaults()
          expect(first).toBeTruthy()
          expect(first).not.toBeInstanceOf(OrderImportInterrupted)
        })

        it("webhook and pull overlapping make one order", async () => {
          const hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
          driver.setPushTarget(hookUrl)
          const [placed] = createOrders(1)
          driver.advanceOrder(placed.id, "processed")
          await driver.flushPushes()
          await Promise.all([
            runScheduledPull(container, connectionId),
            waitFor(async () => (await marketplace.listMarketplaceEvents({ status: "done" })).length > 0, "the push"),
          ])
          await runScheduledPull(container, connectionId)
          expect(await links()).toHaveLength(1)
        })

        it("a pull that finds nothing writes nothing and lists once; the cursor is refreshed within the hour", async () => {
          await runScheduledPull(container, connectionId) // creates and writes the cursor
          const cursor = await ordersCursor()
          const { last_pull_at: lastPull } = await marketplace.retrieveConnection(connectionId)
          driver.resetCalls()
          const idle = await runScheduledPull(container, connectionId, { now: new Date(Date.now() + 60_000) })
          expect(idle).toEqual(expect.objectContaining({ seen: 0 }))
          expect(driver.calls("list_orders")).toHaveLength(1)
          expect(driver.calls().filter((c) => c.shop_id !== null)).toHaveLength(1)
          const after = await ordersCursor()
          expect(after.updated_at).toEqual(cursor.updated_at)
          expect(after.last_run_at).toEqual(cursor.last_run_at)
          expect((await marketplace.retrieveConnection(connectionId)).last_pull_at).toEqual(lastPull)
          // Not due again within the interval, although nothing was stored.
          expect(isPullDue({ id: connectionId, last_pull_at: null, settings: { pull_interval_minutes: 5 } })).toBe(false)

          const later = new Date(Date.now() + IDLE_PULL_WRITE_INTERVAL_MS + 60_000)
          await runScheduledPull(container, connectionId, { now: later })
          expect(new Date((await ordersCursor()).position).getTime()).toBe(later.getTime())
        })

        it("one pull per connection at a time", async () => {
          createOrders(2)
          const results = await Promise.all([runScheduledPull(container, connectionId), runScheduledPull(container, connectionId)])
          expect(results.filter((r) => r === null)).toHaveLength(1)
          expect(await links()).toHaveLength(2)
        })

        // Shopee keeps the pushes an endpoint missed in a list the plugin pulls (v2.push.get_lost_push_message).
        describeFor("shopee", driver)("Shopee lost pushes", () => {
          it("drains pushes the endpoint missed and acknowledges them", async () => {
            driver.setPushTarget(`http://127.0.0.1:9${driver.webhookPath}`) // nothing listens there
            const [placed] = createOrders(1)
            driver.advanceOrder(placed.id, "processed")
            await driver.flushPushes()
            expect(driver.undeliveredCount()).toBeGreaterThan(0)

            const stored = await drainMissedEvents(container, driver.platform)
            expect(stored).toBeGreaterThan(0)
            await waitFor(async () => (await links()).length === 1, "the missed order to be imported")
            // Acknowledged: a second drain finds nothing new.
            expect(await drainMissedEvents(container, driver.platform)).toBe(0)
          })
        })
      })

      describe("backfill", () => {
        const placeInPast = (daysAgo: number[]) =>
          daysAgo.map((d) => {
            const [o] = createOrders(1)
            const t = Math.floor(Date.now() / 1000) - d * DAY
            driver.setOrderTimes(o.id, { created_at: t, updated_at: t })
            return o
          })

        it("imports a date range with live progress counts", async () => {
          placeInPast([25, 20, 12, 3, 1])
          placeInPast([40]) // outside the range
          const from = new Date(Date.now() - 30 * DAY * 1000).toISOString()
          const res = await api.post(`/admin/marketplace/connections/${connectionId}/sync`, { from }, { headers })
          expect(res.status).toBe(202)
          expect(res.data.sync_run).toEqual(expect.objectContaining({ kind: "backfill", status: "pending" }))

          const run = await waitFor(async () => {
            const r = await api.get(`/admin/marketplace/sync-runs/${res.data.sync_run.id}`, { headers })
            return r.data.sync_run.status === "completed" ? r.data.sync_run : null
          }, "the backfill to complete", 60000)
          expect(run).toEqual(expect.objectContaining({ seen: 5, created: 5, failed: 0, progress: 1 }))
          expect(await links()).toHaveLength(5)

          const list = await api.get(`/admin/marketplace/sync-runs?connection_id=${connectionId}`, { headers })
          expect(list.data.count).toBe(1)
        })

        it("brings the range's returns too", async () => {
          const placed = driver.createOrder(shopId, { status: "completed", prepaid: true, items: [{ sku: "MUG-01", quantity: 2 }] })
          const requested = driver.createReturn(placed.id, {})
          const from = new Date(Date.now() - 2 * DAY * 1000).toISOString()
          const res = await api.post(`/admin/marketplace/connections/${connectionId}/sync`, { from }, { headers })
          await waitFor(async () => {
            const r = await api.get(`/admin/marketplace/sync-runs/${res.data.sync_run.id}`, { headers })
            return r.data.sync_run.status === "completed"
          }, "the backfill to complete", 60000)
          const [returnLink] = await marketplace.listReturnLinks({ connection_id: connectionId, external_return_id: requested.id })
          expect(returnLink).toEqual(expect.objectContaining({ external_order_id: placed.id, status: "requested" }))
        })

        it("refuses a bad range and a disabled connection with 400", async () => {
          const bad = await api
            .post(`/admin/marketplace/connections/${connectionId}/sync`, { from: "2026-02-01", to: "2026-01-01" }, { headers })
            .catch((e: { response: unknown }) => e.response)
          expect(bad.status).toBe(400)
          const notDate = await api
            .post(`/admin/marketplace/connections/${connectionId}/sync`, { from: "yesterday-ish" }, { headers })
            .catch((e: { response: unknown }) => e.response)
          expect(notDate.status).toBe(400)
          await marketplace.updateConnections({ id: connectionId, status: "disabled" })
          const disabled = await api
            .post(`/admin/marketplace/connections/${connectionId}/sync`, {}, { headers })
            .catch((e: { response: unknown }) => e.response)
          expect(disabled.status).toBe(400)
          expect(await marketplace.listSyncRuns({ connection_id: connectionId })).toHaveLength(0)
        })

        it("resumes a run whose worker died, from where it was", async () => {
          placeInPast([25, 20])
          placeInPast([5, 2])
          const now = Date.now()
          const run = await marketplace.createSyncRuns({
            connection_id: connectionId,
            kind: "backfill",
            status: "running",
            range_from: new Date(now - 30 * DAY * 1000),
            range_to: new Date(now),
            // The dead worker had finished the first 15 days and reported two orders.
            resume_from: new Date(now - 15 * DAY * 1000),
            seen: 2,
            created: 2,
            heartbeat_at: new Date(now - 3600_000),
          })
          await runSyncRun(container, run.id)
          const done = await marketplace.retrieveSyncRun(run.id)
          expect(done).toEqual(expect.objectContaining({ status: "completed", seen: 4, created: 4, progress: 1 }))
          // Only the second window was listed again.
          expect(await links()).toHaveLength(2)
        })

        it("a run stopped by a platform error that may pass goes back to pending and completes on its next claim", async () => {
          placeInPast([3, 2])
          driver.addFault({ operation: "list_orders", kind: "server_error", count: 50 })
          const run = await marketplace.createSyncRuns({
            connection_id: connectionId, kind: "backfill",
            range_from: new Date(Date.now() - 10 * DAY * 1000), range_to: new Date(),
          })
          await runSyncRun(container, run.id)
          const paused = await marketplace.retrieveSyncRun(run.id)
          expect(paused).toEqual(expect.objectContaining({ status: "pending", error: expect.any(String), finished_at: null }))
          driver.clearFaults()
          await runSyncRun(container, run.id) // what the resume job does within a minute
          const done = await marketplace.retrieveSyncRun(run.id)
          expect(done).toEqual(expect.objectContaining({ status: "completed", error: null, created: 2, progress: 1 }))
          expect(await links()).toHaveLength(2)
        })

        it("a run refused by the platform for good fails", async () => {
          driver.addFault({ operation: "list_orders", kind: "permission_denied", count: 5 })
          const run = await marketplace.createSyncRuns({
            connection_id: connectionId, kind: "backfill",
            range_from: new Date(Date.now() - DAY * 1000), range_to: new Date(),
          })
          await runSyncRun(container, run.id)
          driver.clearFaults()
          expect(await marketplace.retrieveSyncRun(run.id)).toEqual(expect.objectContaining({ status: "failed", error: expect.any(String) }))
        })

        it("a live run is not taken over", async () => {
          const run = await marketplace.createSyncRuns({
            connection_id: connectionId, kind: "backfill", status: "running",
            range_from: new Date(Date.now() - DAY * 1000), range_to: new Date(), heartbeat_at: new Date(),
          })
          expect(await marketplace.claimSyncRun(run.id)).toBe(false)
        })

        it("cancels a pending run at once and a running one after its current page", async () => {
          const pending = await marketplace.createSyncRuns({
            connection_id: connectionId, kind: "backfill", range_from: new Date(Date.now() - DAY * 1000), range_to: new Date(),
          })
          const res = await api.post(`/admin/marketplace/sync-runs/${pending.id}/cancel`, {}, { headers })
          expect(res.data.sync_run.status).toBe("cancelled")
          const again = await api
            .post(`/admin/marketplace/sync-runs/${pending.id}/cancel`, {}, { headers })
            .catch((e: { response: unknown }) => e.response)
          expect(again.status).toBe(400)

          placeInPast([25, 5])
          const running = await marketplace.createSyncRuns({
            connection_id: connectionId, kind: "backfill", range_from: new Date(Date.now() - 30 * DAY * 1000),
            range_to: new Date(), cancel_requested: true,
          })
          await runSyncRun(container, running.id)
          const stopped = await marketplace.retrieveSyncRun(running.id)
          expect([stopped.status, stopped.error]).toEqual(["cancelled", null])
          expect(stopped.progress).toBeLessThan(1)
          expect(await links()).toHaveLength(1)
        })
      })
    },
  })
})
