import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { cancelOrderWorkflow, createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { importFetchedOrders, importOrdersById } from "../../src/orchestration/orders/order-sync"
import { followUpDueFulfillments } from "../../src/orchestration/fulfillment/follow-ups"
import { withShopSession } from "../../src/lib/shop-session"
import { updateConnectionWorkflow } from "../../src/workflows/connections/workflows/update-connection"
import { ensureConnectionShippingOptionWorkflow } from "../../src/workflows/shipping/workflows/ensure-connection-shipping-option"
import { adminHeaders } from "../helpers/admin"
import { waitFor } from "../helpers/wait"
import { type SeededStore, setUpDriverStore } from "../helpers/store"
import { describeFor, drivers, useSandbox } from "../platforms"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer, api }) => {
      let container: MedusaContainer
      let store: SeededStore
      let connectionId: string
      let shopId: string
      let marketplace: MarketplaceModuleService

      beforeEach(async () => {
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 50,
          defaultShippingProfile: true,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 40 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 40 },
          ],
        }))
        driver.withholdTracking(1)
      })

      const newOrder = (status: OrderStatus = "paid") =>
        driver.createOrder(shopId, {
          status,
          items: [
            { sku: "TEE-BLK-M", quantity: 2 },
            { sku: "MUG-01", quantity: 1 },
          ],
          prepaid: true,
        })

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

      const readOrderPayment = async (orderId: string) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "status", "payment_collections.status"],
          filters: { id: orderId },
        })
        return { order: data[0] as unknown as { status: string; payment_collections: { status: string }[] } }
      }

      const advanceAndImport = async (orderSn: string, status: OrderStatus) => {
        driver.advanceOrder(orderSn, status)
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
              name: driver.shippingOptionName("Sandbox shop"),
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
          const [outcome] = await importOrdersById(container, connectionId, [placed.id])
          expect(outcome.action).toBe("create")
          const orders = container.resolve(Modules.ORDER)
          const order = await orders.retrieveOrder(outcome.order_id as string, { relations: ["shipping_methods"] })
          expect(order.shipping_methods?.[0]?.shipping_option_id).toBe(connection.shipping_option_id)

          // A connection without an option (set up before the provider existed) gets one at its next import.
          await fulfillment.softDeleteShippingOptions([connection.shipping_option_id as string])
          await marketplace.updateConnections({ id: connectionId, shipping_option_id: null })
          const later = newOrder()
          const [second] = await importOrdersById(container, connectionId, [later.id])
          const renewed = (await marketplace.retrieveConnection(connectionId)).shipping_option_id
          expect(renewed).toEqual(expect.stringMatching(/^so_/))
          expect(renewed).not.toBe(connection.shipping_option_id)
          const secondOrder = await orders.retrieveOrder(second.order_id as string, { relations: ["shipping_methods"] })
          expect(secondOrder.shipping_methods?.[0]?.shipping_option_id).toBe(renewed)
        })
      })

      describe("marketplace -> Medusa", () => {
        it("paid -> shipped with tracking -> delivered -> completed ends with one fulfilment, its shipment and delivery", async () => {
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          expect((await readShipping(orderId)).fulfillments).toEqual([])
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

          // Arranged on the marketplace (not handed to the carrier yet): nothing to record.
          await advanceAndImport(placed.id, "processed")
          expect((await readShipping(orderId)).fulfillments).toEqual([])

          await advanceAndImport(placed.id, "shipped")
          const tracking = driver.order(placed.id).tracking_number
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
          expect(fulfillment.data).toEqual(expect.objectContaining({ origin: "marketplace", external_order_id: placed.id }))
          expect(fulfillment.labels).toEqual([expect.objectContaining({ tracking_number: tracking })])
          expect(fulfillment.items).toHaveLength(2)
          // The parcel left the warehouse: the reservation became a stock movement.
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })

          // The same state again (a duplicate push, a pull overlapping a webhook) changes nothing.
          const [again] = await importOrdersById(container, connectionId, [placed.id])
          expect(again.action).toBe("unchanged")
          expect((await readShipping(orderId)).fulfillments).toHaveLength(1)

          await advanceAndImport(placed.id, "delivered")
          shipping = await readShipping(orderId)
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0].delivered_at).toBeTruthy()

          await advanceAndImport(placed.id, driver.finalStatus)
          shipping = await readShipping(orderId)
          // An order that ends delivered (no completion on the platform) stays open in Medusa.
          expect(shipping.status).toBe(driver.finalStatus === "completed" ? "completed" : "pending")
          expect(shipping.fulfillments).toHaveLength(1)
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })
        })

        it("an order first seen completed is fulfilled, shipped, delivered and completed at once; older states change nothing", async () => {
          const placed = newOrder(driver.finalStatus)
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          expect(created.action).toBe("create")
          const orderId = created.order_id as string
          const shipping = await readShipping(orderId)
          expect(shipping.status).toBe(driver.finalStatus === "completed" ? "completed" : "pending")
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0]).toEqual(
            expect.objectContaining({ shipped_at: expect.anything(), delivered_at: expect.anything() })
          )
          expect(shipping.fulfillments[0].labels[0].tracking_number).toBeTruthy()
          // Reserved and consumed by the fulfilment: stock went down, nothing stays reserved.
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })

          // A late, older "shipped" state (reordered delivery) changes nothing.
          const [live] = await withShopSession(container, connectionId, (provider, session) =>
            provider.getOrders(session, [placed.id])
          )
          const older = { ...live, status: "shipped" as const, updated_at: new Date(live.updated_at.getTime() - 3600_000) }
          const [outcome] = await importFetchedOrders(container, connectionId, [older])
          expect(outcome.action).toBe("unchanged")
          expect((await readShipping(orderId)).fulfillments).toHaveLength(1)
        })

        it("an order first seen in return (its shipment never imported) is fulfilled and shipped, so its return can be received", async () => {
          const placed = newOrder("in_return")
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          expect(created.action).toBe("create")
          const shipping = await readShipping(created.order_id as string)
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0]).toEqual(expect.objectContaining({ shipped_at: expect.anything() }))
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })
        })

        it("concurrent imports of a shipped order create one fulfilment", async () => {
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          driver.advanceOrder(placed.id, "processed")
          driver.advanceOrder(placed.id, "shipped")
          const [live] = await withShopSession(container, connectionId, (provider, session) =>
            provider.getOrders(session, [placed.id])
          )
          const outcomes = await Promise.all([1, 2, 3].map(() => importFetchedOrders(container, connectionId, [live])))
          expect(outcomes.flat().filter((o) => o.action === "update")).toHaveLength(1)
          const shipping = await readShipping(created.order_id as string)
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
        })
      })

      // Orders shipped as several packages: each package that leaves is one fulfilment of its own lines, shipped
      // and delivered when that package is (docs/architecture.md, "Packages").
      const describePackages = driver.packages ? describe : describe.skip
      describePackages("marketplace packages -> Medusa fulfilments", () => {
        // Read in the tests only: this describe's body runs (and is skipped) for drivers without packages too.
        const packages = driver.packages as NonNullable<typeof driver.packages>
        type Shipping = Awaited<ReturnType<typeof readShipping>>
        const lineIdsOf = async (orderId: string) => {
          const order = await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })
          return Object.fromEntries((order.items ?? []).map((i) => [i.variant_sku as string, i.id]))
        }
        /** The order's live fulfilments by package id: their lines (by SKU), shipped, delivered, tracking number. */
        const byPackage = async (orderId: string) => {
          const ids = await lineIdsOf(orderId)
          const skuOf = Object.fromEntries(Object.entries(ids).map(([sku, id]) => [id, sku]))
          const shipping: Shipping = await readShipping(orderId)
          return Object.fromEntries(
            shipping.fulfillments
              .filter((f) => !f.canceled_at)
              .map((f) => [
                String(f.data.package_id),
                {
                  units: Object.fromEntries(f.items.map((i) => [skuOf[i.line_item_id], Number(i.quantity)])),
                  shipped: !!f.shipped_at,
                  delivered: !!f.delivered_at,
                  tracking: f.labels[0]?.tracking_number ?? null,
                },
              ])
          )
        }
        const importNow = async (orderSn: string, action?: string) => {
          const [outcome] = await importOrdersById(container, connectionId, [orderSn])
          expect(outcome.error).toBeNull()
          if (action) expect(outcome.action).toBe(action)
          return outcome
        }
        const trackingOf = (orderSn: string, packageId: string) => packages.list(orderSn).find((p) => p.id === packageId)?.tracking_number ?? null

        it("an order split in two packages gets one fulfilment per package, each shipped and delivered when its package is", async () => {
          const placed = newOrder()
          const orderId = (await importNow(placed.id, "create")).order_id as string
          const [tee, mug] = packages.split(placed.id, [["TEE-BLK-M"], ["MUG-01"]])
          expect(packages.list(placed.id).map((p) => p.units)).toEqual([{ "TEE-BLK-M": 2 }, { "MUG-01": 1 }])

          // The tee's package leaves first: only its lines are fulfilled and shipped; the mug stays reserved.
          packages.advance(placed.id, tee, "shipped")
          await importNow(placed.id, "update")
          expect(await byPackage(orderId)).toEqual({
            [tee]: { units: { "TEE-BLK-M": 2 }, shipped: true, delivered: false, tracking: trackingOf(placed.id, tee) ?? expect.any(String) },
          })
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })
          expect(await stockedAt("MUG-01")).toEqual({ stocked: 50, reserved: 1 })
          expect((await importOrdersById(container, connectionId, [placed.id]))[0].action).toBe("unchanged")

          packages.advance(placed.id, mug, "shipped")
          await importNow(placed.id, "update")
          packages.advance(placed.id, tee, "delivered")
          await importNow(placed.id, "update")
          let shipped = await byPackage(orderId)
          expect(Object.keys(shipped).sort()).toEqual([tee, mug].sort())
          expect(shipped[tee]).toEqual(expect.objectContaining({ units: { "TEE-BLK-M": 2 }, shipped: true, delivered: true }))
          expect(shipped[mug]).toEqual(expect.objectContaining({ units: { "MUG-01": 1 }, shipped: true, delivered: false }))
          // Each package keeps its own tracking number.
          expect(shipped[mug].tracking).toBe(trackingOf(placed.id, mug) ?? shipped[mug].tracking)
          expect(shipped[mug].tracking).toBeTruthy()

          packages.advance(placed.id, mug, "delivered")
          await importNow(placed.id, "update")
          shipped = await byPackage(orderId)
          expect(Object.values(shipped).map((f) => f.delivered)).toEqual([true, true])
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 48, reserved: 0 })
          expect(await stockedAt("MUG-01")).toEqual({ stocked: 49, reserved: 0 })
        })

        it("an order first seen with one package gone and one waiting: the gone one is fulfilled, the waiting one stays reserved", async () => {
          const placed = newOrder()
          const [tee, mug] = packages.split(placed.id, [["TEE-BLK-M"], ["MUG-01"]])
          packages.advance(placed.id, mug, "shipped")
          const orderId = (await importNow(placed.id, "create")).order_id as string
          expect(await byPackage(orderId)).toEqual({
            [mug]: expect.objectContaining({ units: { "MUG-01": 1 }, shipped: true, delivered: false }),
          })
          expect(await stockedAt("MUG-01")).toEqual({ stocked: 49, reserved: 0 })
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

          // Then the rest leaves and arrives at once: its own fulfilment, shipped and delivered.
          packages.advance(placed.id, tee, "shipped")
          packages.advance(placed.id, tee, "delivered")
          await importNow(placed.id, "update")
          const shipped = await byPackage(orderId)
          expect(shipped[tee]).toEqual(expect.objectContaining({ units: { "TEE-BLK-M": 2 }, shipped: true, delivered: true }))
          expect(shipped[mug]).toEqual(expect.objectContaining({ shipped: true, delivered: false }))
        })

        it("the merchant fulfils one package's lines in Medusa: that package is arranged, and its shipment lands on that fulfilment", async () => {
          const { headers } = await adminHeaders(container)
          const placed = newOrder()
          const orderId = (await importNow(placed.id, "create")).order_id as string
          const [, mug] = packages.split(placed.id, [["TEE-BLK-M"], ["MUG-01"]])
          const ids = await lineIdsOf(orderId)
          await api.post(
            `/admin/orders/${orderId}/fulfillments`,
            { items: [{ id: ids["MUG-01"], quantity: 1 }], location_id: store.stock_location_id },
            { headers }
          )
          let shipping = await readShipping(orderId)
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0].data).toEqual(expect.objectContaining({ origin: "medusa", package_id: mug }))

          // The carrier takes the mug's package: the merchant's fulfilment is shipped, no second one is made.
          packages.advance(placed.id, mug, "shipped")
          await importNow(placed.id, "update")
          shipping = await readShipping(orderId)
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
        })

        const itCombines = driver.packages?.combine ? it : it.skip
        itCombines("two orders combined into one package: each order gets a fulfilment of its own lines for that package", async () => {
          const first = newOrder()
          const second = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }], prepaid: true })
          const outcomes = await importOrdersById(container, connectionId, [first.id, second.id])
          expect(outcomes.map((o) => o.error)).toEqual([null, null])
          const ids = Object.fromEntries(outcomes.map((o) => [o.external_order_id, o.order_id as string]))
          const pkg = packages.combine!([first.id, second.id])
          packages.advance(first.id, pkg, "shipped")
          const again = await importOrdersById(container, connectionId, [first.id, second.id])
          expect(again.map((o) => [o.action, o.error])).toEqual([
            ["update", null],
            ["update", null],
          ])
          const a = await byPackage(ids[first.id])
          const b = await byPackage(ids[second.id])
          expect(a).toEqual({ [pkg]: expect.objectContaining({ units: { "TEE-BLK-M": 2, "MUG-01": 1 }, shipped: true }) })
          expect(b).toEqual({ [pkg]: expect.objectContaining({ units: { "MUG-01": 2 }, shipped: true }) })
          expect(a[pkg].tracking).toBe(b[pkg].tracking)
          expect(await stockedAt("MUG-01")).toEqual({ stocked: 47, reserved: 0 })
        })
      })

      describe("Medusa -> marketplace", () => {
        const lineItems = async (orderId: string) => {
          const order = await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })
          return (order.items ?? []).map((i) => ({ id: i.id, quantity: Number(i.quantity) }))
        }

        const failure = async (call: Promise<unknown>) => {
          try {
            await call
          } catch (error) {
            const response = (error as { response?: { status: number; data: { message: string } } }).response
            if (response) return { status: response.status, message: response.data.message }
            throw error
          }
          throw new Error("expected the request to fail")
        }

        // Shopee's ship methods (pickup / dropoff) and what its ship_order call carries.
        describeFor("shopee", driver)("Shopee ship methods", () => {
          it("the merchant fulfils in Medusa: the sandbox shows it arranged, tracking and airway bill land on the fulfilment, then shipped and delivered", async () => {
            const { headers } = await adminHeaders(container)
            const placed = newOrder()
            const [created] = await importOrdersById(container, connectionId, [placed.id])
            const orderId = created.order_id as string
            driver.resetCalls()

            await api.post(
              `/admin/orders/${orderId}/fulfillments`,
              { items: await lineItems(orderId), location_id: store.stock_location_id, additional_data: { ship_method: "dropoff" } },
              { headers }
            )
            const sandboxOrder = () => driver.order(placed.id)
            expect(sandboxOrder().status).toBe("processed")
            const [shipCall] = driver.calls("ship_order")
            expect((shipCall.raw as { body: { dropoff: unknown } }).body.dropoff).toEqual({ branch_id: expect.any(Number) })

            let shipping = await readShipping(orderId)
            expect(shipping.fulfillments).toHaveLength(1)
            const fulfillmentId = shipping.fulfillments[0].id
            expect(shipping.fulfillments[0]).toEqual(
              expect.objectContaining({ provider_id: "marketplace_marketplace", shipped_at: null, location_id: store.stock_location_id })
            )
            expect(shipping.fulfillments[0].data).toEqual(
              expect.objectContaining({ origin: "medusa", ship_method: "dropoff", external_order_id: placed.id })
            )

            // The tracking number appears a moment later; the follow-up stores it with the airway bill.
            const view = await waitFor(async () => {
              const { data } = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}`, { headers })
              // The document may come on a later attempt than the tracking number (the platform prepares it).
              return data.fulfillment.marketplace.follow_up === null &&
                data.fulfillment.labels.length &&
                data.fulfillment.marketplace.shipping_document
                ? data.fulfillment
                : null
            }, "tracking number and shipping document on the fulfilment", 60000)
            expect(view.labels).toEqual([
              expect.objectContaining({
                tracking_number: sandboxOrder().tracking_number,
                label_url: `/admin/marketplace/fulfillments/${fulfillmentId}/shipping-document`,
              }),
            ])
            expect(view.marketplace.shipping_document).toEqual(
              expect.objectContaining({ content_type: "application/pdf", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
            )

            const document = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}/shipping-document`, {
              headers,
              responseType: "arraybuffer",
            })
            expect(document.status).toBe(200)
            expect(document.headers["content-type"]).toContain("application/pdf")
            expect(Buffer.from(document.data).subarray(0, 4).toString()).toBe("%PDF")

            // Following up again stores nothing twice.
            const fileId = (await readShipping(orderId)).fulfillments[0].data.document.file_id
            await api.post(`/admin/marketplace/fulfillments/${fulfillmentId}/follow-up`, {}, { headers })
            expect((await readShipping(orderId)).fulfillments[0].data.document.file_id).toBe(fileId)

            // The carrier picks it up, then delivers: the same fulfilment is shipped, then delivered.
            await advanceAndImport(placed.id, "shipped")
            shipping = await readShipping(orderId)
            expect(shipping.fulfillments).toHaveLength(1)
            expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
            expect(shipping.fulfillments[0].labels[0].tracking_number).toBe(sandboxOrder().tracking_number)
            await advanceAndImport(placed.id, "delivered")
            expect((await readShipping(orderId)).fulfillments[0].delivered_at).toBeTruthy()
          })

          it("a marketplace refusal leaves no fulfilment and a clear error, and the merchant can try again", async () => {
            const { headers } = await adminHeaders(container)
            const placed = newOrder()
            const [created] = await importOrdersById(container, connectionId, [placed.id])
            const orderId = created.order_id as string
            const items = await lineItems(orderId)

            const invalid = await failure(
              api.post(
                `/admin/orders/${orderId}/fulfillments`,
                { items, location_id: store.stock_location_id, additional_data: { ship_method: "teleport" } },
                { headers }
              )
            )
            expect(invalid.status).toBe(400)
            expect(invalid.message).toContain("Invalid additional_data for marketplace logistics: ship_method")
            expect((await readShipping(orderId)).fulfillments).toEqual([])

            const refused = await failure(
              api.post(
                `/admin/orders/${orderId}/fulfillments`,
                { items, location_id: store.stock_location_id, additional_data: { ship_method: "dropoff", ship_details: { branch_id: 999 } } },
                { headers }
              )
            )
            expect(refused.status).toBe(400)
            expect(refused.message).toContain(`The marketplace refused to ship order ${placed.id}`)
            expect((await readShipping(orderId)).fulfillments).toEqual([])
            expect(driver.order(placed.id).status).toBe("paid")
            expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })

            await api.post(`/admin/orders/${orderId}/fulfillments`, { items, location_id: store.stock_location_id }, { headers })
            expect((await readShipping(orderId)).fulfillments).toHaveLength(1)
            expect(driver.order(placed.id).status).toBe("processed")

            const missing = await failure(api.get(`/admin/marketplace/fulfillments/ful_does_not_exist`, { headers }))
            expect(missing.status).toBe(404)
          })
        })

        // TikTok Shop's Ship Package: the handover method, the label at its doc_url, and what the package refuses.
        describeFor("tiktok-shop", driver)("TikTok Shop Ship Package", () => {
          it("the merchant fulfils in Medusa: the package is handed over by drop-off, tracking and label land on the fulfilment, then shipped", async () => {
            const { headers } = await adminHeaders(container)
            driver.withholdTracking(0)
            const placed = newOrder()
            const [created] = await importOrdersById(container, connectionId, [placed.id])
            const orderId = created.order_id as string
            driver.resetCalls()

            // TikTok Shipping offers pickup and drop-off; the seller's own carrier is for seller-shipped packages.
            const wrong = await failure(
              api.post(
                `/admin/orders/${orderId}/fulfillments`,
                { items: await lineItems(orderId), location_id: store.stock_location_id, additional_data: { ship_method: "seller_shipping", ship_details: { tracking_number: "SELF123456", shipping_provider_id: "1" } } },
                { headers }
              )
            )
            expect(wrong.status).toBe(400)
            expect(wrong.message).toContain(`does not offer seller_shipping for order ${placed.id}`)
            expect((await readShipping(orderId)).fulfillments).toEqual([])
            expect(driver.calls("ship_order")).toHaveLength(0)

            await api.post(
              `/admin/orders/${orderId}/fulfillments`,
              { items: await lineItems(orderId), location_id: store.stock_location_id, additional_data: { ship_method: "dropoff" } },
              { headers }
            )
            expect(driver.order(placed.id).external_status).toBe("AWAITING_COLLECTION")
            const [shipCall] = driver.calls("ship_order")
            expect((shipCall.raw as { body: unknown }).body).toEqual({ handover_method: "DROP_OFF" })

            const fulfillmentId = (await readShipping(orderId)).fulfillments[0].id
            const view = await waitFor(async () => {
              const { data } = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}`, { headers })
              return data.fulfillment.marketplace.follow_up === null && data.fulfillment.labels.length && data.fulfillment.marketplace.shipping_document
                ? data.fulfillment
                : null
            }, "tracking number and label on the fulfilment", 60000)
            expect(view.labels[0].tracking_number).toBe(driver.order(placed.id).tracking_number)
            expect(view.marketplace.shipping_document).toEqual(expect.objectContaining({ content_type: "application/pdf", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }))
            const document = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}/shipping-document`, { headers, responseType: "arraybuffer" })
            expect(Buffer.from(document.data).subarray(0, 4).toString()).toBe("%PDF")

            // The carrier collects it: the same fulfilment is shipped, and nothing is sent to TikTok again.
            await advanceAndImport(placed.id, "shipped")
            const shipping = await readShipping(orderId)
            expect(shipping.fulfillments).toHaveLength(1)
            expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
            expect(driver.calls("ship_order")).toHaveLength(1)
          })
        })

        it("an order the marketplace cancelled cannot be fulfilled; a tracking number that comes late is fetched with backoff", async () => {
          const { headers } = await adminHeaders(container)
          const cancelled = newOrder()
          const [first] = await importOrdersById(container, connectionId, [cancelled.id])
          driver.advanceOrder(cancelled.id, "cancelled")
          const refused = await failure(
            api.post(
              `/admin/orders/${first.order_id}/fulfillments`,
              { items: await lineItems(first.order_id as string), location_id: store.stock_location_id },
              { headers }
            )
          )
          expect(refused.status).toBe(400)
          expect(refused.message).toContain("cannot be shipped: it is cancelled on the marketplace")
          expect((await readShipping(first.order_id as string)).fulfillments).toEqual([])

          // The 3PL is slow to assign a number: the follow-up records the wait and tries again later.
          driver.withholdTracking(1000)
          const late = newOrder()
          const [second] = await importOrdersById(container, connectionId, [late.id])
          const orderId = second.order_id as string
          await api.post(
            `/admin/orders/${orderId}/fulfillments`,
            { items: await lineItems(orderId), location_id: store.stock_location_id },
            { headers }
          )
          const fulfillmentId = (await readShipping(orderId)).fulfillments[0].id
          const waiting = await waitFor(async () => {
            const { data } = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}`, { headers })
            return data.fulfillment.marketplace.follow_up?.attempts >= 1 ? data.fulfillment : null
          }, "a first follow-up attempt", 60000)
          expect(waiting.labels).toEqual([])
          expect(waiting.marketplace.follow_up).toEqual(
            expect.objectContaining({ tracking: true, document: true, last_error: expect.any(String) })
          )
          expect(new Date(waiting.marketplace.follow_up.next_attempt_at).getTime()).toBeGreaterThan(Date.now())

          driver.releaseTracking(late.id)
          const { data } = await api.post(`/admin/marketplace/fulfillments/${fulfillmentId}/follow-up`, {}, { headers })
          expect(data.outcome).toEqual(expect.objectContaining({ done: true, tracking_number: driver.order(late.id).tracking_number }))
          expect(data.fulfillment.labels[0].tracking_number).toBe(driver.order(late.id).tracking_number)
        })

        it("a fulfilment whose tracking comes later is finished by the scheduled pass from the follow-up queue", async () => {
          const { headers } = await adminHeaders(container)
          driver.withholdTracking(1000)
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          await api.post(
            `/admin/orders/${orderId}/fulfillments`,
            { items: await lineItems(orderId), location_id: store.stock_location_id },
            { headers }
          )
          const fulfillmentId = (await readShipping(orderId)).fulfillments[0].id
          // The first try (right after the fulfilment) finds no tracking number: the queue row waits its backoff.
          const followUpRow = async () => (await marketplace.listFulfillmentFollowUps({ fulfillment_id: fulfillmentId }))[0]
          const waiting = await waitFor(async () => {
            const row = await followUpRow()
            return row?.status === "failed" ? row : null
          }, "the first follow-up attempt", 60000)
          expect(waiting).toMatchObject({ attempts: 1, connection_id: connectionId, external_order_id: placed.id })
          expect(new Date(waiting.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now())
          expect((await readShipping(orderId)).fulfillments[0].data.follow_up ?? null).toBeNull()

          // Not due yet: the scheduled pass leaves it alone.
          expect(await followUpDueFulfillments(container)).toEqual({ attempted: 0, failed: 0, finished: true })

          // The carrier assigns the number; once the next attempt is due the scheduled pass finishes it.
          driver.releaseTracking(placed.id)
          await marketplace.updateFulfillmentFollowUps({ id: waiting.id, next_attempt_at: new Date(Date.now() - 1000) })
          expect(await followUpDueFulfillments(container)).toEqual({ attempted: 1, failed: 0, finished: true })
          expect(await followUpRow()).toMatchObject({ status: "done", attempts: 2, last_error: null, next_attempt_at: null })

          const { data } = await api.get(`/admin/marketplace/fulfillments/${fulfillmentId}`, { headers })
          expect(data.fulfillment.marketplace.follow_up).toBeNull()
          expect(data.fulfillment.labels).toEqual([
            expect.objectContaining({
              tracking_number: driver.order(placed.id).tracking_number,
              label_url: `/admin/marketplace/fulfillments/${fulfillmentId}/shipping-document`,
            }),
          ])
          expect(data.fulfillment.marketplace.shipping_document).toEqual(expect.objectContaining({ sha256: expect.any(String) }))
          // Done: nothing left for the next pass.
          expect(await followUpDueFulfillments(container)).toEqual({ attempted: 0, failed: 0, finished: true })
        })
      })

      describe("seller cancellation", () => {
        const cancelCalls = () => driver.cancellations()

        it("cancelling in Medusa cancels on the marketplace with the reason; out of stock names the items", async () => {
          const { headers } = await adminHeaders(container)
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          driver.resetCalls()

          await api.post(`/admin/orders/${orderId}/cancel`, {}, { headers })
          const order = await container.resolve(Modules.ORDER).retrieveOrder(orderId)
          expect(order.status).toBe("canceled")
          expect(driver.order(placed.id).status).toBe("cancelled")
          expect(cancelCalls()).toHaveLength(1)
          const [cancellation] = cancelCalls()
          expect(cancellation.reason).toBe("out_of_stock")
          const lines = driver.order(placed.id).lines
          expect(cancellation.lines).toHaveLength(2)
          expect(cancellation.lines).toEqual(
            expect.arrayContaining(lines.map((l) => expect.objectContaining({ listing_id: l.listing_id, variant_id: l.variant_id })))
          )

          // The marketplace's cancellation comes back (push, pull): nothing is sent again.
          const [again] = await importOrdersById(container, connectionId, [placed.id])
          expect(again.error).toBeNull()
          expect(cancelCalls()).toHaveLength(1)
        })

        it("a reason set on the order is used; the marketplace's own cancellation is imported without calling it", async () => {
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          const orders = container.resolve(Modules.ORDER)
          const current = await orders.retrieveOrder(orderId)
          await orders.updateOrders(orderId, { metadata: { ...current.metadata, marketplace_cancel_reason: "customer_request" } })
          driver.resetCalls()
          await cancelOrderWorkflow(container).run({ input: { order_id: orderId } })
          expect(cancelCalls()[0].reason).toBe("customer_request")
          expect(driver.order(placed.id).status).toBe("cancelled")

          const other = newOrder()
          const [second] = await importOrdersById(container, connectionId, [other.id])
          driver.advanceOrder(other.id, "cancelled")
          driver.resetCalls()
          const [outcome] = await importOrdersById(container, connectionId, [other.id])
          expect(outcome.error).toBeNull()
          expect((await orders.retrieveOrder(second.order_id as string)).status).toBe("canceled")
          expect(cancelCalls()).toHaveLength(0)
        })

        it("a marketplace cancellation after a Medusa fulfilment cancels the fulfilment, then the order; after shipping, the order link says why and the import is done", async () => {
          const orders = container.resolve(Modules.ORDER)
          const connection = await marketplace.retrieveConnection(connectionId)
          // Fulfilled in Medusa, not shipped yet; then the buyer cancels on the marketplace.
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          const items = ((await orders.retrieveOrder(orderId, { relations: ["items"] })).items ?? []).map((i) => ({ id: i.id, quantity: Number(i.quantity) }))
          await createOrderFulfillmentWorkflow(container).run({
            input: {
              order_id: orderId,
              items,
              location_id: store.stock_location_id,
              shipping_option_id: connection.shipping_option_id as string,
              no_notification: true,
              additional_data: { marketplace_shipped: true },
            },
          })
          driver.advanceOrder(placed.id, "cancelled")
          const [cancelled] = await importOrdersById(container, connectionId, [placed.id])
          expect([cancelled.action, cancelled.error]).toEqual(["update", null])
          expect((await orders.retrieveOrder(orderId)).status).toBe("canceled")
          expect((await readShipping(orderId)).fulfillments.map((f: { canceled_at: unknown }) => !!f.canceled_at)).toEqual([true])
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 0 })

          // Shipped by the marketplace, then cancelled there (a failed delivery): Medusa cannot cancel a shipped
          // fulfilment. The import records why on the order link and succeeds; nothing is retried.
          const other = newOrder()
          const [second] = await importOrdersById(container, connectionId, [other.id])
          await advanceAndImport(other.id, "shipped")
          driver.driftOrder(other.id, "cancelled")
          driver.setOrderTimes(other.id, { updated_at: driver.order(other.id).updated_at + 60 })
          const [late] = await importOrdersById(container, connectionId, [other.id])
          expect([late.action, late.error]).toEqual(["update", null])
          expect((await orders.retrieveOrder(second.order_id as string)).status).not.toBe("canceled")
          const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: other.id })
          expect(link.status).toBe("cancelled")
          expect(link.last_error).toMatch(/Medusa cannot cancel order .*: fulfilment .* is already shipped/)
          const [again] = await importOrdersById(container, connectionId, [other.id])
          expect(again.action).toBe("unchanged")
        })

        it("an order already shipped on the marketplace cannot be cancelled: the refusal says why and nothing changes", async () => {
          const { headers } = await adminHeaders(container)
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          driver.advanceOrder(placed.id, "processed")
          driver.advanceOrder(placed.id, "shipped")
          driver.resetCalls()

          const refused = await api.post(`/admin/orders/${orderId}/cancel`, {}, { headers }).catch((e: { response: { status: number; data: { message: string } } }) => e.response)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toContain(`Marketplace order ${placed.id} can no longer be cancelled: it is shipped`)
          const { order } = await readOrderPayment(orderId)
          expect(order.status).toBe("pending")
          expect(order.payment_collections[0].status).not.toBe("canceled")
          expect(await stockedAt("TEE-BLK-M")).toEqual({ stocked: 50, reserved: 2 })
          expect(cancelCalls()).toHaveLength(0)

          // Through the workflow (no HTTP check first) the hook refuses as well and the order stays as it was.
          const { errors } = await cancelOrderWorkflow(container).run({ input: { order_id: orderId }, throwOnError: false })
          expect(errors[0]?.error?.message).toContain("can no longer be cancelled")
          expect((await container.resolve(Modules.ORDER).retrieveOrder(orderId)).status).toBe("pending")
        })
      })

      describe("through the webhook", () => {
        it("status and tracking pushes arriving in a burst end with one shipped and delivered fulfilment", async () => {
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          driver.setPushTarget(`${api.defaults.baseURL}${driver.webhookPath}`)
          try {
            driver.advanceOrder(placed.id, "processed")
            driver.advanceOrder(placed.id, "shipped")
            driver.advanceOrder(placed.id, "delivered")
            await driver.flushPushes()
            expect(driver.deliveries().filter((p) => p.body.includes(placed.id)).length).toBeGreaterThanOrEqual(driver.shipmentPushes ?? 4)
          } finally {
            driver.setPushTarget(null)
          }
          // The order link records the state last, once the whole import of it is done.
          await waitFor(async () => {
            const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: placed.id })
            return link?.status === "delivered"
          }, "the pushed order to be imported as delivered", 90000)
          const shipping = await readShipping(orderId)
          expect(shipping.fulfillments[0].delivered_at).toBeTruthy()
          expect(shipping.fulfillments).toHaveLength(1)
          expect(shipping.fulfillments[0].shipped_at).toBeTruthy()
          expect(shipping.fulfillments[0].labels[0].tracking_number).toBe(driver.order(placed.id).tracking_number)
        })
      })

      describe("when the fulfillment provider was registered and then removed", () => {
        // Medusa keeps the provider's row and disables it when the app no longer registers it.
        const unregisterProvider = () =>
          container
            .resolve(ContainerRegistrationKeys.PG_CONNECTION)("fulfillment_provider")
            .where({ id: "marketplace_marketplace" })
            .update({ is_enabled: false })

        it("says so, imports shipped orders with their tracking on the order link, and refuses admin fulfilment with a 400", async () => {
          driver.withholdTracking(0)
          const placed = newOrder()
          const [created] = await importOrdersById(container, connectionId, [placed.id])
          const orderId = created.order_id as string
          await unregisterProvider()

          const { headers } = await adminHeaders(container)
          const providers = await api.get("/admin/marketplace/providers", { headers })
          expect(providers.data.fulfillment).toEqual({
            registered: false,
            provider_id: "marketplace_marketplace",
            message: expect.stringContaining('{ resolve: "medusa-marketplace-sync/providers/marketplace-fulfillment", id: "marketplace" }'),
          })

          const shipped = await advanceAndImport(placed.id, "shipped")
          expect(shipped.action).toBe("update")
          const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: placed.id })
          expect(link.status).toBe("shipped")
          expect(link.last_error).toBeNull()
          expect(link.tracking_number).toBe(driver.order(placed.id).tracking_number)
          expect(link.tracking_number).toBeTruthy()
          expect(link.shipment_note).toBe("the fulfillment provider marketplace_marketplace is not registered in the fulfillment module")
          expect((await readShipping(orderId)).fulfillments).toEqual([])

          const order = await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })
          const refused = await api
            .post(
              `/admin/orders/${orderId}/fulfillments`,
              { items: order.items!.map((i) => ({ id: i.id, quantity: Number(i.quantity) })), location_id: store.stock_location_id },
              { headers }
            )
            .catch((e: { response: { status: number; data: { message: string } } }) => e.response)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toContain(`Order ${orderId} is a marketplace order and cannot be fulfilled`)
          expect(refused.data.message).toContain("medusa-marketplace-sync/providers/marketplace-fulfillment")
          expect((await readShipping(orderId)).fulfillments).toEqual([])
        })
      })
    },
  })
})
