import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { ChangeActionType, ContainerRegistrationKeys, Modules, OrderChangeType } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importFetchedOrders } from "../../src/orchestration/orders/order-sync"
import { withShopSession } from "../../src/lib/shop-session"
import { SYSTEM_PAYMENT_PROVIDER, type PaymentRecords } from "../../src/workflows/orders/steps/capture-marketplace-payment"
import type { OrderStatus } from "../../src/providers/types"
import {
  connectDriverShop,
  ORDER_TEST_SKUS,
  seedOrderTestCatalogue,
  seedStore,
  useDefaultShippingProfile,
  type SeededStore,
} from "../helpers/store"
import { drivers, useSandbox } from "../platforms"

jest.setTimeout(240000)

/**
 * A process killed in the middle of an import runs no compensation: what it wrote stays. These tests put the
 * database in the state a SIGKILL at each dangerous point leaves (the steps up to that point done, nothing
 * after), then import again, as the retry does, and count what exists: one order, one link, one capture,
 * reservations.
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
        container = getContainer()
        marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        driver.reset()
        store = await seedStore(container, ORDER_TEST_SKUS, { stock: 50 })
        // The products ship on the connection's marketplace-logistics option (the fulfilment tests need it).
        await useDefaultShippingProfile(container, store)
        ;({ connection_id: connectionId, shop_id: shopId } = await connectDriverShop(container, driver, store))
        seedOrderTestCatalogue(driver, shopId)
      })

      const place = (status: OrderStatus = "paid") =>
        driver.createOrder(shopId, {
          status,
          prepaid: true,
          items: [
            { sku: "TEE-BLK-M", quantity: 2 },
            { sku: "MUG-01", quantity: 1 },
          ],
        }).id

      const fetch = (ids: string[]) =>
        withShopSession(container, connectionId, (provider, session) => provider.getOrders(session, ids))

      /** Everything the store has of the connection's orders. */
      const inventory = async () => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: orders } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "metadata",
            "items.id",
            "payment_collections.id",
            "payment_collections.status",
            "payment_collections.amount",
            "payment_collections.authorized_amount",
            "payment_collections.captured_amount",
            "payment_collections.payments.id",
            "payment_collections.payments.captured_at",
            "payment_collections.payments.captures.id",
            "transactions.reference",
          ],
          filters: { sales_channel_id: store.sales_channel_id },
        })
        const { data: links } = await query.graph({
          entity: "order_link",
          fields: ["id", "external_order_id", "external_updated_at", "order.id"],
          filters: { connection_id: connectionId },
        })
        const itemIds = (orders as any[]).flatMap((o) => o.items.map((i: { id: string }) => i.id))
        const reservations = itemIds.length
          ? await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: itemIds })
          : []
        return { orders: orders as any[], links: links as any[], reservations }
      }

      /** What each order must have once imported, whatever happened before. */
      const expectComplete = async (externalIds: string[]) => {
        const { orders, links, reservations } = await inventory()
        expect(orders.map((o) => o.metadata.marketplace_order_id).sort()).toEqual([...externalIds].sort())
        expect(links.map((l) => l.external_order_id).sort()).toEqual([...externalIds].sort())
        for (const o of orders) {
          const link = links.find((l) => l.external_order_id === o.metadata.marketplace_order_id)
          expect(link.order?.id).toBe(o.id)
          expect(new Date(link.external_updated_at).getTime()).toBeGreaterThan(0)
          expect(o.payment_collections).toHaveLength(1)
          expect(o.payment_collections[0].status).toBe("completed")
          expect(o.payment_collections[0].payments).toHaveLength(1)
          expect(o.payment_collections[0].payments[0].captures).toHaveLength(1)
          expect(o.payment_collections[0].payments[0].captured_at).toBeTruthy()
          expect(Number(o.payment_collections[0].captured_amount)).toBe(Number(o.payment_collections[0].amount))
          expect(Number(o.payment_collections[0].authorized_amount)).toBe(Number(o.payment_collections[0].amount))
          expect(o.transactions.filter((t: { reference: string }) => t.reference === "capture")).toHaveLength(1)
          // One reservation per line (each variant has one inventory item).
          const lines = o.items.map((i: { id: string }) => i.id)
          expect(reservations.filter((r) => lines.includes(r.line_item_id)).map((r) => r.line_item_id).sort()).toEqual(
            [...lines].sort()
          )
        }
        return orders
      }

      /** Removes an order's payment records and reservations, and puts its link back at the epoch watermark. */
      const rewindAfterCreation = async (orderId: string, { unlink }: { unlink: boolean }) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const link = container.resolve(ContainerRegistrationKeys.LINK)
        const {
          data: [order],
        } = await query.graph({
          entity: "order",
          fields: ["id", "items.id", "payment_collections.id", "transactions.id", "order_link.id"],
          filters: { id: orderId },
        })
        const o = order as any
        const reservations = await container
          .resolve(Modules.INVENTORY)
          .listReservationItems({ line_item_id: o.items.map((i: { id: string }) => i.id) })
        await container.resolve(Modules.INVENTORY).deleteReservationItems(reservations.map((r) => r.id))
        await container.resolve(Modules.ORDER).deleteOrderTransactions(o.transactions.map((t: { id: string }) => t.id))
        for (const c of o.payment_collections) {
          await link.dismiss({ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: c.id } })
          await container.resolve(Modules.PAYMENT).deletePaymentCollections([c.id])
        }
        const linkId = o.order_link.id as string
        await marketplace.updateOrderLinks({ id: linkId, external_updated_at: new Date(0) })
        if (unlink) {
          await link.dismiss({ [MARKETPLACE_MODULE]: { order_link_id: linkId }, [Modules.ORDER]: { order_id: orderId } })
        }
      }

      it.each([
        ["in a batch", true],
        ["one by one", false],
      ])("killed after creating the orders and before linking them (%s): the retry adopts them", async (_label, batch) => {
        const ids = [place(), place()]
        const fetched = await fetch(ids)
        const first = await importFetchedOrders(container, connectionId, fetched, { batch })
        expect(first.map((o) => o.action)).toEqual(["create", "create"])
        // The state a SIGKILL between the order creation and the link leaves: orders, links without their
        // order, no payment, no reservation.
        for (const o of first) await rewindAfterCreation(o.order_id as string, { unlink: true })

        const retried = await importFetchedOrders(container, connectionId, fetched, { batch })
        expect(retried.map((o) => [o.action, o.error])).toEqual([
          ["create", null],
          ["create", null],
        ])
        expect(retried.map((o) => o.order_id)).toEqual(first.map((o) => o.order_id))
        await expectComplete(ids)

        // And once more (a late re-delivery): nothing new.
        const again = await importFetchedOrders(container, connectionId, fetched, { batch })
        expect(again.map((o) => o.action)).toEqual(["unchanged", "unchanged"])
        await expectComplete(ids)
      })

      it("killed inside the payment capture: the retry finishes the capture once and reserves", async () => {
        const [id] = [place()]
        const fetched = await fetch([id])
        const [first] = await importFetchedOrders(container, connectionId, fetched)
        const orderId = first.order_id as string
        // The state a SIGKILL inside the capture leaves: the collection, linked, a session authorized, no
        // capture, no transaction; no reservation (the batch reserves after capturing); the watermark unset.
        await rewindAfterCreation(orderId, { unlink: false })
        const payments = container.resolve(Modules.PAYMENT)
        const [collection] = await payments.createPaymentCollections([{ currency_code: fetched[0].currency_code, amount: Number(fetched[0].total) }])
        await container
          .resolve(ContainerRegistrationKeys.LINK)
          .create({ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: collection.id } })
        const session = await payments.createPaymentSession(collection.id, {
          provider_id: SYSTEM_PAYMENT_PROVIDER,
          currency_code: fetched[0].currency_code,
          amount: Number(fetched[0].total),
          data: {},
        })
        await payments.authorizePaymentSession(session.id, {})

        const [retried] = await importFetchedOrders(container, connectionId, fetched)
        expect([retried.action, retried.error, retried.order_id]).toEqual(["create", null, orderId])
        const [order] = await expectComplete([id])
        expect(order.payment_collections[0].id).toBe(collection.id)
      })

      it("killed inside a bulk capture, after the captures (or the payments) and before they were dated captured: the retry finishes each once", async () => {
        const ids = [place(), place()]
        const fetched = await fetch(ids)
        const first = await importFetchedOrders(container, connectionId, fetched)
        expect(first.map((o) => o.action)).toEqual(["create", "create"])
        // The state a SIGKILL inside the batch's bulk capture leaves (captureMarketplacePayments): the collections,
        // linked, sessions authorized and payments written in bulk; the first order's capture written too, the
        // second's not; no payment dated captured, no collection completed, no transaction, no reservation.
        const paymentModule = container.resolve(Modules.PAYMENT)
        const records = paymentModule as unknown as PaymentRecords
        for (const [n, outcome] of first.entries()) {
          const orderId = outcome.order_id as string
          await rewindAfterCreation(orderId, { unlink: false })
          const money = { currency_code: fetched[n].currency_code.toLowerCase(), amount: Number(fetched[n].total) }
          const [collection] = await paymentModule.createPaymentCollections([money])
          await container
            .resolve(ContainerRegistrationKeys.LINK)
            .create({ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: collection.id } })
          const common = { ...money, payment_collection_id: collection.id, provider_id: SYSTEM_PAYMENT_PROVIDER, data: {} }
          const [session] = await records.createPaymentSessions([{ ...common, status: "authorized", authorized_at: new Date() }])
          const [payment] = await records.createPayments([{ ...common, payment_session_id: session.id }])
          if (n === 0) await records.createCaptures([{ payment_id: payment.id, amount: money.amount }])
        }

        const retried = await importFetchedOrders(container, connectionId, fetched)
        expect(retried.map((o) => [o.action, o.error])).toEqual([
          ["create", null],
          ["create", null],
        ])
        await expectComplete(ids)
      })

      it.each([
        ["imported", false, "update"],
        ["its import never finished (link at the epoch, adopted on retry)", true, "create"],
      ])("killed inside Medusa's cancellation, after the refund and before its credit line was confirmed (%s): the retry finishes it and cancels the order", async (_label, adopt, action) => {
        const id = place()
        const [first] = await importFetchedOrders(container, connectionId, await fetch([id]))
        const orderId = first.order_id as string
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const orders = container.resolve(Modules.ORDER)
        const {
          data: [before],
        } = await query.graph({ entity: "order", fields: ["id", "payment_collections.id", "payment_collections.payments.id", "payment_collections.payments.amount"], filters: { id: orderId } })
        type Paid = { payment_collections: { id: string; payments: { id: string; amount: number }[] }[] }
        const collection = (before as unknown as Paid).payment_collections[0]
        const payment = collection.payments[0]
        // The state a SIGKILL inside cancelOrderWorkflow leaves: the captured payment refunded, the credit-line
        // change that balances it opened and never confirmed (Medusa then refuses every change of the order).
        await container.resolve(Modules.PAYMENT).refundPayment({ payment_id: payment.id, amount: payment.amount })
        const change = await orders.createOrderChange({
          order_id: orderId,
          change_type: OrderChangeType.CREDIT_LINE,
          actions: [
            { action: ChangeActionType.CREDIT_LINE_ADD, order_id: orderId, reference: "payment_collection", reference_id: collection.id, amount: payment.amount },
          ],
        })
        const db = container.resolve<{ raw: (sql: string, b?: unknown[]) => Promise<unknown> }>(ContainerRegistrationKeys.PG_CONNECTION)
        await db.raw(`update order_change set created_at = now() - interval '2 minutes' where id = ?`, [change.id])
        if (adopt) {
          // Killed before the import set its watermark: the retry adopts the order instead of updating it.
          const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: id })
          await marketplace.updateOrderLinks({ id: link.id, external_updated_at: new Date(0) })
        }

        driver.advanceOrder(id, "cancelled")
        const [retried] = await importFetchedOrders(container, connectionId, await fetch([id]))
        expect([retried.action, retried.error]).toEqual([action, null])
        const {
          data: [after],
        } = await query.graph({
          entity: "order",
          fields: ["id", "status", "credit_lines.id", "credit_lines.amount", "payment_collections.payments.refunds.id"],
          filters: { id: orderId },
        })
        type Cancelled = {
          status: string
          credit_lines: { amount: number }[]
          payment_collections: { payments: { refunds: { id: string }[] }[] }[]
        }
        const cancelled = after as unknown as Cancelled
        expect(cancelled.status).toBe("canceled")
        // One refund (the dead run's), credit lines that balance it once (its change, confirmed; the retry's
        // cancellation refunds nothing more and credits 0), no change left open.
        expect(cancelled.payment_collections[0].payments[0].refunds).toHaveLength(1)
        const credited = cancelled.credit_lines.reduce((sum, l) => sum + Number(l.amount), 0)
        expect(credited).toBeCloseTo(Number(payment.amount), 2)
        const open = await orders.listOrderChanges({ order_id: orderId, status: ["pending", "requested"] })
        expect(open).toEqual([])
        expect((await orders.listOrderChanges({ id: change.id }))[0].status).toBe("confirmed")
      })

      /** The order's fulfilments (both sides: the fulfillment module's dates, the order's quantities). */
      const fulfilmentState = async (orderId: string) => {
        const {
          data: [order],
        } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "order",
          fields: [
            "id",
            "items.id",
            "items.detail.quantity",
            "items.detail.fulfilled_quantity",
            "items.detail.shipped_quantity",
            "items.detail.delivered_quantity",
            "fulfillments.id",
            "fulfillments.shipped_at",
            "fulfillments.delivered_at",
            "fulfillments.canceled_at",
          ],
          filters: { id: orderId },
        })
        type Row = {
          items: { id: string; detail: { quantity: number; fulfilled_quantity: number; shipped_quantity: number; delivered_quantity: number } }[]
          fulfillments: { id: string; shipped_at: unknown; delivered_at: unknown; canceled_at: unknown }[]
        }
        const o = order as unknown as Row
        return {
          fulfillments: o.fulfillments.map((f) => ({ shipped: !!f.shipped_at, delivered: !!f.delivered_at, canceled: !!f.canceled_at })),
          lines: o.items.map((i) => [
            Number(i.detail.quantity),
            Number(i.detail.fulfilled_quantity),
            Number(i.detail.shipped_quantity),
            Number(i.detail.delivered_quantity),
          ]),
          fulfillment_ids: o.fulfillments.map((f) => f.id),
        }
      }

      /**
       * An imported paid order with a fulfilment in the state a SIGKILL inside createOrderFulfillmentWorkflow
       * leaves: the fulfilment made and its stock taken (Medusa adjusts the levels before its parallel steps), the
       * order's record of it (the change registerOrderFulfillmentStep confirms) never written, undone here the way
       * its compensation does, and the reservations it consumed (deleteReservationsStep runs beside it) put back.
       * With `unlinked`, the link to the order (createRemoteLinkStep, also beside it) is gone too.
       */
      const halfFulfilled = async ({ unlinked }: { unlinked: boolean }) => {
        const id = place()
        const [first] = await importFetchedOrders(container, connectionId, await fetch([id]))
        const orderId = first.order_id as string
        const connection = await marketplace.retrieveConnection(connectionId)
        const orders = container.resolve(Modules.ORDER)
        const items = ((await orders.retrieveOrder(orderId, { relations: ["items"] })).items ?? []).map((i) => ({
          id: i.id,
          quantity: Number(i.quantity),
        }))
        const inventory = container.resolve(Modules.INVENTORY)
        const reserved = await inventory.listReservationItems({ line_item_id: items.map((i) => i.id) })
        expect(reserved).toHaveLength(2)
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
        const { fulfillment_ids } = await fulfilmentState(orderId)
        if (unlinked) {
          await container.resolve(ContainerRegistrationKeys.LINK).dismiss({
            [Modules.ORDER]: { order_id: orderId },
            [Modules.FULFILLMENT]: { fulfillment_id: fulfillment_ids[0] },
          })
        }
        await orders.revertLastVersion(orderId)
        await inventory.createReservationItems(
          reserved.map((r) => ({
            line_item_id: r.line_item_id as string,
            inventory_item_id: r.inventory_item_id,
            location_id: r.location_id,
            quantity: Number(r.quantity),
          }))
        )
        return { id, orderId, line_ids: items.map((i) => i.id), inventory_item_ids: reserved.map((r) => r.inventory_item_id), fulfillment_ids }
      }

      it("killed inside the fulfilment, after its link and before the order recorded it: the retry records it and ships it", async () => {
        const { id, orderId, line_ids } = await halfFulfilled({ unlinked: false })
        const half = await fulfilmentState(orderId)
        expect(half.fulfillments).toEqual([{ shipped: false, delivered: false, canceled: false }])
        expect(half.lines.map((l) => l[1])).toEqual([0, 0])

        driver.advanceOrder(id, "processed")
        driver.advanceOrder(id, "shipped")
        const [retried] = await importFetchedOrders(container, connectionId, await fetch([id]))
        expect([retried.action, retried.error]).toEqual(["update", null])
        const after = await fulfilmentState(orderId)
        // The same fulfilment, recorded and shipped: no second one, every unit fulfilled and shipped once.
        expect(after.fulfillment_ids).toEqual(half.fulfillment_ids)
        expect(after.fulfillments).toEqual([{ shipped: true, delivered: false, canceled: false }])
        for (const [quantity, fulfilled, shipped] of after.lines) expect([fulfilled, shipped]).toEqual([quantity, quantity])
        // The reservations the fulfilment consumed are gone.
        expect(await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: line_ids })).toEqual([])
      })

      it("killed inside the fulfilment, after the stock was taken and before it was linked to the order: the retry adopts it, takes no stock twice and ships it", async () => {
        const { id, orderId, line_ids, inventory_item_ids, fulfillment_ids: made } = await halfFulfilled({ unlinked: true })
        const inventory = container.resolve(Modules.INVENTORY)
        const levels = async () =>
          (await inventory.listInventoryLevels({ inventory_item_id: inventory_item_ids }))
            .map((l) => Number(l.stocked_quantity))
            .sort()
        // Seeded with 50 each: 2 shirts and 1 mug taken, and no order shows the fulfilment that took them.
        expect(await levels()).toEqual([48, 49])
        expect((await fulfilmentState(orderId)).fulfillments).toEqual([])

        driver.advanceOrder(id, "processed")
        driver.advanceOrder(id, "shipped")
        const [retried] = await importFetchedOrders(container, connectionId, await fetch([id]))
        expect([retried.action, retried.error]).toEqual(["update", null])
        const after = await fulfilmentState(orderId)
        // The dead process's fulfilment, linked, recorded and shipped: no second one, the stock taken once.
        expect(after.fulfillment_ids).toEqual(made)
        expect(after.fulfillments).toEqual([{ shipped: true, delivered: false, canceled: false }])
        for (const [quantity, fulfilled, shipped] of after.lines) expect([fulfilled, shipped]).toEqual([quantity, quantity])
        expect(await levels()).toEqual([48, 49])
        expect(await inventory.listReservationItems({ line_item_id: line_ids })).toEqual([])
      })

      it("killed inside the shipment, after the order recorded it and before the fulfilment was dated: the retry dates it and delivers", async () => {
        const id = place()
        await importFetchedOrders(container, connectionId, await fetch([id]))
        driver.advanceOrder(id, "processed")
        driver.advanceOrder(id, "shipped")
        const [shipped] = await importFetchedOrders(container, connectionId, await fetch([id]))
        const orderId = shipped.order_id as string
        const before = await fulfilmentState(orderId)
        expect(before.fulfillments).toEqual([{ shipped: true, delivered: false, canceled: false }])
        // What a SIGKILL between createOrderShipmentWorkflow's parallel steps leaves: the order counts the items
        // shipped, the fulfilment has no shipped_at. The retry used to ship it again and fail on every attempt
        // with "Cannot ship more items than what was fulfilled".
        await container.resolve(Modules.FULFILLMENT).updateFulfillment(before.fulfillment_ids[0], { shipped_at: null } as never)
        expect((await fulfilmentState(orderId)).fulfillments).toEqual([{ shipped: false, delivered: false, canceled: false }])

        driver.advanceOrder(id, "delivered")
        const [retried] = await importFetchedOrders(container, connectionId, await fetch([id]))
        expect([retried.action, retried.error]).toEqual(["update", null])
        const after = await fulfilmentState(orderId)
        expect(after.fulfillment_ids).toEqual(before.fulfillment_ids)
        expect(after.fulfillments).toEqual([{ shipped: true, delivered: true, canceled: false }])
        for (const [quantity, fulfilled, shipped, delivered] of after.lines) {
          expect([fulfilled, shipped, delivered]).toEqual([quantity, quantity, quantity])
        }
      })

      it("unpaid orders imported with import_unpaid are reserved on the batch path and the one-by-one path alike", async () => {
        await marketplace.updateConnections({ id: connectionId, settings: { import_unpaid: true, pull_interval_minutes: 1440 } })
        const [a, b] = [place("unpaid"), place("unpaid")]
        const [batched] = await importFetchedOrders(container, connectionId, await fetch([a]))
        const [single] = await importFetchedOrders(container, connectionId, await fetch([b]), { batch: false })
        expect([batched.action, single.action]).toEqual(["create", "create"])
        const { orders, reservations } = await inventory()
        for (const o of orders) {
          expect(o.payment_collections ?? []).toHaveLength(0)
          const lines = o.items.map((i: { id: string }) => i.id).sort()
          expect(reservations.filter((r) => lines.includes(r.line_item_id)).map((r) => r.line_item_id).sort()).toEqual(lines)
        }
        expect(orders).toHaveLength(2)
      })
    },
  })
})
