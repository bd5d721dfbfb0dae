import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importFetchedOrders, importOrdersById } from "../../src/utils/order-sync"
import { withShopSession } from "../../src/utils/shop-session"
import { updateConnectionWorkflow } from "../../src/workflows/connections/workflows/update-connection"
import { ensureConnectionShippingOptionWorkflow } from "../../src/workflows/shipping/workflows/ensure-connection-shipping-option"
import { connectSandboxShop, seedStore, useShopeeSandbox, type SeededStore } from "../helpers/shopee"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]

const sandbox = useShopeeSandbox()

/** Products in a real store belong to a shipping profile (the admin requires one): the default one here. */
async function useDefaultShippingProfile(container: MedusaContainer, store: SeededStore): Promise<string> {
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const [existing] = await fulfillment.listShippingProfiles({ type: "default" })
  const profile = existing ?? (await fulfillment.createShippingProfiles([{ name: "Default Shipping Profile", type: "default" }]))[0]
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["product_id"],
    filters: { id: Object.values(store.variants).map((v) => v.id) },
  })
  const productIds = [...new Set((data as unknown as { product_id: string }[]).map((v) => v.product_id))]
  await link.create(
    productIds.map((product_id) => ({
      [Modules.PRODUCT]: { product_id },
      [Modules.FULFILLMENT]: { shipping_profile_id: profile.id },
    }))
  )
  return profile.id
}

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
      store = await seedStore(container, SKUS, { stock: 50 })
      await useDefaultShippingProfile(container, store)
      ;({ connection_id: connectionId, shop_id: shopId } = await connectSandboxShop(container, sandbox(), store))
      sandbox().seedItems(shopId, [
        { item_name: "Tee", item_sku: "TEE-BLK-M", price: 19.9, stock: 40 },
        { item_name: "Mug", item_sku: "MUG-01", price: 12, stock: 40 },
      ])
    })

    const newOrder = (status = "READY_TO_SHIP") =>
      sandbox().createOrders(shopId, {
        count: 1,
        status,
        items: [
          { sku: "TEE-BLK-M", quantity: 2 },
          { sku: "MUG-01", quantity: 1 },
        ],
        payment_method: "ShopeePay",
      } as never)[0]

    const shippingOptionOf = async (id: string) => {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "shipping_option",
        fields: ["id", "name", "provider_id", "shipping_profile_id", "service_zone.fulfillment_set.location.id", "rules.attribute", "rules.value"],
        filters: { id },
      })
      return data[0] as unknown as Record<string, any>
    }

    const readShipping = async (orderId: string) => {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "status",
          "fulfillments.id",
          "fulfillments.provider_id",
          "fulfillments.location_id",
          "fulfillments.shipping_option_id",
          "fulfillments.shipped_at",
          "fulfillments.delivered_at",
          "fulfillments.canceled_at",
          "fulfillments.data",
          "fulfillments.labels.tracking_number",
          "fulfillments.labels.tracking_url",
          "fulfillments.labels.label_url",
          "fulfillments.items.line_item_id",
          "fulfillments.items.quantity",
        ],
        filters: { id: orderId },
      })
      return data[0] as unknown as {
        id: string
        status: string
        fulfillments: {
          id: string
          provider_id: string
          location_id: string
          shipping_option_id: string
          shipped_at: string | null
          delivered_at: string | null
          canceled_at: string | null
          data: Record<string, any>
          labels: { tracking_number: string; tracking_url: string; label_url: string }[]
          items: { line_item_id: string; quantity: number }[]
        }[]
      }
    }

    const stockedAt = async (sku: string) => {
      const inventory = container.resolve(Modules.INVENTORY)
      const [level] = await inventory.listInventoryLevels({
        inventory_item_id: store.variants[sku].inventory_item_id,
        location_id: store.stock_location_id,
      })
      return { stocked: Number(level.stocked_quantity), reserved: Number(level.reserved_quantity) }
    }

    const advanceAndImport = async (orderSn: string, status: string) => {
      sandbox().advanceOrder(orderSn, status as never)
      const [outcome] = await importOrdersById(container, connectionId, [orderSn])
      expect(outcome.error).toBeNull()
      return outcome
    }

    describe("shipping option per connection", () => {
      it("is created once at the connection's stock location, moved with it, and referenced by imported orders", async () => {
        const connection = await marketplace.retrieveConnection(connectionId)
        expect(connection.shipping_option_id).toEqual(expect.stringMatching(/^so_/))
        const option = await shippingOptionOf(connection.shipping_option_id as string)
        expect(option).toEqual(
          expect.objectContaining({
            name: "Sandbox shop (Shopee logistics)",
            provider_id: "marketplace_marketplace",
            service_zone: expect.objectContaining({
              fulfillment_set: expect.objectContaining({ location: expect.objectContaining({ id: store.stock_location_id }) }),
            }),
          })
        )
        expect(option.rules).toEqual(expect.arrayContaining([expect.objectContaining({ attribute: "enabled_in_store", value: "false" })]))

        // Idempotent, also when run concurrently.
        const again = await Promise.all(
          [1, 2, 3].map(() => ensureConnectionShippingOptionWorkflow(container).run({ input: { connection_id: connectionId } }))
        )
        expect(again.map((r) => r.result.shipping_option_id)).toEqual([1, 2, 3].map(() => connection.shipping_option_id))
        const fulfillment = container.resolve(Modules.FULFILLMENT)
        const options = (await fulfillment.listShippingOptions({})).filter((o) => o.provider_id === "marketplace_marketplace")
        expect(options).toHaveLength(1)

        // A new stock location moves the same option.
        const stockLocations = container.resolve(Modules.STOCK_LOCATION)
        const other = await stockLocations.createStockLocations({ name: "Second warehouse" })
        await updateConnectionWorkflow(container).run({ input: { id: connectionId, stock_location_id: other.id } })
        const moved = await shippingOptionOf(connection.shipping_option_id as string)
        expect(moved.service_zone.fulfillment_set.location.id).toBe(other.id)
        await updateConnectionWorkflow(container).run({ input: { id: connectionId, stock_location_id: store.stock_location_id } })

        const placed = newOrder()
        const [outcome] = await importOrdersById(container, connectionId, [placed.order_sn])
        expect(outcome.action).toBe("create")
        const orders = container.resolve(Modules.ORDER)
        const order = await orders.retrieveOrder(outcome.order_id as string, { relations: ["shipping_methods"] })
        expect(order.shipping_methods?.[0]?.shipping_option_id).toBe(connection.shipping_option_id)
      })
    })

    describe("marketplace -> Medusa", () => {
      it("paid -> shipped with tracking -> delivered -> completed ends with one fulfilment, its shipment and delivery", async () => {
        const placed = newOrder()
        const [created] = await importOrdersById(container, connectionId, [placed.order_sn])
        const orderId = created.order_id as string
        expect((await readShipping(orderId)).fulfillments).toEqual([])
        expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

        // Arranged on the marketplace (not handed to the carrier yet): nothing to record.
        await advanceAndImport(placed.order_sn, "PROCESSED")
        expect((await readShipping(orderId)).fulfillments).toEqual([])

        await advanceAndImport(placed.order_sn, "SHIPPED")
        const tracking = sandbox().core.order(placed.order_sn).tracking_number
        expect(tracking).toBeTruthy()
        let shipping = await readShipping(orderId)
        expect(shipping.fulfillments).toHaveLength(1)
        const [fulfillment] = shipping.fulfillments
        const connection = await marketplace.retrieveConnection(connectionId)
        expect(fulfillment).toEqual(
          expect.objectContaining({
            provider_id: "marketplace_marketplace",
            location_id: store.stock_location_id,
            shipping_option_id: connection.shipping_option_id,
            shipped_at: expect.anything(),
            delivered_at: null,
          })
        )
        expect(fulfillment.data).toEqual(expect.objectContaining({ origin: "marketplace", external_order_id: placed.order_sn }))
        expect(fulfillment.labels).toEqual([expect.objectContaining({ tracking_number: tracking })])
        expect(fulfillment.items).toHaveLength(2)
        // The parcel left the warehouse: the reservation became a stock movement.
        expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })

        // The same state again (a duplicate push, a pull overlapping a webhook) changes nothing.
        const [again] = await importOrdersById(container, connectionId, [placed.order_sn])
        expect(again.action).toBe("unchanged")
        expect((await readShipping(orderId)).fulfillments).toHaveLength(1)

        await advanceAndImport(placed.order_sn, "TO_CONFIRM_RECEIVE")
        shipping = await readShipping(orderId)
        expect(shipping.fulfillments).toHaveLength(1)
        expect(shipping.fulfillments[0].delivered_at).toBeTruthy()

        await advanceAndImport(placed.order_sn, "COMPLETED")
        shipping = await readShipping(orderId)
        expect(shipping.status).toBe("completed")
        expect(shipping.fulfillments).toHaveLength(1)
        expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })
      })

      it("an order first seen completed is fulfilled, shipped, delivered and completed at once; older states change nothing", async () => {
        const placed = newOrder("COMPLETED")
        const [created] = await importOrdersById(container, connectionId, [placed.order_sn])
        expect(created.action).toBe("create")
        const orderId = created.order_id as string
        const shipping = await readShipping(orderId)
        expect(shipping.status).toBe("completed")
        expect(shipping.fulfillments).toHaveLength(1)
        expect(shipping.fulfillments[0]).toEqual(
          expect.objectContaining({ shipped_at: expect.anything(), delivered_at: expect.anything() })
        )
        expect(shipping.fulfillments[0].labels[0].tracking_number).toBeTruthy()
        // Reserved and consumed by the fulfilment: stock went down, nothing stays reserved.
        expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })

        // A late, older "shipped" state (reordered delivery) changes nothing.
        const [live] = await withShopSession(container, connectionId, (provider, session) =>
          provider.getOrders(session, [placed.order_sn])
        )
        const older = { ...live, status: "shipped" as const, updated_at: new Date(live.updated_at.getTime() - 3600_000) }
        const [outcome] = await importFetchedOrders(container, connectionId, [older])
        expect(outcome.action).toBe("unchanged")
        expect((await readShipping(orderId)).fulfillments).toHaveLength(1)
      })

      it("concurrent imports of a shipped order create one fulfilment", async () => {
        const placed = newOrder()
        const [created] = await importOrdersById(container, connectionId, [placed.order_sn])
        sandbox().advanceOrder(placed.order_sn, "PROCESSED" as never)
        sandbox().advanceOrder(placed.order_sn, "SHIPPED" as never)
        const [live] = await withShopSession(container, connectionId, (provider, session) =>
          provider.getOrders(session, [placed.order_sn])
        )
        const outcomes = await Promise.all([1, 2, 3].map(() => importFetchedOrders(container, connectionId, [live])))
        expect(outcomes.flat().filter((o) => o.action === "update")).toHaveLength(1)
        const shipping = await readShipping(created.order_id as string)
        expect(shipping.fulfillments).toHaveLength(1)
        expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
      })
    })
  },
})
