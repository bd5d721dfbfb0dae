import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { importFetchedOrders, importOrdersById } from "../../src/orchestration/orders/order-sync"
import { withShopSession } from "../../src/lib/shop-session"
import { syncListingsWorkflow } from "../../src/workflows/listings/workflows/sync-listings"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { waitFor } from "../helpers/wait"
import type { OrderStatus } from "../../src/providers/types"
import { connectDriverShop, ORDER_TEST_SKUS, readOrder, type SeededStore, seedOrderTestCatalogue, seedStore, setUpDriverStore } from "../helpers/store"
import { drivers, useSandbox } from "../platforms"

jest.setTimeout(180000)

const SKUS = ORDER_TEST_SKUS

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
          stock: 50,
        }))
        seedOrderTestCatalogue(driver, shopId)
      })

      const newOrder = (status: OrderStatus = "paid", items = [
        { sku: "TEE-BLK-M", quantity: 2 },
        { sku: " tee-blk-l ", quantity: 1 },
        { sku: "MUG-01", quantity: 1 },
        { sku: "NOT-IN-MEDUSA", quantity: 3 },
      ]) =>
        // Not cash on delivery: a platform may start COD orders paid, never unpaid.
        driver.createOrder(shopId, { status, items, prepaid: true })

      const orderLinks = (externalId: string) =>
        marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: externalId })

      const ordersOfConnection = async () => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "status", "metadata"],
          filters: { sales_channel_id: store.sales_channel_id },
        })
        return data
      }

      it("creates one native order with customer, items on variants, shipping, totals, payment and reservations", async () => {
        const placed = newOrder()
        const [outcome] = await importOrdersById(container, connectionId, [placed.id])
        expect(outcome).toEqual(expect.objectContaining({ action: "create", error: null }))

        const { order, reservations } = await readOrder(container, outcome.order_id as string)
        const detail = driver.order(placed.id)

        expect(order.sales_channel_id).toBe(store.sales_channel_id)
        expect(order.region_id).toBe(store.region_id)
        expect(order.currency_code).toBe("sgd")
        expect(order.email).toBe(`buyer-${detail.buyer_id}@${driver.platform}.marketplace.invalid`)
        expect(order.metadata.marketplace_order_id).toBe(placed.id)

        const byVariant = Object.fromEntries(
          order.items.filter((i: { variant_id: string | null }) => i.variant_id).map((i: { variant_id: string; quantity: number }) => [i.variant_id, Number(i.quantity)])
        )
        expect(byVariant).toEqual({
          [store.variants["TEE-BLK-M"].id]: 2,
          [store.variants["TEE-BLK-L"].id]: 1, // matched after trimming and case-folding
          [store.variants["MUG-01"].id]: 1,
        })
        const custom = order.items.filter((i: { variant_id: string | null }) => !i.variant_id)
        expect(custom).toHaveLength(1)
        expect(Number(custom[0].quantity)).toBe(3)
        expect(custom[0]).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ unmatched: true, sku: "NOT-IN-MEDUSA" }) }))

        // Totals as the marketplace states them, payment captured by the marketplace.
        expect(Number(order.total)).toBeCloseTo(detail.total, 2)
        expect(order.payment_collections[0].status).toBe("completed")

        // Reservations for the matched lines at the connection's stock location.
        expect(reservations).toHaveLength(3)
        expect(new Set(reservations.map((r) => r.location_id))).toEqual(new Set([store.stock_location_id]))
        const reserved = Object.fromEntries(reservations.map((r) => [r.inventory_item_id, Number(r.quantity)]))
        expect(reserved).toEqual({
          [store.variants["TEE-BLK-M"].inventory_item_id]: 2,
          [store.variants["TEE-BLK-L"].inventory_item_id]: 1,
          [store.variants["MUG-01"].inventory_item_id]: 1,
        })
        const [level] = await container
          .resolve(Modules.INVENTORY)
          .listInventoryLevels({ inventory_item_id: store.variants["TEE-BLK-M"].inventory_item_id, location_id: store.stock_location_id })
        expect(Number(level.reserved_quantity)).toBe(2)

        const [link] = await orderLinks(placed.id)
        expect(link).toEqual(
          expect.objectContaining({ status: "paid", external_status: detail.external_status, has_unmatched_items: true, total_mismatch: null })
        )

        // The unmatched SKU is a listing waiting to be matched; the matched ones are linked.
        const listings = await marketplace.listListings({ connection_id: connectionId })
        expect(listings.map((l) => [l.sku, l.match_status]).sort()).toEqual(
          [["NOT-IN-MEDUSA", "unmatched"], ["MUG-01", "matched"], ["TEE-BLK-M", "matched"], [" tee-blk-l ", "matched"]].sort()
        )
      })

      it("an IDR shop's vouchers give whole rupiah on every line and Medusa's total is the marketplace's exactly", async () => {
        const skus = ["IDR-TEE", "IDR-MUG", "IDR-CAP"]
        const idr = await seedStore(container, skus, { stock: 500, country: "id", currency: "idr" })
        const shop = await connectDriverShop(container, driver, idr, { country: "id" })
        driver.createListings(
          shop.shop_id,
          skus.map((sku, i) => ({ name: sku, sku, price: [19.9, 12.35, 7.15][i], stock: 400 }))
        )
        const placed = Array.from({ length: 12 }, () =>
          driver.createOrder(shop.shop_id, {
            status: "paid",
            prepaid: true,
            items: [
              { sku: "IDR-TEE", quantity: 1 },
              { sku: "IDR-MUG", quantity: 2 },
              { sku: "IDR-CAP", quantity: 3 },
            ],
          })
        )
        const outcomes = await importOrdersById(container, shop.connection_id, placed.map((o) => o.id))
        expect(outcomes.every((o) => o.action === "create")).toBe(true)

        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "order",
          fields: ["id", "currency_code", "total", "metadata", "items.id", "items.adjustments.amount"],
          filters: { id: outcomes.map((o) => o.order_id as string) },
        })
        type Row = { currency_code: string; total: unknown; metadata: Record<string, string>; items: { adjustments: { amount: unknown }[] }[] }
        const rows = data as unknown as Row[]
        let spread = 0
        for (const row of rows) {
          const truth = driver.order(row.metadata.marketplace_order_id)
          expect(row.currency_code).toBe("idr")
          // Exactly the marketplace's total: whole rupiah, not within a tolerance.
          expect(String(Number(row.total))).toBe(String(truth.total))
          const amounts = row.items.flatMap((i) => i.adjustments.map((a) => Number(a.amount)))
          expect(amounts.every((a) => Number.isInteger(a))).toBe(true)
          if (amounts.length > 1) spread++
        }
        // The seeded sandbox gives some of these orders a seller voucher, spread over their lines.
        expect(spread).toBeGreaterThan(0)
        const links = await marketplace.listOrderLinks({ connection_id: shop.connection_id }, { select: ["total_mismatch"] })
        expect(links.every((l) => l.total_mismatch === null)).toBe(true)
      })

      it("matches a listing left unmatched once a variant with its SKU is created in Medusa", async () => {
        await syncListingsWorkflow(container).run({ input: { connection_id: connectionId } })
        const before = await marketplace.listListings({ connection_id: connectionId, sku: "NOT-IN-MEDUSA" })
        expect(before.map((l) => l.match_status)).toEqual(["unmatched"])

        // Added after the shop was connected, with the SKU spelled differently (matched trimmed and case-folded).
        await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Poster",
                options: [{ title: "Size", values: ["A2"] }],
                variants: [{ title: "A2", sku: " not-in-medusa", options: { Size: "A2" }, manage_inventory: false, prices: [{ amount: 5, currency_code: "sgd" }] }],
                sales_channels: [{ id: store.sales_channel_id }],
              },
            ],
          },
        })
        const [matched] = await waitFor(async () => {
          const listings = await marketplace.listListings({ connection_id: connectionId, sku: "NOT-IN-MEDUSA" })
          return listings[0]?.match_status === "matched" ? listings : null
        }, "the unmatched listing to be matched to the new variant", 90000)
        expect(matched.match_method).toBe("sku")
      })

      it("the same order five times makes one order", async () => {
        const placed = newOrder()
        const outcomes = []
        for (let i = 0; i < 5; i++) {
          outcomes.push(...(await importOrdersById(container, connectionId, [placed.id])))
        }
        expect(outcomes.map((o) => o.action)).toEqual(["create", "unchanged", "unchanged", "unchanged", "unchanged"])
        expect(await ordersOfConnection()).toHaveLength(1)
        expect(await orderLinks(placed.id)).toHaveLength(1)
      })

      it("16 concurrent imports of one order make one order", async () => {
        const placed = newOrder()
        const [detail] = await withShopSession(container, connectionId, (p, s) => p.getOrders(s, [placed.id]))
        const outcomes = (
          await Promise.all(
            Array.from({ length: 16 }, () => importFetchedOrders(container, connectionId, [detail], { concurrency: 1 }))
          )
        ).flat()
        expect(outcomes.filter((o) => o.action === "create")).toHaveLength(1)
        expect(outcomes.filter((o) => o.action === "failed")).toEqual([])
        expect(await ordersOfConnection()).toHaveLength(1)
        const { reservations } = await readOrder(container, outcomes.find((o) => o.action === "create")!.order_id!)
        expect(reservations).toHaveLength(3)
      })

      it("never lets an older state overwrite a newer one (completed before ready-to-ship)", async () => {
        const placed = newOrder()
        const [early] = await withShopSession(container, connectionId, (p, s) => p.getOrders(s, [placed.id]))
        driver.advanceOrder(placed.id, "shipped")
        driver.advanceOrder(placed.id, driver.finalStatus)
        const [late] = await withShopSession(container, connectionId, (p, s) => p.getOrders(s, [placed.id]))
        expect(late.updated_at.getTime()).toBeGreaterThan(early.updated_at.getTime())

        const [first] = await importFetchedOrders(container, connectionId, [late])
        expect(first.action).toBe("create")
        const [stale] = await importFetchedOrders(container, connectionId, [early])
        expect(stale.action).toBe("unchanged")

        const { order, reservations } = await readOrder(container, first.order_id as string)
        // An order that ends delivered (no completion on the platform) stays open in Medusa.
        expect(order.status).toBe(driver.finalStatus === "completed" ? "completed" : "pending")
        // First seen after shipping: nothing to reserve.
        expect(reservations).toHaveLength(0)
        const [link] = await orderLinks(placed.id)
        expect(link.status).toBe(driver.finalStatus)
        expect(new Date(link.external_updated_at).getTime()).toBe(late.updated_at.getTime())
      })

      it("a cancellation cancels the order and releases its reservations", async () => {
        const placed = newOrder()
        const [created] = await importOrdersById(container, connectionId, [placed.id])
        expect((await readOrder(container, created.order_id as string)).reservations).toHaveLength(3)

        driver.advanceOrder(placed.id, "cancelled")
        const [cancelled] = await importOrdersById(container, connectionId, [placed.id])
        expect(cancelled.action).toBe("update")

        const { order, reservations } = await readOrder(container, created.order_id as string)
        expect(order.status).toBe("canceled")
        expect(reservations).toHaveLength(0)
        expect((await orderLinks(placed.id))[0].status).toBe("cancelled")
      })

      it("an order paid and cancelled before its first import is imported cancelled, its payment refunded", async () => {
        const placed = newOrder("paid", [{ sku: "MUG-01", quantity: 2 }])
        driver.advanceOrder(placed.id, "cancelled")
        const [first] = await importOrdersById(container, connectionId, [placed.id])
        expect(first.action).toBe("create")

        const { order, reservations } = await readOrder(container, first.order_id as string)
        expect(order.status).toBe("canceled")
        expect(reservations).toHaveLength(0)
        const payments = order.payment_collections.flatMap((pc: any) => pc.payments ?? [])
        const refunded = payments.flatMap((p: any) => p.refunds ?? []).reduce((n: number, r: any) => n + Number(r.amount), 0)
        // The marketplace refunded the buyer what they paid.
        expect(refunded).toBeCloseTo(placed.total, 2)
        expect((await orderLinks(placed.id))[0].status).toBe("cancelled")
        // Seen again: nothing changes.
        const [again] = await importOrdersById(container, connectionId, [placed.id])
        expect(again.action).toBe("unchanged")
      })

      it("waits for payment unless the connection imports unpaid orders", async () => {
        const placed = newOrder("unpaid")
        const [skipped] = await importOrdersById(container, connectionId, [placed.id])
        expect(skipped).toEqual(expect.objectContaining({ action: "skip", order_id: null }))
        expect(await orderLinks(placed.id)).toHaveLength(0)

        await marketplace.updateConnections({ id: connectionId, settings: { import_unpaid: true, pull_interval_minutes: 1440 } })
        const [created] = await importOrdersById(container, connectionId, [placed.id])
        expect(created.action).toBe("create")
        let { order } = await readOrder(container, created.order_id as string)
        expect(order.payment_collections ?? []).toHaveLength(0)

        driver.advanceOrder(placed.id, "paid")
        const [paid] = await importOrdersById(container, connectionId, [placed.id])
        expect(paid.action).toBe("update")
        ;({ order } = await readOrder(container, created.order_id as string))
        expect(order.payment_collections[0].status).toBe("completed")
      })

      it("a returning buyer is the same customer", async () => {
        const buyer = { id: "424242", name: "returning_buyer" }
        const a = driver.createOrder(shopId, { status: "paid", buyer, items: [{ sku: "MUG-01", quantity: 1 }] })
        const b = driver.createOrder(shopId, { status: "paid", buyer, items: [{ sku: "MUG-01", quantity: 1 }] })
        const outcomes = await importOrdersById(container, connectionId, [a.id, b.id])
        const orders = await Promise.all(outcomes.map((o) => readOrder(container, o.order_id as string)))
        expect(orders[0].order.customer_id).toBeTruthy()
        expect(orders[0].order.customer_id).toBe(orders[1].order.customer_id)
      })
    },
  })
})
