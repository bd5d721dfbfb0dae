import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { importReturnsById } from "../../src/orchestration/returns/return-sync"
import { connectSandboxShop, seedStore, useDefaultShippingProfile, useShopeeSandbox, type SeededStore } from "../helpers/shopee"

jest.setTimeout(240000)

const sandbox = useShopeeSandbox()

type Row = Record<string, any>

/**
 * One marketplace order's whole life, as the marketplace drives it, through the plugin's two import doors
 * (orders and returns): paid -> shipped with tracking -> delivered -> completed -> partly returned and
 * refunded. Each step is imported twice (a duplicate delivery changes nothing).
 */
medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    let container: MedusaContainer
    let store: SeededStore
    let connectionId: string
    let shopId: number

    beforeEach(async () => {
      container = getContainer()
      sandbox().reset()
      store = await seedStore(container, ["TEE-BLK-M", "MUG-01"], { stock: 50 })
      await useDefaultShippingProfile(container, store)
      ;({ connection_id: connectionId, shop_id: shopId } = await connectSandboxShop(container, sandbox(), store))
      sandbox().seedItems(shopId, [
        { item_name: "Tee", item_sku: "TEE-BLK-M", price: 19.9, stock: 40 },
        { item_name: "Mug", item_sku: "MUG-01", price: 12, stock: 40 },
      ])
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
      const [placed] = sandbox().createOrders(shopId, {
        count: 1,
        status: "READY_TO_SHIP",
        items: [
          { sku: "TEE-BLK-M", quantity: 2 },
          { sku: "MUG-01", quantity: 1 },
        ],
        payment_method: "ShopeePay",
      } as never)

      // Paid: a native order, payment captured by the marketplace, stock reserved.
      const created = await importTwice(placed.order_sn)
      expect(created.action).toBe("create")
      const orderId = created.order_id as string
      let order = await readOrder(orderId)
      expect(order.status).toBe("pending")
      expect(order.payment_collections[0].status).toBe("completed")
      expect(order.fulfillments).toEqual([])
      expect(await stocked("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

      // Shipped with tracking: one fulfilment by the marketplace's logistics, shipped, with the tracking number.
      sandbox().advanceOrder(placed.order_sn, "PROCESSED" as never)
      sandbox().advanceOrder(placed.order_sn, "SHIPPED" as never)
      await importTwice(placed.order_sn)
      const tracking = sandbox().core.order(placed.order_sn).tracking_number
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
      sandbox().advanceOrder(placed.order_sn, "TO_CONFIRM_RECEIVE" as never)
      await importTwice(placed.order_sn)
      order = await readOrder(orderId)
      expect(order.fulfillments[0].delivered_at).toBeTruthy()
      expect(order.status).toBe("pending")

      sandbox().advanceOrder(placed.order_sn, "COMPLETED" as never)
      await importTwice(placed.order_sn)
      order = await readOrder(orderId)
      expect(order.status).toBe("completed")
      expect(order.fulfillments).toHaveLength(1)

      // Partly returned: one of the two tees comes back and is refunded with the marketplace's amount.
      const line = sandbox().core.order(placed.order_sn).lines.find((l: Row) => l.item_sku === "TEE-BLK-M" || l.model_sku === "TEE-BLK-M")!
      const requested = sandbox().createReturn(placed.order_sn, {
        items: [{ item_id: line.item_id, model_id: line.model_id, amount: 1 }],
        solution: "RETURN_REFUND",
      } as never)
      const [asked] = await importReturnsById(container, connectionId, [requested.return_sn])
      expect(asked).toEqual(expect.objectContaining({ action: "create", error: null }))
      const { data: links } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "return_link",
        fields: ["id", "status", "refunded_amount", "return.id"],
        filters: { connection_id: connectionId, external_return_id: String(requested.return_sn) },
      })
      const returnId = (links[0] as Row).return.id as string
      const orders = container.resolve(Modules.ORDER)
      expect((await orders.retrieveReturn(returnId)).status).toBe("requested")

      sandbox().advanceReturn(requested.return_sn, "PROCESSING" as never)
      sandbox().advanceReturn(requested.return_sn, "ACCEPTED" as never)
      await importReturnsById(container, connectionId, [requested.return_sn])
      expect((await importReturnsById(container, connectionId, [requested.return_sn]))[0].action).toBe("unchanged")
      // The order changes too on the marketplace side (escrow): importing it again leaves the return alone.
      await importOrdersById(container, connectionId, [placed.order_sn])

      const ret = (await orders.retrieveReturn(returnId, { relations: ["items"] })) as unknown as Row
      expect(ret.status).toBe("received")
      expect(ret.items.map((i: Row) => [Number(i.quantity), Number(i.received_quantity)])).toEqual([[1, 1]])
      order = await readOrder(orderId)
      expect(order.status).toBe("completed")
      const refunds = order.payment_collections.flatMap((pc: Row) => pc.payments.flatMap((p: Row) => p.refunds.map((r: Row) => Number(r.amount))))
      expect(refunds).toEqual([Number(requested.refund_amount)])
      expect(Number(order.payment_collections[0].refunded_amount)).toBe(Number(requested.refund_amount))
      expect(await stocked("TEE-BLK-M")).toEqual({ stocked: 49, reserved: 0 })
      const [link] = await marketplace.listReturnLinks({ connection_id: connectionId, external_return_id: String(requested.return_sn) })
      expect(link).toEqual(expect.objectContaining({ status: "accepted", note: null }))
    })
  },
})
