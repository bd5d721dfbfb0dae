import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import type { MarketplaceOrder } from "../../src/providers/types"
import { importFetchedOrders } from "../../src/orchestration/orders/order-sync"
import { importNewOrdersWorkflow } from "../../src/workflows/orders/workflows/import-new-orders"
import { IMPORT_CONNECTION_FIELDS, type ImportConnectionContext } from "../../src/workflows/orders/steps/plan-order-import"
import { withShopSession } from "../../src/lib/shop-session"
import { executeInKeyOrder } from "../../src/lib/locks"
import type { OrderStatus } from "../../src/providers/types"
import { ORDER_TEST_SKUS, type SeededStore, seedOrderTestCatalogue, setUpDriverStore, useDefaultShippingProfile } from "../helpers/store"
import { drivers, useSandbox } from "../platforms"

jest.setTimeout(240000)

const SKUS = ORDER_TEST_SKUS

/**
 * New orders are created in batches (importNewOrdersWorkflow), those first seen shipped or settled too (as paid
 * ones, then moved on by importOrderWorkflow), and everything else one by one (importOrderWorkflow). The batch
 * must make exactly what the one-by-one import makes: these tests import
 * the same marketplace orders both ways (a copy under another order number) and compare the results.
 */
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
        // Singapore charges 9% GST: the orders get tax lines (prices stay tax-inclusive, as on the marketplace).
        const [taxRegion] = await container
          .resolve(Modules.TAX)
          .createTaxRegions([{ country_code: "sg", provider_id: "tp_system" }])
        await container
          .resolve(Modules.TAX)
          .createTaxRates([{ tax_region_id: taxRegion.id, name: "GST", code: "GST", rate: 9, is_default: true }])
      })

      const place = (items: { sku: string; quantity: number }[], status: OrderStatus = "paid") =>
        driver.createOrder(shopId, { status, items, prepaid: true }).id

      const fetch = (ids: string[]) =>
        withShopSession(container, connectionId, (provider, session) => provider.getOrders(session, ids))

      /** The same order under another order number (the marketplace never sees it: nothing here calls it). */
      const copy = (o: MarketplaceOrder, suffix: string): MarketplaceOrder => ({ ...structuredClone(o), external_id: `${o.external_id}${suffix}` })

      const read = async (orderId: string) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const {
          data: [order],
        } = await query.graph({
          entity: "order",
          fields: [
            "status",
            "email",
            "currency_code",
            "customer_id",
            "sales_channel_id",
            "region_id",
            "metadata",
            "total",
            "subtotal",
            "tax_total",
            "discount_total",
            "shipping_total",
            "item_total",
            "summary.*",
            "items.*",
            "items.tax_lines.code",
            "items.tax_lines.rate",
            "items.adjustments.code",
            "items.adjustments.amount",
            "items.adjustments.is_tax_inclusive",
            "shipping_methods.name",
            "shipping_methods.amount",
            "shipping_methods.is_tax_inclusive",
            "shipping_methods.shipping_option_id",
            "shipping_methods.data",
            "shipping_methods.tax_lines.code",
            "shipping_methods.tax_lines.rate",
            "shipping_address.*",
            "payment_collections.status",
            "payment_collections.amount",
            "payment_collections.captured_amount",
            "payment_collections.payments.provider_id",
            "payment_collections.payments.captures.amount",
            "transactions.amount",
            "transactions.reference",
            "items.detail.fulfilled_quantity",
            "items.detail.shipped_quantity",
            "items.detail.delivered_quantity",
            "fulfillments.shipped_at",
            "fulfillments.delivered_at",
            "fulfillments.canceled_at",
            "fulfillments.items.quantity",
            "fulfillments.labels.tracking_number",
          ],
          filters: { id: orderId },
        })
        const o = order as unknown as Record<string, any>
        const itemIds = (o.items ?? []).map((i: { id: string }) => i.id)
        const reservations = itemIds.length
          ? await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: itemIds })
          : []
        const lineOf = new Map((o.items ?? []).map((i: Record<string, any>) => [i.id, i.metadata?.marketplace_line_id]))
        const num = (v: unknown) => (v === null || v === undefined ? v : MathBN.convert(v as number).toFixed())
        const noIds = ({ id: _id, order_id: _o, created_at: _c, updated_at: _u, deleted_at: _d, customer_id: _cu, ...rest }: Record<string, any>) => rest
        return {
          status: o.status,
          email: o.email,
          currency_code: o.currency_code,
          customer_id: o.customer_id,
          sales_channel_id: o.sales_channel_id,
          region_id: o.region_id,
          metadata: { ...o.metadata, marketplace_order_id: undefined },
          totals: Object.fromEntries(["total", "subtotal", "tax_total", "discount_total", "shipping_total", "item_total"].map((k) => [k, num(o[k])])),
          items: (o.items as Record<string, any>[])
            .map((i) => ({
              line: i.metadata?.marketplace_line_id,
              title: i.title,
              subtitle: i.subtitle,
              thumbnail: i.thumbnail,
              variant_id: i.variant_id,
              product_id: i.product_id,
              product_title: i.product_title,
              product_handle: i.product_handle,
              product_description: i.product_description,
              variant_sku: i.variant_sku,
              variant_title: i.variant_title,
              requires_shipping: i.requires_shipping,
              is_discountable: i.is_discountable,
              is_tax_inclusive: i.is_tax_inclusive,
              is_custom_price: i.is_custom_price,
              is_giftcard: i.is_giftcard,
              quantity: num(i.quantity),
              unit_price: num(i.unit_price),
              compare_at_unit_price: num(i.compare_at_unit_price),
              metadata: i.metadata,
              tax_lines: (i.tax_lines ?? []).map((t: Record<string, unknown>) => [t.code, num(t.rate)]),
              adjustments: (i.adjustments ?? []).map((a: Record<string, unknown>) => [a.code, num(a.amount), a.is_tax_inclusive]),
              total: num(i.total),
              tax_total: num(i.tax_total),
              fulfilled: [i.detail?.fulfilled_quantity, i.detail?.shipped_quantity, i.detail?.delivered_quantity].map(num),
            }))
            .sort((a, b) => String(a.line).localeCompare(String(b.line))),
          shipping_methods: (o.shipping_methods as Record<string, any>[]).map((m) => ({
            name: m.name,
            amount: num(m.amount),
            is_tax_inclusive: m.is_tax_inclusive,
            shipping_option_id: m.shipping_option_id,
            data: m.data,
            tax_lines: (m.tax_lines ?? []).map((t: Record<string, unknown>) => [t.code, num(t.rate)]),
          })),
          shipping_address: noIds(o.shipping_address ?? {}),
          payments: (o.payment_collections ?? []).map((p: Record<string, any>) => ({
            status: p.status,
            amount: num(p.amount),
            captured: num(p.captured_amount),
            providers: (p.payments ?? []).map((x: Record<string, any>) => x.provider_id),
            captures: (p.payments ?? []).flatMap((x: Record<string, any>) => (x.captures ?? []).map((c: Record<string, unknown>) => num(c.amount))),
          })),
          transactions: (o.transactions ?? []).map((t: Record<string, unknown>) => [t.reference, num(t.amount)]),
          fulfillments: ((o.fulfillments ?? []) as Record<string, any>[]).map((f) => ({
            shipped: !!f.shipped_at,
            delivered: !!f.delivered_at,
            canceled: !!f.canceled_at,
            quantity: (f.items ?? []).reduce((n: number, i: Record<string, unknown>) => n + Number(i.quantity), 0),
            tracking: (f.labels ?? []).map((l: Record<string, unknown>) => l.tracking_number),
          })),
          summary: Object.fromEntries(
            Object.entries((o.summary ?? {}) as Record<string, unknown>)
              // The one-by-one import adds the discount after creating the order, which leaves these three
              // summary totals without it; the batch creates the order with it (compared apart below).
              .filter(([k]) => !k.startsWith("raw_") && !["id", "order_id", "created_at", "updated_at", "deleted_at", "version", "totals", "accounting_total", "current_order_total", "original_order_total"].includes(k))
              .map(([k, v]) => [k, num(v)])
          ),
          reservations: reservations
            .map((r) => ({ line: lineOf.get(r.line_item_id as string), inventory_item_id: r.inventory_item_id, location_id: r.location_id, quantity: num(r.quantity) }))
            .sort((a, b) => String(a.line).localeCompare(String(b.line))),
        }
      }

      /** What an order link records of the marketplace's order, for comparing two imports of it. */
      const linkState = (l: Record<string, any>) => ({
        status: l.status,
        external_status: l.external_status,
        external_updated_at: new Date(l.external_updated_at).toISOString(),
        total: String(l.total),
        total_mismatch: l.total_mismatch,
        has_unmatched_items: l.has_unmatched_items,
        tracking_number: l.tracking_number,
        carrier: l.carrier,
        shipment_note: l.shipment_note,
        last_error: l.last_error,
      })

      /** The connection as the import reads it (IMPORT_CONNECTION_FIELDS), for running the batch workflow alone. */
      const importConnection = async () => {
        const { data } = await container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "connection", fields: IMPORT_CONNECTION_FIELDS, filters: { id: connectionId } })
        return data[0] as unknown as ImportConnectionContext
      }

      const link = async (externalId: string) => {
        const [l] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: externalId })
        return l
      }

      it("creates new orders exactly as the one-by-one import does", async () => {
        const ids = [
          place([{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }]),
          place([{ sku: " tee-blk-l ", quantity: 1 }, { sku: "NOT-IN-MEDUSA", quantity: 3 }]),
          place([{ sku: "MUG-01", quantity: 4 }]),
        ]
        const fetched = await fetch(ids)
        // A seller voucher on the first order: it becomes tax-inclusive line adjustments both ways.
        fetched[0].discount_total = MathBN.add(fetched[0].discount_total, "2.5").toFixed()
        fetched[0].total = MathBN.sub(fetched[0].total, "2.5").toFixed()

        const single = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-1")), { batch: false })
        const batched = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-B")))
        expect(single.map((o) => [o.action, o.error])).toEqual(fetched.map(() => ["create", null]))
        expect(batched.map((o) => [o.action, o.error])).toEqual(fetched.map(() => ["create", null]))

        for (let i = 0; i < fetched.length; i++) {
          const [a, b] = await Promise.all([read(single[i].order_id as string), read(batched[i].order_id as string)])
          expect(b).toEqual(a)
          // And what both must be: the marketplace's total, tax lines, a captured payment, the same buyer.
          expect(MathBN.convert(b.totals.total as string).toFixed(2)).toBe(MathBN.convert(fetched[i].total).toFixed(2))
          expect(b.items.filter((x) => x.variant_id).every((x) => x.tax_lines.length === 1)).toBe(true)
          expect(b.payments[0].status).toBe("completed")
          expect(b.customer_id).toBe(a.customer_id)
          // The batch's order summary has the marketplace's total, paid in full.
          expect(Math.abs(Number(b.summary.pending_difference))).toBeLessThan(0.005)

          const [la, lb] = await Promise.all([link(`${fetched[i].external_id}-1`), link(`${fetched[i].external_id}-B`)])
          expect(linkState(lb)).toEqual(linkState(la))
        }
        expect(batched[1].order_id).not.toBe(single[1].order_id)
        expect((await read(batched[0].order_id as string)).items[0].adjustments).toEqual([["MARKETPLACE_DISCOUNT", expect.any(String), true]])

        // Each order link points at its Medusa order (the module link), as the one-by-one import makes it.
        const { data: linked } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "order_link",
          fields: ["external_order_id", "order.id"],
          filters: { connection_id: connectionId, external_order_id: fetched.map((o) => `${o.external_id}-B`) },
        })
        expect(Object.fromEntries(linked.map((l: any) => [l.external_order_id, l.order?.id]))).toEqual(
          Object.fromEntries(fetched.map((o, i) => [`${o.external_id}-B`, batched[i].order_id]))
        )

        // Imported again (a re-delivery, an overlapping pull): nothing new.
        const again = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-B")))
        expect(again.map((o) => o.action)).toEqual(fetched.map(() => "unchanged"))
        const [, links] = await marketplace.listAndCountOrderLinks({ connection_id: connectionId })
        expect(links).toBe(6)
      })

      it("creates orders first seen shipped or settled as paid ones in the batch, then brings them to their state: as the one-by-one import does", async () => {
        // Products on the connection's shipping profile: Medusa fulfils them (a product on none is only recorded).
        await useDefaultShippingProfile(container, store)
        const ids = [
          place([{ sku: "TEE-BLK-M", quantity: 2 }, { sku: "MUG-01", quantity: 1 }], "shipped"),
          place([{ sku: "MUG-01", quantity: 3 }], driver.finalStatus),
          place([{ sku: " tee-blk-l ", quantity: 1 }, { sku: "NOT-IN-MEDUSA", quantity: 1 }], driver.finalStatus),
        ]
        const fetched = await fetch(ids)
        const inventory = container.resolve(Modules.INVENTORY)
        const stocked = async () =>
          Object.fromEntries(
            await Promise.all(
              ["TEE-BLK-M", "MUG-01", "TEE-BLK-L"].map(async (sku) => {
                const [level] = await inventory.listInventoryLevels({
                  inventory_item_id: store.variants[sku].inventory_item_id,
                  location_id: store.stock_location_id,
                })
                return [sku, [Number(level.stocked_quantity), Number(level.reserved_quantity)]]
              })
            )
          )
        const before = await stocked()
        const single = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-1")), { batch: false })
        const afterSingle = await stocked()
        const batched = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-B")))
        const afterBatch = await stocked()
        expect(single.map((o) => [o.action, o.error])).toEqual(fetched.map(() => ["create", null]))
        expect(batched.map((o) => [o.action, o.error])).toEqual(fetched.map(() => ["create", null]))
        // Both took the stock out (fulfilled) and left nothing reserved, the same amounts.
        for (const sku of Object.keys(before)) {
          expect(afterBatch[sku][0] - afterSingle[sku][0]).toBe(afterSingle[sku][0] - before[sku][0])
          expect(afterBatch[sku][1]).toBe(before[sku][1])
        }
        expect(afterSingle["MUG-01"][0]).toBe(before["MUG-01"][0] - 4)

        for (let i = 0; i < fetched.length; i++) {
          const [a, b] = await Promise.all([read(single[i].order_id as string), read(batched[i].order_id as string)])
          expect(b).toEqual(a)
          expect(b.fulfillments.filter((f) => f.shipped && !f.canceled).length).toBeGreaterThan(0)
          expect(b.status).toBe(driver.finalStatus === "completed" && fetched[i].status === "completed" ? "completed" : "pending")
          expect(b.payments[0].status).toBe("completed")
          const [la, lb] = await Promise.all([link(`${fetched[i].external_id}-1`), link(`${fetched[i].external_id}-B`)])
          expect(linkState(lb)).toEqual(linkState(la))
          expect(lb.status).toBe(fetched[i].status)
        }

        // Imported again: nothing new.
        const again = await importFetchedOrders(container, connectionId, fetched.map((o) => copy(o, "-B")))
        expect(again.map((o) => o.action)).toEqual(fetched.map(() => "unchanged"))
      })

      it("a batch's order first seen shipped whose state an import did not apply (a crash) is brought to it by the next import", async () => {
        await useDefaultShippingProfile(container, store)
        const [id] = [place([{ sku: "MUG-01", quantity: 1 }], driver.finalStatus)]
        const [order] = await fetch([id])
        // The batch alone (what a process killed right after it leaves): the order exists, as a paid one.
        const { result } = await importNewOrdersWorkflow(container).run({
          input: {
            connection_id: connectionId,
            orders: [order],
            connection: await importConnection(),
          },
        })
        expect(result.created.map((c) => [c.external_id, c.staged])).toEqual([[id, true]])
        const staged = await link(id)
        expect([staged.status, new Date(staged.external_updated_at).getTime()]).toEqual(["paid", new Date(order.updated_at).getTime() - 1])

        // The retry (a re-delivered push, the next pull) finds the order and moves it on; nothing is created twice.
        const [outcome] = await importFetchedOrders(container, connectionId, [order])
        expect(outcome).toEqual(expect.objectContaining({ action: "update", order_id: result.created[0].order_id, error: null }))
        expect((await link(id)).status).toBe(driver.finalStatus)
        const { data: orders } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "order",
          fields: ["id"],
          filters: { sales_channel_id: store.sales_channel_id },
        })
        expect(orders.map((o) => o.id)).toEqual([result.created[0].order_id])
        expect((await read(result.created[0].order_id)).fulfillments.some((f) => f.shipped)).toBe(true)
      })

      it("imports a sale the marketplace made of an item Medusa has no stock of", async () => {
        // Sold out in Medusa (sold elsewhere meanwhile): the marketplace's sale is a fact, the order must come in.
        const inventory = container.resolve(Modules.INVENTORY)
        const [level] = await inventory.listInventoryLevels({
          inventory_item_id: store.variants["MUG-01"].inventory_item_id,
          location_id: store.stock_location_id,
        })
        await inventory.updateInventoryLevels([
          { inventory_item_id: level.inventory_item_id, location_id: level.location_id, stocked_quantity: 0 },
        ])
        const sn = place([{ sku: "MUG-01", quantity: 2 }])
        const [outcome] = await importFetchedOrders(container, connectionId, await fetch([sn]))
        expect(outcome).toEqual(expect.objectContaining({ action: "create", error: null }))
        const order = await read(outcome.order_id as string)
        expect(order.items.map((i) => [i.variant_id, i.quantity])).toEqual([[store.variants["MUG-01"].id, "2"]])
        // Reserved all the same: Medusa's available quantity goes below zero (stock pushes never send less than 0).
        expect(order.reservations.map((r) => r.quantity)).toEqual(["2"])
      })

      it("leaves unpaid orders, and orders locked elsewhere, to the one-by-one import", async () => {
        const paid = place([{ sku: "MUG-01", quantity: 1 }])
        const shipped = place([{ sku: "TEE-BLK-M", quantity: 1 }], "shipped")
        const unpaid = place([{ sku: " tee-blk-l ", quantity: 1 }], "unpaid")
        const busy = place([{ sku: "MUG-01", quantity: 2 }])
        const fetched = await fetch([paid, shipped, unpaid, busy])

        // Another import holds the lock of one order for a moment: the batch leaves it, and it is imported
        // once the lock is free, by the one-by-one path.
        const locking = container.resolve(Modules.LOCKING)
        await locking.acquire(`marketplace:order:${connectionId}:${busy}`, { expire: 2 })
        const outcomes = await importFetchedOrders(container, connectionId, fetched)
        expect(Object.fromEntries(outcomes.map((o) => [o.external_order_id, o.action]))).toEqual({
          [paid]: "create",
          [shipped]: "create",
          [unpaid]: "skip",
          [busy]: "create",
        })
        expect((await link(shipped)).status).toBe("shipped")
        expect(await link(unpaid)).toBeUndefined()
      })

      it("a batch that fails leaves nothing behind, and its orders are imported one by one", async () => {
        const ids = [place([{ sku: "MUG-01", quantity: 1 }]), place([{ sku: "TEE-BLK-M", quantity: 1 }]), place([{ sku: " tee-blk-l ", quantity: 2 }])]
        const fetched = await fetch(ids)
        // One order Medusa refuses (a line of quantity 0, as createOrderWorkflow does): the batch is compensated.
        fetched[1].items[0].quantity = 0
        const customers = container.resolve(Modules.CUSTOMER)
        const [, customersBefore] = await customers.listAndCountCustomers({})

        const outcomes = await importFetchedOrders(container, connectionId, fetched)
        expect(outcomes.map((o) => o.action)).toEqual(["create", "failed", "create"])
        expect(outcomes[1].error).toBeTruthy()

        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: orders } = await query.graph({
          entity: "order",
          fields: ["id", "metadata", "payment_collections.id"],
          filters: { sales_channel_id: store.sales_channel_id },
        })
        expect(orders.map((o: any) => o.metadata.marketplace_order_id).sort()).toEqual([ids[0], ids[2]].sort())
        expect(orders.every((o: any) => o.payment_collections.length === 1)).toBe(true)
        const [, collections] = await container.resolve(Modules.PAYMENT).listAndCountPaymentCollections({})
        expect(collections).toBe(2)
        // Compensated both times: no link, order, customer or reservation of the failed order is left.
        expect(await link(ids[1])).toBeUndefined()
        const [, customersAfter] = await customers.listAndCountCustomers({})
        const buyers = new Set([fetched[0], fetched[2]].map((o) => o.buyer.external_id)).size
        expect(customersAfter - customersBefore).toBe(buyers)
        const reservations = await container.resolve(Modules.INVENTORY).listReservationItems({})
        expect(reservations.reduce((n, r) => n + Number(r.quantity), 0)).toBe(3)
      })

      it("reservations of batches sharing items take the items' locks in one order: no two wait for each other", async () => {
        // Several keys at once through the locking module's execute (on Redis: every key at the same time, each
        // waiting while holding the others it got) let two batches each hold one item and wait for the other's.
        const locking = container.resolve(Modules.LOCKING)
        const [a, b, c] = ["marketplace:test:iitem_a", "marketplace:test:iitem_b", "marketplace:test:iitem_c"]
        await locking.acquire(b, { ownerId: "other-batch", expire: 20 })
        let ran = false
        const waiting = executeInKeyOrder(container, [c, a, b], async () => { ran = true }, { timeout: 15 })
        await new Promise((resolve) => setTimeout(resolve, 800))
        // Waiting for b, it holds a (before b) and nothing after b: c is free for the other batch.
        expect(ran).toBe(false)
        await expect(locking.acquire(a, { ownerId: "other-batch", expire: 5 })).rejects.toThrow()
        await locking.acquire(c, { ownerId: "other-batch", expire: 5 })
        await locking.release([b, c], { ownerId: "other-batch" })
        await waiting
        expect(ran).toBe(true)

        // Overlapping sets in any order: each runs alone, one after the other, none after a lock timeout.
        let inside = 0
        let overlapped = false
        const job = (name: string) => async () => {
          inside++
          if (inside > 1) overlapped = true
          await new Promise((resolve) => setTimeout(resolve, 300))
          inside--
          return name
        }
        const started = Date.now()
        const done = await Promise.all([
          executeInKeyOrder(container, [a, b, c], job("first"), { timeout: 10 }),
          executeInKeyOrder(container, [c, b, a], job("second"), { timeout: 10 }),
          executeInKeyOrder(container, [c, a], job("third"), { timeout: 10 }),
        ])
        expect(done).toEqual(["first", "second", "third"])
        expect(overlapped).toBe(false)
        expect(Date.now() - started).toBeLessThan(8000)
      })
    },
  })
})
