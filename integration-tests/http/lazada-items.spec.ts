import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { CreateOrderChangeDTO, MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { importReturnsById } from "../../src/orchestration/returns/return-sync"
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
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, { skus: ORDER_TEST_SKUS, stock: 50, defaultShippingProfile: true }))
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
        // The whole order is not cancelled for one unit: the TEE line is edited to 0 (Medusa drops it from the
        // order), its price refunded out of Lazada's total, and only the MUG is fulfilled.
        const { order } = await readOrder(container, outcome.order_id as string)
        expect(order.status).not.toBe("canceled")
        const s = await editState(outcome.order_id as string)
        expect(s.quantities).toEqual({ "MUG-01": 1 })
        expect(s.edits).toEqual(["confirmed"])
        expect(s.refunds).toHaveLength(1)
        expect(s.refunds[0]).toBeGreaterThan(0)
        expect(s.refunds[0]).toBeCloseTo(placed.total - Number(order.total), 2)
        expect(s.pending).toBeCloseTo(0, 2)
        const native = (await container.resolve(Modules.ORDER).retrieveOrder(outcome.order_id as string, { relations: ["items"] })) as unknown as Record<string, any>
        expect(Object.fromEntries(native.items.map((i: Record<string, any>) => [i.variant_sku, Number(i.detail.fulfilled_quantity)]))).toEqual({ "MUG-01": 1 })
        // Imported again after a newer state: nothing more is edited or refunded.
        driver.advanceOrder(placed.id, "delivered")
        expect((await importOrdersById(container, connectionId, [placed.id]))[0]).toEqual(expect.objectContaining({ action: "update", error: null }))
        const later = await editState(outcome.order_id as string)
        expect(later.edits).toEqual(["confirmed"])
        expect(later.refunds).toEqual(s.refunds)
      })

      it("three units: one cancelled on Lazada (the line reduced by an order edit, refunded), one shipped and kept, one returned after delivery", async () => {
        type Row = Record<string, any>
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }, { sku: "TEE-BLK-M", quantity: 1 }] })
        // One MUG unit is cancelled on Lazada before shipping; Lazada keeps it in the order's price (docs/lazada.md).
        driver.moveItem(placed.id, "MUG-01", "canceled")
        const [first] = await importOrdersById(container, connectionId, [placed.id])
        expect(first).toEqual(expect.objectContaining({ action: "create", error: null }))
        const orderId = first.order_id as string

        const state = async () => {
          const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
            entity: "order",
            fields: [
              "id",
              "status",
              "total",
              "summary.*",
              "payment_collections.captured_amount",
              "payment_collections.refunded_amount",
              "payment_collections.payments.refunds.amount",
              "fulfillments.id",
              "fulfillments.canceled_at",
              "fulfillments.items.line_item_id",
              "fulfillments.items.quantity",
            ],
            filters: { id: orderId },
          })
          const order = data[0] as Row
          const native = (await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })) as unknown as Row
          const items = Object.fromEntries(native.items.map((i: Row) => [i.variant_sku, { quantity: Number(i.quantity), fulfilled: Number(i.detail.fulfilled_quantity), received: Number(i.detail.return_received_quantity) }]))
          const reservations = await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: native.items.map((i: Row) => i.id) })
          const { data: edits } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
            entity: "order_change",
            fields: ["id", "status"],
            filters: { order_id: orderId, change_type: "edit" },
          })
          return {
            order,
            items,
            ids: Object.fromEntries(native.items.map((i: Row) => [i.variant_sku, i.id])),
            reserved: Object.fromEntries(native.items.map((i: Row) => [i.variant_sku, reservations.filter((r) => r.line_item_id === i.id).reduce((n, r) => n + Number(r.quantity), 0)])),
            refunds: order.payment_collections.flatMap((c: Row) => c.payments.flatMap((p: Row) => (p.refunds ?? []).map((r: Row) => Number(r.amount)))),
            captured: Number(order.payment_collections[0].captured_amount),
            edits: (edits as Row[]).map((e) => e.status),
            unitPrice: Object.fromEntries(native.items.map((i: Row) => [i.variant_sku, Number(i.unit_price)])),
          }
        }

        let s = await state()
        // The unit price Lazada states for the MUG (its item_price).
        const mugPrice = s.unitPrice["MUG-01"]
        expect(mugPrice).toBeGreaterThan(0)
        // The Medusa order: the MUG line cut to its one live unit, its reservation released, the order open.
        expect(s.order.status).toBe("pending")
        expect(s.items["MUG-01"]).toEqual({ quantity: 1, fulfilled: 0, received: 0 })
        expect(s.items["TEE-BLK-M"]).toEqual({ quantity: 1, fulfilled: 0, received: 0 })
        expect(s.reserved).toEqual({ "MUG-01": 1, "TEE-BLK-M": 1 })
        expect(s.edits).toEqual(["confirmed"])
        // Lazada's total (the cancelled unit still in its price) was captured; the cancelled unit is refunded.
        expect(s.captured).toBeCloseTo(placed.total, 2)
        expect(Number(s.order.total)).toBeCloseTo(placed.total - mugPrice, 2)
        expect(s.refunds).toEqual([mugPrice])
        expect(Number(s.order.summary.pending_difference)).toBeCloseTo(0, 2)

        // Re-importing the same state changes nothing; a newer state does not edit or refund again.
        expect((await importOrdersById(container, connectionId, [placed.id]))[0].action).toBe("unchanged")

        // The two live units ship: one fulfilment of them, the cancelled unit never fulfilled.
        driver.advanceOrder(placed.id, "shipped")
        const [shipped] = await importOrdersById(container, connectionId, [placed.id])
        expect(shipped).toEqual(expect.objectContaining({ action: "update", error: null }))
        s = await state()
        const fulfillments = (s.order.fulfillments as Row[]).filter((f) => !f.canceled_at)
        expect(fulfillments).toHaveLength(1)
        expect(Object.fromEntries(fulfillments[0].items.map((i: Row) => [i.line_item_id, Number(i.quantity)]))).toEqual({ [s.ids["MUG-01"]]: 1, [s.ids["TEE-BLK-M"]]: 1 })
        expect(s.items["MUG-01"]).toEqual({ quantity: 1, fulfilled: 1, received: 0 })
        expect(s.edits).toEqual(["confirmed"])
        expect(s.refunds).toEqual([mugPrice])

        // The tee is returned after delivery and refunded by Lazada.
        const ret = driver.createReturn(placed.id, { lines: [{ line: driver.line(placed.id, "TEE-BLK-M"), quantity: 1 }], solution: "return_refund" })
        driver.advanceReturn(ret.id, driver.refundedReturnStatus)
        await importOrdersById(container, connectionId, [placed.id])
        const [returned] = await importReturnsById(container, connectionId, [ret.id])
        expect(returned.error).toBeNull()
        s = await state()
        expect(s.items["TEE-BLK-M"]).toEqual({ quantity: 1, fulfilled: 1, received: 1 })
        expect(s.items["MUG-01"]).toEqual({ quantity: 1, fulfilled: 1, received: 0 })
        expect(s.refunds).toEqual([mugPrice, Number(ret.refund_amount)])
        expect(Number(s.order.payment_collections[0].refunded_amount)).toBeCloseTo(mugPrice + Number(ret.refund_amount), 2)
        expect(s.edits).toEqual(["confirmed"])
        expect(s.order.status).not.toBe("canceled")
        // Balanced: what was captured less both refunds is what the order keeps (the MUG and the shipping).
        expect(Number(s.order.summary.pending_difference)).toBeCloseTo(0, 2)
      })

      /** The order edit cancelMarketplaceUnitsStep makes, written by hand: the state a process killed after it leaves. */
      const marketplaceEdit = async (orderId: string, lineId: string, from: number, to: number, refund: string, confirm: boolean, createdAt?: Date) => {
        const orders = container.resolve(Modules.ORDER)
        const [change] = await orders.createOrderChange([
          {
            order_id: orderId,
            change_type: "edit",
            created_by: "marketplace-sync",
            metadata: { marketplace_cancelled_units: true, refund_amount: refund },
            ...(createdAt ? { created_at: createdAt } : {}),
            actions: [{ action: "ITEM_UPDATE", reference: "order_item", reference_id: lineId, details: { reference_id: lineId, quantity: to, quantity_diff: to - from } }],
          } as CreateOrderChangeDTO,
        ])
        if (confirm) await orders.confirmOrderChange({ id: change.id, confirmed_by: "marketplace-sync" })
        return change.id
      }

      const editState = async (orderId: string) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "summary.*", "payment_collections.payments.refunds.amount", "payment_collections.payments.refunds.note"],
          filters: { id: orderId },
        })
        const { data: edits } = await query.graph({ entity: "order_change", fields: ["id", "status"], filters: { order_id: orderId, change_type: "edit" } })
        const native = (await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })) as unknown as Record<string, any>
        const order = data[0] as Record<string, any>
        return {
          quantities: Object.fromEntries(native.items.map((i: Record<string, any>) => [i.variant_sku, Number(i.quantity)])),
          ids: Object.fromEntries(native.items.map((i: Record<string, any>) => [i.variant_sku, i.id as string])),
          unitPrice: Object.fromEntries(native.items.map((i: Record<string, any>) => [i.variant_sku, Number(i.unit_price)])),
          refunds: order.payment_collections.flatMap((c: Record<string, any>) => c.payments.flatMap((p: Record<string, any>) => (p.refunds ?? []).map((r: Record<string, any>) => Number(r.amount)))),
          pending: Number(order.summary.pending_difference),
          edits: (edits as Record<string, any>[]).map((e) => e.status).sort(),
        }
      }

      it("an edit whose refund a dead process never recorded is refunded by the next import, once", async () => {
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }, { sku: "TEE-BLK-M", quantity: 1 }] })
        const [first] = await importOrdersById(container, connectionId, [placed.id])
        const orderId = first.order_id as string
        let s = await editState(orderId)
        expect(s.quantities).toEqual({ "MUG-01": 2, "TEE-BLK-M": 1 })
        // Lazada cancels a MUG unit; an import edited the line and died before recording the refund.
        driver.moveItem(placed.id, "MUG-01", "canceled")
        await marketplaceEdit(orderId, s.ids["MUG-01"], 2, 1, String(s.unitPrice["MUG-01"]), true)
        expect((await editState(orderId)).refunds).toEqual([])
        const [again] = await importOrdersById(container, connectionId, [placed.id])
        expect(again).toEqual(expect.objectContaining({ action: "update", error: null }))
        s = await editState(orderId)
        expect(s.quantities).toEqual({ "MUG-01": 1, "TEE-BLK-M": 1 })
        expect(s.edits).toEqual(["confirmed"])
        expect(s.refunds).toEqual([s.unitPrice["MUG-01"]])
        expect(s.pending).toBeCloseTo(0, 2)
        // A newer state: no second edit, no second refund.
        driver.advanceOrder(placed.id, "shipped")
        await importOrdersById(container, connectionId, [placed.id])
        s = await editState(orderId)
        expect(s.edits).toEqual(["confirmed"])
        expect(s.refunds).toEqual([s.unitPrice["MUG-01"]])
      })

      it("an edit of the plugin a dead process left open is cancelled, and the import edits again", async () => {
        const placed = driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }, { sku: "TEE-BLK-M", quantity: 1 }] })
        const [first] = await importOrdersById(container, connectionId, [placed.id])
        const orderId = first.order_id as string
        const { ids, unitPrice } = await editState(orderId)
        driver.moveItem(placed.id, "MUG-01", "canceled")
        // Created a minute ago and never confirmed: Medusa refuses any other change of the order while it is open.
        await marketplaceEdit(orderId, ids["MUG-01"], 2, 1, String(unitPrice["MUG-01"]), false, new Date(Date.now() - 60_000))
        const [again] = await importOrdersById(container, connectionId, [placed.id])
        expect(again).toEqual(expect.objectContaining({ action: "update", error: null }))
        const s = await editState(orderId)
        expect(s.edits).toEqual(["canceled", "confirmed"])
        expect(s.quantities).toEqual({ "MUG-01": 1, "TEE-BLK-M": 1 })
        expect(s.refunds).toEqual([unitPrice["MUG-01"]])
        expect(s.pending).toBeCloseTo(0, 2)
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
