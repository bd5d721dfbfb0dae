import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import reconcileMarketplaceOrdersJob from "../../src/jobs/reconcile-marketplace-orders"
import { runScheduledReconciliation } from "../../src/orchestration/reconciliation/reconciliation-schedule"
import { decimal } from "../../src/lib/decimal"
import { adminHeaders } from "../helpers/admin"
import { setUpDriverStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { drivers, useSandbox } from "../platforms"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(240000)

type Row = { kind: string; external_order_id: string; order_link_id: string | null; marketplace_status: string | null }
type ErrorResponse = { response: { status: number; data: { message?: string } } }

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let connectionId: string
      let shopId: string
      let marketplace: MarketplaceModuleService
      let headers: Record<string, string>

      beforeEach(async () => {
        ;({ container, marketplace, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: ["TEE-BLK-M", "MUG-01"],
          stock: 200,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 100 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 100 },
          ],
        }))
        ;({ headers } = await adminHeaders(container))
      })

      const newOrder = (status: OrderStatus) =>
        driver.createOrder(shopId, {
          status,
          items: [{ sku: "TEE-BLK-M", quantity: 1 }, { sku: "MUG-01", quantity: 2 }],
        }).id

      const linkOf = async (orderSn: string) =>
        (await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: orderSn }))[0]

      const range = () => ({
        from: new Date(Date.now() - 3600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      })

      it("reconciliation report", async () => {
        const clean = newOrder("completed")
        const linkRemoved = newOrder("paid")
        const orderRemoved = newOrder("paid")
        const totalChanged = newOrder("paid")
        const drifted = newOrder("paid")
        const escrowLost = newOrder("completed")
        const outcomes = await importOrdersById(container, connectionId, [
          clean, linkRemoved, orderRemoved, totalChanged, drifted, escrowLost,
        ])
        expect(outcomes.every((o) => o.action === "create")).toBe(true)
        for (const sn of [clean, escrowLost]) {
          await waitFor(async () => (await linkOf(sn)).escrow_synced_at, `escrow of ${sn}`)
        }

        // Plant the discrepancies.
        await marketplace.softDeleteOrderLinks([(await linkOf(linkRemoved)).id])
        await container.resolve(Modules.ORDER).softDeleteOrders([outcomes.find((o) => o.external_order_id === orderRemoved)!.order_id!])
        await marketplace.updateOrderLinks({ id: (await linkOf(totalChanged)).id, total: decimal("1.00") })
        driver.driftOrder(drifted, "shipped")
        await marketplace.updateOrderLinks({
          id: (await linkOf(escrowLost)).id,
          escrow_synced_at: null,
          escrow_net_payout: null,
          escrow_fees: null,
          escrow_buyer_total: null,
          escrow_fee_total: null,
        })
        const ghost = await marketplace.createOrderLinks({
          connection_id: connectionId,
          external_order_id: "GHOST0000001",
          external_status: "READY_TO_SHIP",
          status: "paid",
          external_updated_at: new Date(),
          currency_code: "sgd",
          total: decimal("10.00"),
        })

        const res = await api.post(`/admin/marketplace/connections/${connectionId}/reconcile`, range(), { headers })
        expect(res.status).toBe(201)
        const report = res.data.reconciliation_report
        expect(report).toEqual(expect.objectContaining({ status: "completed", trigger: "manual", connection_id: connectionId }))
        const rows = report.rows as Row[]
        const kindsOf = (sn: string) => rows.filter((r) => r.external_order_id === sn).map((r) => r.kind).sort()

        expect(kindsOf(clean)).toEqual([])
        expect(kindsOf(linkRemoved)).toEqual(["missing_in_medusa"])
        expect(kindsOf(orderRemoved)).toEqual(["missing_in_medusa"])
        expect(kindsOf(totalChanged)).toEqual(["total_mismatch"])
        expect(kindsOf(drifted)).toEqual(["status_drift"])
        expect(rows.find((r) => r.external_order_id === drifted)!.marketplace_status).toBe("shipped")
        expect(kindsOf(escrowLost)).toEqual(["escrow_missing"])
        expect(kindsOf("GHOST0000001")).toEqual(["unknown_to_marketplace"])
        expect(rows.find((r) => r.kind === "unknown_to_marketplace")!.order_link_id).toBe(ghost.id)
        expect(report.summary).toEqual(
          expect.objectContaining({
            marketplace_orders: 6,
            missing_in_medusa: 2,
            unknown_to_marketplace: 1,
            status_drift: 1,
            total_mismatch: 1,
            escrow_missing: 1,
            discrepancies: 6,
          })
        )

        // Fees by kind and payout per day: only the clean order still has escrow.
        const settlement = driver.settlement(clean)
        expect(Number(report.fee_totals.commission)).toBeCloseTo(settlement.fees.commission, 2)
        expect(Number(report.fee_totals.service)).toBeCloseTo(settlement.fees.service, 2)
        expect(Object.values(report.payout_by_day).map(Number)).toEqual([expect.closeTo(settlement.net_payout, 2)])
        expect(report.summary.net_payout_total).toBe(Object.values(report.payout_by_day)[0])

        // Read back, listed, and as CSV.
        const one = await api.get(`/admin/marketplace/reconciliation-reports/${report.id}`, { headers })
        expect(one.data.reconciliation_report.rows).toHaveLength(6)
        const list = await api.get(`/admin/marketplace/reconciliation-reports?connection_id=${connectionId}`, { headers })
        expect(list.data).toEqual(expect.objectContaining({ count: 1, offset: 0, limit: 20 }))
        expect(list.data.reconciliation_reports[0]).toEqual(expect.objectContaining({ id: report.id, summary: report.summary }))
        expect(list.data.reconciliation_reports[0].rows).toBeUndefined()

        const csv = await api.get(`/admin/marketplace/reconciliation-reports/${report.id}/csv`, { headers })
        expect(csv.headers["content-type"]).toMatch(/^text\/csv/)
        expect(csv.headers["content-disposition"]).toContain(`reconciliation-${report.id}.csv`)
        const lines = (csv.data as string).trim().split("\r\n")
        expect(lines[0]).toBe(
          "kind,external_order_id,order_link_id,order_id,marketplace_status,link_status,order_status,marketplace_total,link_total,order_total,detail"
        )
        expect(lines).toHaveLength(7)
        expect(lines.some((l) => l.startsWith(`missing_in_medusa,${linkRemoved},`))).toBe(true)
        expect(lines.some((l) => l.startsWith(`total_mismatch,${totalChanged},`))).toBe(true)

        // The monitor's stats carry the latest summary.
        const stats = await api.get("/admin/marketplace/stats", { headers })
        expect(stats.data.stats.orders_imported).toBeGreaterThanOrEqual(6)
        expect(stats.data.stats.tasks).toEqual(expect.objectContaining({ pending: expect.any(Number), failed: expect.any(Number) }))
        expect(Object.keys(stats.data.stats.events)).toEqual(expect.arrayContaining(["pending", "done", "failed", "dead"]))
        const mine = stats.data.stats.reconciliation.find((c: { connection_id: string }) => c.connection_id === connectionId)
        expect(mine.latest_report).toEqual(expect.objectContaining({ id: report.id, summary: report.summary }))
      })

      it("the daily run keeps only the latest scheduled report per connection", async () => {
        await importOrdersById(container, connectionId, [newOrder("paid")])
        const first = await runScheduledReconciliation(container, connectionId)
        await reconcileMarketplaceOrdersJob(container)
        const [second] = await marketplace.listReconciliationReports({ connection_id: connectionId, trigger: "scheduled" })
        expect(first!.id).not.toBe(second.id)
        const manual = await api.post(`/admin/marketplace/connections/${connectionId}/reconcile`, range(), { headers })
        const scheduled = await marketplace.listReconciliationReports({ connection_id: connectionId, trigger: "scheduled" })
        expect(scheduled.map((r) => r.id)).toEqual([second.id])
        expect(scheduled[0].summary).toEqual(expect.objectContaining({ marketplace_orders: 1, discrepancies: 0 }))
        const all = await api.get(`/admin/marketplace/reconciliation-reports?connection_id=${connectionId}`, { headers })
        expect(all.data.reconciliation_reports.map((r: { id: string }) => r.id).sort()).toEqual(
          [second.id, manual.data.reconciliation_report.id].sort()
        )
      })

      it("keeps a failed report when the marketplace fails, and the previous scheduled report with it", async () => {
        const previous = await runScheduledReconciliation(container, connectionId)
        driver.addFault({ operation: "list_orders", kind: "server_error", count: 20 })
        const res = await api.post(`/admin/marketplace/connections/${connectionId}/reconcile`, range(), { headers })
        expect(res.status).toBe(201)
        expect(res.data.reconciliation_report).toEqual(
          expect.objectContaining({ status: "failed", error: expect.any(String), rows: null, summary: null })
        )
        const failedScheduled = await runScheduledReconciliation(container, connectionId)
        expect(failedScheduled!.status).toBe("failed")
        driver.clearFaults()
        const scheduled = await marketplace.listReconciliationReports({ connection_id: connectionId, trigger: "scheduled" })
        expect(scheduled.map((r) => r.id).sort()).toEqual([previous!.id, failedScheduled!.id].sort())
      })

      it("answers 400 for a bad range, 404 for unknown ids and 401 without auth", async () => {
        const fail = (p: Promise<unknown>) => p.then(() => ({ status: 200, data: {} }), (e: ErrorResponse) => e.response)
        const url = `/admin/marketplace/connections/${connectionId}/reconcile`
        const now = Date.now()
        const backwards = await fail(api.post(url, { from: new Date(now).toISOString(), to: new Date(now - 3600_000).toISOString() }, { headers }))
        expect(backwards.status).toBe(400)
        expect((await fail(api.post(url, { from: "yesterday", to: new Date(now).toISOString() }, { headers }))).status).toBe(400)
        expect((await fail(api.post(url, { from: new Date(now - 3600_000).toISOString() }, { headers }))).status).toBe(400)
        expect((await fail(api.post(url, { from: new Date(now - 200 * 86400_000).toISOString(), to: new Date(now).toISOString() }, { headers }))).status).toBe(400)
        expect((await fail(api.post(url, { ...range(), extra: 1 }, { headers }))).status).toBe(400)

        expect((await fail(api.post("/admin/marketplace/connections/mpcon_unknown/reconcile", range(), { headers }))).status).toBe(404)
        expect((await fail(api.get("/admin/marketplace/reconciliation-reports/mprec_unknown", { headers }))).status).toBe(404)
        expect((await fail(api.get("/admin/marketplace/reconciliation-reports/mprec_unknown/csv", { headers }))).status).toBe(404)
        expect(await marketplace.listReconciliationReports({})).toHaveLength(0)

        for (const call of [
          () => api.post(url, range()),
          () => api.get("/admin/marketplace/reconciliation-reports"),
          () => api.get("/admin/marketplace/reconciliation-reports/mprec_unknown"),
          () => api.get("/admin/marketplace/reconciliation-reports/mprec_unknown/csv"),
          () => api.get("/admin/marketplace/stats"),
        ]) {
          expect((await fail(call())).status).toBe(401)
        }
      })
    },
  })
})
