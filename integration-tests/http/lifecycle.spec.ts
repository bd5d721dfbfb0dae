import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { importReturnsById } from "../../src/orchestration/returns/return-sync"
import { type SeededStore, setUpDriverStore } from "../helpers/store"
import { drivers, useSandbox } from "../platforms"

jest.setTimeout(240000)

type Row = Record<string, any>

/**
 * One marketplace order's whole life, as the marketplace drives it, through the plugin's two import doors
 * (orders and returns): paid -> shipped with tracking -> delivered -> completed -> partly returned and
 * refunded. Each step is imported twice (a duplicate delivery changes nothing).
 */
describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer }) => {
      let container: MedusaContainer
      let store: SeededStore
      let connectionId: string
      let shopId: string

      beforeEach(async () => {
        ;({ container, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: ["TEE-BLK-M", "MUG-01"],
          stock: 50,
          defaultShippingProfile: true,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 40 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 40 },
          ],
        }))
      })

      const readOrder = async (orderId: string) => {
        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "order",
          fields: [
            "id",
            "status",
            "fulfillments.id",
            "fulfillments.provider_id",
            "fulfillments.shipped_at",
            "fulfillments.delivered_at",
            "fulfillments.labels.tracking_number",
            "fulfillments.items.quantity",
            "payment_collections.status",
            "payment_collections.captured_amount",
            "payment_collections.refunded_amount",
            "payment_collections.payments.refunds.amount",
          ],
          filters: { id: orderId },
        })
        return data[0] as Row
      }

      const stocked = async (sku: string) => {
        const [level] = await container
          .resolve(Modules.INVENTORY)
          .listInventoryLevels({ inventory_item_id: store.variants[sku].inventory_item_id, location_id: store.stock_location_id })
        return { stocked: Number(level.stocked_quantity), reserved: Number(level.reserved_quantity) }
      }

      const importTwice = async (orderSn: string) => {
        const [first] = await importOrdersById(container, connectionId, [orderSn])
        expect(first.error).toBeNull()
        const [again] = await importOrdersById(container, connectionId, [orderSn])
        expect(again.action).toBe("unchanged")
        return first
      }

      it("order lifecycle: paid -> shipped with tracking -> delivered -> completed -> partly returned and refunded", async () => {
        const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        const placed = driver.createOrder(shopId, {
          status: "paid",
          items: [
            { sku: "TEE-BLK-M", quantity: 2 },
            { sku: "MUG-01", quantity: 1 },
          ],
          prepaid: true,
        })

        // Paid: a native order, payment captured by the marketplace, stock reserved.
        const created = await importTwice(placed.id)
        expect(created.action).toBe("create")
        const orderId = created.order_id as string
        let order = await readOrder(orderId)
        expect(order.status).toBe("pending")
        expect(order.payment_collections[0].status).toBe("completed")
        expect(order.fulfillments).toEqual([])
        expect(await stocked("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

        // Shipped with tracking: one fulfilment by the marketplace's logistics, shipped, with the tracking number.
        driver.advanceOrder(placed.id, "processed")
        driver.advanceOrder(placed.id, "shipped")
        await importTwice(placed.id)
        const tracking = driver.order(placed.id).tracking_number
        expect(tracking).toBeTruthy()
        order = await readOrder(orderId)
        expect(order.fulfillments).toHaveLength(1)
        expect(order.fulfillments[0]).toEqual(
          expect.objectContaining({ provider_id: "marketplace_marketplace", shipped_at: expect.anything(), delivered_at: null })
        )
        expect(order.fulfillments[0].labels.map((l: Row) => l.tracking_number)).toEqual([tracking])
        expect(order.fulfillments[0].items.map((i: Row) => Number(i.quantity)).sort()).toEqual([1, 2])
        expect(await stocked("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })

        // Delivered (the buyer has it, waiting for confirmation), then completed.
        driver.advanceOrder(placed.id, "delivered")
        await importTwice(placed.id)
        order = await readOrder(orderId)
        expect(order.fulfillments[0].delivered_at).toBeTruthy()
        expect(order.status).toBe("pending")

        driver.advanceOrder(placed.id, "completed")
        await importTwice(placed.id)
        order = await readOrder(orderId)
        expect(order.status).toBe("completed")
        expect(order.fulfillments).toHaveLength(1)

        // Partly returned: one of the two tees comes back and is refunded with the marketplace's amount.
        const requested = driver.createReturn(placed.id, {
          lines: [{ line: driver.line(placed.id, "TEE-BLK-M"), quantity: 1 }],
          solution: "return_refund",
        })
        const [asked] = await importReturnsById(container, connectionId, [requested.id])
        expect(asked).toEqual(expect.objectContaining({ action: "create", error: null }))
        const { data: links } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "return_link",
          fields: ["id", "status", "refunded_amount", "return.id"],
          filters: { connection_id: connectionId, external_return_id: String(requested.id) },
        })
        const returnId = (links[0] as Row).return.id as string
        const orders = container.resolve(Modules.ORDER)
        expect((await orders.retrieveReturn(returnId)).status).toBe("requested")

        driver.advanceReturn(requested.id, "processing")
        // Refunded: Shopee's accepted, TikTok Shop's refunded (there accepted leaves the goods still to come back).
        driver.advanceReturn(requested.id, driver.refundedReturnStatus)
        await importReturnsById(container, connectionId, [requested.id])
        expect((await importReturnsById(container, connectionId, [requested.id]))[0].action).toBe("unchanged")
        // The order changes too on the marketplace side (escrow): importing it again leaves the return alone.
        await importOrdersById(container, connectionId, [placed.id])

        const ret = (await orders.retrieveReturn(returnId, { relations: ["items"] })) as unknown as Row
        expect(ret.status).toBe("received")
        expect(ret.items.map((i: Row) => [Number(i.quantity), Number(i.received_quantity)])).toEqual([[1, 1]])
        order = await readOrder(orderId)
        expect(order.status).toBe("completed")
        const refunds = order.payment_collections.flatMap((pc: Row) => pc.payments.flatMap((p: Row) => p.refunds.map((r: Row) => Number(r.amount))))
        expect(refunds).toEqual([Number(requested.refund_amount)])
        expect(Number(order.payment_collections[0].refunded_amount)).toBe(Number(requested.refund_amount))
        expect(await stocked("TEE-BLK-M")).toEqual({ stocked: 49, reserved: 0 })
        const [link] = await marketplace.listReturnLinks({ connection_id: connectionId, external_return_id: String(requested.id) })
        expect(link).toEqual(expect.objectContaining({ status: driver.refundedReturnStatus, note: null }))
      })
    },
  })
})
