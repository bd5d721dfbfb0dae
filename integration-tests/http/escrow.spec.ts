import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import syncMarketplaceEscrowJob from "../../src/jobs/sync-marketplace-escrow"
import { syncConnectionEscrow } from "../../src/orchestration/escrow/escrow-sync"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { connectSandboxShop, seedStore, useShopeeSandbox, type SeededStore } from "../helpers/shopee"
import { waitFor } from "../helpers/wait"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]

const sandbox = useShopeeSandbox()

type Income = Record<string, unknown> & { order_income: Record<string, number> }

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let container: MedusaContainer
    let store: SeededStore
    let connectionId: string
    let shopId: number
    let marketplace: MarketplaceModuleService

    beforeEach(async () => {
      container = getContainer()
      marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      sandbox().reset()
      store = await seedStore(container, SKUS, { stock: 500 })
      ;({ connection_id: connectionId, shop_id: shopId } = await connectSandboxShop(container, sandbox(), store))
      sandbox().seedItems(shopId, [
        { item_name: "Tee", item_sku: "TEE-BLK-M", price: 19.9, stock: 400 },
        { item_name: "Mug", item_sku: "MUG-01", price: 12, stock: 400 },
      ])
    })

    const newOrders = (count: number, status = "COMPLETED") =>
      sandbox().createOrders(shopId, {
        count,
        status,
        items: [{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }],
      } as never)

    const linkOf = async (orderSn: string) =>
      (await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: orderSn }))[0]

    const escrowCalls = () => sandbox().calls.filter((c) => c.path === "/api/v2/payment/get_escrow_detail_batch")

    it("stores the escrow of a completed order with each fee kind, and keeps the history of an adjustment", async () => {
      const [placed] = newOrders(1, "READY_TO_SHIP")
      await importOrdersById(container, connectionId, [placed.order_sn])
      // Not settled yet: nothing is fetched.
      expect((await syncConnectionEscrow(container, connectionId)).checked).toBe(0)
      expect((await linkOf(placed.order_sn)).escrow_synced_at).toBeNull()

      sandbox().advanceOrder(placed.order_sn, "SHIPPED" as never)
      sandbox().advanceOrder(placed.order_sn, "COMPLETED" as never)
      await importOrdersById(container, connectionId, [placed.order_sn])
      // The completion fetches the escrow at once (subscriber).
      const link = await waitFor(async () => {
        const l = await linkOf(placed.order_sn)
        return l.escrow_synced_at ? l : null
      }, "the escrow of the completed order")

      const income = (sandbox().getEscrow(placed.order_sn) as Income).order_income
      const fees = link.escrow_fees as Record<string, string>
      expect(Object.keys(fees).length).toBeGreaterThanOrEqual(5)
      expect(Number(fees.commission)).toBeCloseTo(income.commission_fee, 2)
      expect(Number(fees.service)).toBeCloseTo(income.service_fee, 2)
      expect(Number(fees.transaction)).toBeCloseTo(income.seller_transaction_fee, 2)
      expect(Number(fees.shipping_actual)).toBeCloseTo(income.actual_shipping_fee, 2)
      for (const value of Object.values(fees)) expect(typeof value).toBe("string")
      expect(Number(link.escrow_buyer_total)).toBeCloseTo(income.buyer_total_amount, 2)
      expect(Number(link.escrow_net_payout)).toBeCloseTo(income.escrow_amount, 2)
      expect(Number(link.escrow_fee_total)).toBeCloseTo(
        income.commission_fee + income.service_fee + income.seller_transaction_fee + (income.escrow_tax ?? 0),
        2
      )
      expect(link.escrow_currency_code).toBe("sgd")
      expect(link.escrow_adjustments).toEqual([])
      expect(link.escrow_raw).toEqual(expect.objectContaining({ order_sn: placed.order_sn }))

      // Fetched again without change: no new history row.
      await syncConnectionEscrow(container, connectionId)
      expect(await marketplace.listEscrowChanges({ order_link_id: link.id })).toHaveLength(1)

      // An adjustment after completion: caught by the refetch window, latest kept, history added.
      sandbox().addEscrowAdjustment(placed.order_sn, { amount: -1.25, reason: "Logistic fee correction" })
      const counts = await syncConnectionEscrow(container, connectionId)
      expect(counts).toEqual(expect.objectContaining({ checked: 1, changed: 1, batches: 1 }))
      const adjusted = await linkOf(placed.order_sn)
      const after = (sandbox().getEscrow(placed.order_sn) as Income).order_income
      expect(Number(adjusted.escrow_net_payout)).toBeCloseTo(after.escrow_amount_after_adjustment, 2)
      expect(adjusted.escrow_adjustments).toEqual([
        expect.objectContaining({ amount: "-1.25", reason: "Logistic fee correction" }),
      ])

      const history = await marketplace.listEscrowChanges({ order_link_id: link.id }, { order: { recorded_at: "ASC" } })
      expect(history).toHaveLength(2)
      expect(history[0].changed_fields).toEqual(["created"])
      expect(history[1].changed_fields).toEqual(expect.arrayContaining(["adjustments", "net_payout"]))
      expect(history[1].changed_fields).not.toContain("fees")
      expect(Number(history[1].net_payout_delta)).toBeCloseTo(-1.25, 2)
      expect((history[1].previous as { net_payout: string }).net_payout).toBe(
        (history[0].current as { net_payout: string }).net_payout
      )

      // The hourly job catches a second adjustment the same way.
      sandbox().addEscrowAdjustment(placed.order_sn, { amount: 0.4, reason: "Shipping fee refund" })
      await syncMarketplaceEscrowJob(container)
      expect(await marketplace.listEscrowChanges({ order_link_id: link.id })).toHaveLength(3)
      expect((await linkOf(placed.order_sn)).escrow_adjustments).toHaveLength(2)

      // Outside the refetch window, an order that has its escrow is left alone.
      sandbox().resetCalls()
      const later = new Date(Date.now() + 30 * 86400_000)
      expect((await syncConnectionEscrow(container, connectionId, { now: later })).checked).toBe(0)
      expect(escrowCalls()).toHaveLength(0)
    })

    it("fetches escrow in batches of 50: 60 completed orders take 2 calls", async () => {
      const placed = newOrders(60)
      await importOrdersById(container, connectionId, placed.map((o) => o.order_sn))
      // Let the completion subscribers finish first.
      await waitFor(async () => {
        const links = await marketplace.listOrderLinks({ connection_id: connectionId }, { select: ["id", "escrow_synced_at"], take: 100 })
        return links.length === 60 && links.every((l) => l.escrow_synced_at)
      }, "escrow of the 60 orders", 120000)

      sandbox().resetCalls()
      const counts = await syncConnectionEscrow(container, connectionId)
      expect(counts).toEqual({ checked: 60, changed: 0, unchanged: 60, missing: 0, batches: 2 })
      const calls = escrowCalls()
      expect(calls).toHaveLength(2)
      const sizes = calls
        .map((c) => ((c.body as { order_sn_list?: string[] })?.order_sn_list ?? c.query.order_sn_list ?? []).length)
        .sort((a, b) => b - a)
      expect(sizes).toEqual([50, 10])
      // One history row per order: nothing changed on the second fetch.
      expect(await marketplace.listEscrowChanges({ connection_id: connectionId }, { take: 200 })).toHaveLength(60)
    })
  },
})
