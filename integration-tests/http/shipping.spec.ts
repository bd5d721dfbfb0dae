import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importOrdersById } from "../../src/utils/order-sync"
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
        const options = await fulfillment.listShippingOptions({ provider_id: "marketplace_marketplace" })
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
  },
})
