import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import syncMarketplaceEscrowJob from "../../src/jobs/sync-marketplace-escrow"
import { syncConnectionEscrow } from "../../src/orchestration/escrow/escrow-sync"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { type SeededStore, setUpDriverStore } from "../helpers/store"
import { drivers, useSandbox } from "../platforms"
import { waitFor } from "../helpers/wait"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]
/** The escrow batch of the core (`limits.escrow_batch`) on the platforms this spec runs for. */
const ESCROW_BATCH = 50

/**
 * The sizes of the settlement calls `orders` completed orders take: batches of 50, each in calls of at most
 * `perCall` orders (50 on a batch endpoint such as Shopee's, 1 on a per-order one such as TikTok Shop's).
 */
function settlementCallSizes(orders: number, perCall: number): number[] {
  const sizes: number[] = []
  for (let left = orders; left > 0; left -= ESCROW_BATCH) {
    for (let batch = Math.min(left, ESCROW_BATCH); batch > 0; batch -= perCall) sizes.push(Math.min(batch, perCall))
  }
  return sizes
}

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer }) => {
      let container: MedusaContainer
      let store: SeededStore
      let connectionId: string
      let shopId: string
      let marketplace: MarketplaceModuleService

      beforeEach(async () => {
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 500,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 400 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 400 },
          ],
        }))
      })

      const newOrders = (count: number, status: OrderStatus = "completed") =>
        driver.createOrders(shopId, {
          count,
          status,
          items: [{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }],
        })

      const linkOf = async (orderSn: string) =>
        (await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: orderSn }))[0]

      const escrowCalls = () => driver.calls("get_settlement")

      it("stores the escrow of a completed order with each fee kind, and keeps the history of an adjustment", async () => {
        const [placed] = newOrders(1, "paid")
        await importOrdersById(container, connectionId, [placed.id])
        // Not settled yet: nothing is fetched.
        expect((await syncConnectionEscrow(container, connectionId)).checked).toBe(0)
        expect((await linkOf(placed.id)).escrow_synced_at).toBeNull()

        driver.advanceOrder(placed.id, "shipped")
        driver.advanceOrder(placed.id, "completed")
        await importOrdersById(container, connectionId, [placed.id])
        // The completion fetches the escrow at once (subscriber).
        const link = await waitFor(async () => {
          const l = await linkOf(placed.id)
          return l.escrow_synced_at ? l : null
        }, "the escrow of the completed order")

        const settlement = driver.settlement(placed.id)
        const fees = link.escrow_fees as Record<string, string>
        expect(Object.keys(fees).length).toBeGreaterThanOrEqual(5)
        expect(Number(fees.commission)).toBeCloseTo(settlement.fees.commission, 2)
        expect(Number(fees.service)).toBeCloseTo(settlement.fees.service, 2)
        expect(Number(fees.transaction)).toBeCloseTo(settlement.fees.transaction, 2)
        expect(Number(fees.shipping_actual)).toBeCloseTo(settlement.fees.shipping_actual, 2)
        for (const value of Object.values(fees)) expect(typeof value).toBe("string")
        expect(Number(link.escrow_buyer_total)).toBeCloseTo(settlement.buyer_total, 2)
        expect(Number(link.escrow_net_payout)).toBeCloseTo(settlement.net_payout, 2)
        expect(Number(link.escrow_fee_total)).toBeCloseTo(settlement.fee_total, 2)
        expect(link.escrow_currency_code).toBe("sgd")
        expect(link.escrow_adjustments).toEqual([])
        expect(link.escrow_raw).toEqual(expect.objectContaining({ [driver.settlementApi.raw_order_field]: placed.id }))

        // Fetched again without change: no new history row.
        await syncConnectionEscrow(container, connectionId)
        expect(await marketplace.listEscrowChanges({ order_link_id: link.id })).toHaveLength(1)

        // An adjustment after completion: caught by the refetch window, latest kept, history added.
        driver.addSettlementAdjustment(placed.id, { amount: -1.25, reason: "Logistic fee correction" })
        const counts = await syncConnectionEscrow(container, connectionId)
        expect(counts).toEqual(expect.objectContaining({ checked: 1, changed: 1, batches: 1 }))
        const adjusted = await linkOf(placed.id)
        const after = driver.settlement(placed.id)
        expect(Number(adjusted.escrow_net_payout)).toBeCloseTo(after.net_payout_after_adjustments, 2)
        expect(adjusted.escrow_adjustments).toEqual([
          expect.objectContaining({ amount: "-1.25", reason: driver.settlementApi.adjustmentReason("Logistic fee correction") }),
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
        driver.addSettlementAdjustment(placed.id, { amount: 0.4, reason: "Shipping fee refund" })
        await syncMarketplaceEscrowJob(container)
        expect(await marketplace.listEscrowChanges({ order_link_id: link.id })).toHaveLength(3)
        expect((await linkOf(placed.id)).escrow_adjustments).toHaveLength(2)

        // Outside the refetch window, an order that has its escrow is left alone.
        driver.resetCalls()
        const later = new Date(Date.now() + 30 * 86400_000)
        expect((await syncConnectionEscrow(container, connectionId, { now: later })).checked).toBe(0)
        expect(escrowCalls()).toHaveLength(0)
      })

      it("imports 60 completed orders with batch calls only: 2 detail calls, escrow in the platform's calls, no other call per order beyond the platform's order detail", async () => {
        const placed = newOrders(60)
        driver.resetCalls()
        await importOrdersById(container, connectionId, placed.map((o) => o.id))
        await waitFor(async () => {
          const links = await marketplace.listOrderLinks({ connection_id: connectionId }, { select: ["id", "escrow_synced_at"], take: 100 })
          return links.length === 60 && links.every((l) => l.escrow_synced_at)
        }, "escrow of the 60 orders", 120000)
        await new Promise((resolve) => setTimeout(resolve, 1000)) // late subscribers would call now
        expect(escrowCalls().map((c) => c.orders.length)).toEqual(settlementCallSizes(60, driver.settlementApi.orders_per_call))
        expect(driver.calls("get_order").map((c) => c.orders.length)).toEqual([50, 10])
        // The shop's other calls come per batch too (Shopee's tracking numbers, TikTok Shop's statements): none per
        // order, but for a platform whose order detail needs one (Lazada's GetOrder: `other_calls_per_order`).
        const others = driver.calls().filter((c) => c.operation === null && c.shop_id !== null)
        const { other_calls_per_batch, other_calls_per_order = 0 } = driver.settlementApi
        expect(others).toHaveLength(2 * other_calls_per_batch + 60 * other_calls_per_order)
        const links = await marketplace.listOrderLinks({ connection_id: connectionId }, { select: ["tracking_number"], take: 100 })
        expect(links.every((l) => !!l.tracking_number)).toBe(true)
      })

      it("fetches escrow in batches of 50: 60 completed orders take 2 batches (2 calls on a batch endpoint)", async () => {
        const placed = newOrders(60)
        await importOrdersById(container, connectionId, placed.map((o) => o.id))
        // Let the completion subscribers finish first.
        await waitFor(async () => {
          const links = await marketplace.listOrderLinks({ connection_id: connectionId }, { select: ["id", "escrow_synced_at"], take: 100 })
          return links.length === 60 && links.every((l) => l.escrow_synced_at)
        }, "escrow of the 60 orders", 120000)

        driver.resetCalls()
        const counts = await syncConnectionEscrow(container, connectionId)
        expect(counts).toEqual({ checked: 60, changed: 0, unchanged: 60, missing: 0, batches: 2 })
        const calls = escrowCalls()
        const expected = settlementCallSizes(60, driver.settlementApi.orders_per_call)
        expect(calls).toHaveLength(expected.length)
        const sizes = calls.map((c) => c.orders.length).sort((a, b) => b - a)
        expect(sizes).toEqual(expected.sort((a, b) => b - a))
        // One history row per order: nothing changed on the second fetch.
        expect(await marketplace.listEscrowChanges({ connection_id: connectionId }, { take: 200 })).toHaveLength(60)
      })
    },
  })
})
