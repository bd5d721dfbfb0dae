import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { ORDER_TEST_SKUS, readOrder, type SeededStore, seedOrderTestCatalogue, setUpDriverStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { useSandbox } from "../platforms"
import { lazadaDriver } from "../platforms/lazada/driver"

jest.setTimeout(180000)

/**
 * What only Lazada has: no order status (each order item, one unit, has its own), so two units of a SKU are two
 * items folded into one Medusa line, and an order cancelled in part stays open for the rest.
 */
describe("Lazada order items", () => {
  const driver = lazadaDriver()
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer, api }) => {
      let container: MedusaContainer
      let store: SeededStore
      let connectionId: string
      let shopId: string
      let marketplace: MarketplaceModuleService

      beforeEach(async () => {
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, { skus: ORDER_TEST_SKUS, stock: 50 }))
        seedOrderTestCatalogue(driver, shopId)
      })

      it("folds one item per unit into one line per SKU, with Lazada's total", async () => {
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 3 }, { sku: "TEE-BLK-M", quantity: 2 }] })
        expect(placed.lines.map((l) => [l.sku, l.quantity])).toEqual([["MUG-01", 3], ["TEE-BLK-M", 2]])
        const [outcome] = await importOrdersById(container, connectionId, [placed.id])
        expect(outcome).toEqual(expect.objectContaining({ action: "create", error: null }))
        const { order } = await readOrder(container, outcome.order_id as string)
        const byVariant = Object.fromEntries(order.items.map((i: { variant_id: string; quantity: number }) => [i.variant_id, Number(i.quantity)]))
        expect(byVariant).toEqual({ [store.variants["MUG-01"].id]: 3, [store.variants["TEE-BLK-M"].id]: 2 })
        expect(Number(order.total)).toBeCloseTo(placed.total, 2)
      })

      it("keeps an order cancelled in part open, following its other items", async () => {
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }, { sku: "TEE-BLK-M", quantity: 1 }] })
        // The TEE unit is cancelled on Lazada; the MUG unit goes on and ships.
        driver.moveItem(placed.id, "TEE-BLK-M", "canceled")
        driver.advanceOrder(placed.id, "shipped")
        const shipped = driver.order(placed.id)
        expect(shipped.status).toBe("shipped")
        expect(shipped.external_status).toBe("canceled,shipped")
        const [outcome] = await importOrdersById(container, connectionId, [placed.id])
        expect(outcome).toEqual(expect.objectContaining({ error: null }))
        const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: placed.id })
        expect(link).toEqual(expect.objectContaining({ status: "shipped", external_status: "canceled,shipped" }))
        // The whole order is not cancelled for one unit.
        const { order } = await readOrder(container, outcome.order_id as string)
        expect(order.status).not.toBe("canceled")
      })

      it("a buyer's cancellation request told only by its reverse-order message (CANCEL_INIT) re-reads the order: cancel requested", async () => {
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
        await importOrdersById(container, connectionId, [placed.id])
        // The sandbox's pushes for the request are recorded, not delivered (nobody answers there).
        driver.setPushTarget("http://127.0.0.1:9/hooks/marketplace/lazada")
        try {
          driver.advanceOrder(placed.id, "cancel_requested")
          await driver.flushPushes()
        } finally {
          driver.setPushTarget(null)
        }
        const reverse = driver.deliveries().map((d) => d.body).filter((b) => JSON.parse(b).message_type === 10 && JSON.parse(b).data.trade_order_id === placed.id)
        expect(reverse.map((b) => JSON.parse(b).data.reverse_status)).toEqual(["CANCEL_INIT"])
        // Only the reverse-order message reaches the app, signed as the sandbox signs it.
        const push = driver.sign(`${api.defaults.baseURL}${driver.webhookPath}`, reverse[0])
        const answer = await api.post(driver.webhookPath, push.body, { headers: push.headers, transformRequest: [(data: unknown) => data] })
        expect(answer.status).toBe(200)
        // The event is done once its order was read again; the order link then says what Lazada says.
        const event = await waitFor(async () => {
          const [found] = await marketplace.listMarketplaceEvents({ external_order_id: placed.id, external_type: "10", status: "done" })
          return found
        }, "the reverse-order event to be processed")
        expect(event).toEqual(expect.objectContaining({ type: "order.status_changed", external_return_id: null }))
        const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: placed.id })
        expect(link).toEqual(expect.objectContaining({ status: "cancel_requested", external_status: "pending" }))
      })
    },
  })
})
