import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { beginReceiveReturnWorkflow, beginReturnOrderWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import type { MarketplaceReturn } from "../../src/providers/types"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { importFetchedReturns, importReturnsById } from "../../src/orchestration/returns/return-sync"
import { runScheduledReturnPull } from "../../src/orchestration/returns/return-pull"
import { withShopSession } from "../../src/lib/shop-session"
import { adminHeaders } from "../helpers/admin"
import { type SeededStore, setUpDriverStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { describeFor, drivers, useSandbox } from "../platforms"
import type { OrderStatus, ReturnStatus } from "../../src/providers/types"

jest.setTimeout(240000)

const SKUS = ["TEE-BLK-M", "MUG-01"]
type Row = Record<string, any>

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)
  /** The status in which the platform shows a return refunded (Shopee: accepted; TikTok Shop: refunded). */
  const REFUNDED = driver.refundedReturnStatus

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let marketplace: MarketplaceModuleService
      let store: SeededStore
      let connectionId: string
      let shopId: string

      beforeEach(async () => {
        ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 50,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 20, stock: 50 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 50 },
          ],
        }))
      })

      /** A paid order handed to the carrier (prepaid: its status does not depend on the generator). */
      const shippedOrder = async ({ fulfil = true, status = "shipped" as OrderStatus } = {}) => {
        const placed = driver.createOrder(shopId, {
          status,
          items: [
            { sku: "TEE-BLK-M", quantity: 3 },
            { sku: "MUG-01", quantity: 1 },
          ],
          prepaid: true,
        })
        const [outcome] = await importOrdersById(container, connectionId, [placed.id])
        expect(outcome.error).toBeNull()
        const orderId = outcome.order_id as string
        if (fulfil) {
          await fulfilInMedusa(orderId)
        }
        return { placed, orderId }
      }

      /**
       * Fulfils what the import left unfulfilled, with the order module's own registerFulfillment: works whether
       * or not the order import records the marketplace's shipment as a Medusa fulfilment.
       */
      const fulfilInMedusa = async (orderId: string) => {
        const orders = container.resolve(Modules.ORDER)
        const order = (await orders.retrieveOrder(orderId, { relations: ["items"] })) as unknown as Row
        const items = (order.items as Row[])
          .map((i) => ({ id: i.id as string, quantity: Number(i.quantity) - Number(i.detail?.fulfilled_quantity ?? 0) }))
          .filter((i) => i.quantity > 0)
        if (items.length) {
          await orders.registerFulfillment({ order_id: orderId, items })
        }
      }

      /** An order Medusa never fulfilled: imported paid (ready to ship), then shipped on the marketplace only. */
      const orderShippedOnlyOnMarketplace = async () => {
        const placed = driver.createOrder(shopId, {
          status: "paid",
          items: [
            { sku: "TEE-BLK-M", quantity: 3 },
            { sku: "MUG-01", quantity: 1 },
          ],
          prepaid: true,
        })
        const [outcome] = await importOrdersById(container, connectionId, [placed.id])
        expect(outcome.error).toBeNull()
        driver.advanceOrder(placed.id, "shipped")
        return { placed, orderId: outcome.order_id as string }
      }

      const lineOf = (orderId: string, sku: string) => driver.line(orderId, sku)

      const fetchReturn = (returnSn: string) =>
        withShopSession(container, connectionId, (provider, session) => provider.getReturn(session, returnSn))

      const returnLink = async (returnSn: string) => {
        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "return_link",
          fields: ["*", "return.id"],
          filters: { connection_id: connectionId, external_return_id: returnSn },
        })
        return data[0] as Row | undefined
      }

      const medusaReturn = async (returnId: string) =>
        (await container.resolve(Modules.ORDER).retrieveReturn(returnId, { relations: ["items"] })) as unknown as Row

      const orderState = async (orderId: string) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: ["id", "status", "payment_collections.refunded_amount", "payment_collections.payments.refunds.amount"],
          filters: { id: orderId },
        })
        const order = data[0] as Row
        const refunds = order.payment_collections.flatMap((c: Row) => c.payments.flatMap((p: Row) => p.refunds ?? []))
        const native = (await container.resolve(Modules.ORDER).retrieveOrder(orderId, { relations: ["items"] })) as unknown as Row
        const bySku = Object.fromEntries(
          native.items.map((i: Row) => [
            i.variant_sku,
            {
              fulfilled: Number(i.detail.fulfilled_quantity),
              requested: Number(i.detail.return_requested_quantity),
              received: Number(i.detail.return_received_quantity),
              dismissed: Number(i.detail.return_dismissed_quantity),
            },
          ])
        )
        return { status: order.status, refunded: Number(order.payment_collections[0].refunded_amount), refunds: refunds.map((r: Row) => Number(r.amount)), items: bySku }
      }

      const stocked = async (sku: string) => {
        const [level] = await container
          .resolve(Modules.INVENTORY)
          .listInventoryLevels({ inventory_item_id: store.variants[sku].inventory_item_id, location_id: store.stock_location_id })
        return Number(level.stocked_quantity)
      }

      it("a partial return: requested -> Medusa return request; refunded -> received, restocked, refunded with the marketplace's amount; duplicates and old states change nothing", async () => {
        const { placed, orderId } = await shippedOrder()
        const created = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 2 }],
          solution: "return_refund",
        })
        const requestedState = await fetchReturn(created.id)

        const [first] = await importReturnsById(container, connectionId, [created.id])
        expect(first).toEqual(expect.objectContaining({ action: "create", error: null }))
        let link = (await returnLink(created.id))!
        expect(link).toEqual(
          expect.objectContaining({ status: "requested", external_status: created.external_status, solution: "return_refund", external_order_id: placed.id, note: null })
        )
        expect(link.return.id).toBe(first.return_id)
        let ret = await medusaReturn(link.return.id)
        expect(ret.status).toBe("requested")
        expect(ret.order_id).toBe(orderId)
        expect(ret.location_id).toBe(store.stock_location_id)
        expect(ret.items.map((i: Row) => Number(i.quantity))).toEqual([2])
        expect((await orderState(orderId)).items["TEE-BLK-M"]).toEqual({ fulfilled: 3, requested: 2, received: 0, dismissed: 0 })

        // The same state again (a duplicate push) changes nothing.
        const [again] = await importReturnsById(container, connectionId, [created.id])
        expect(again.action).toBe("unchanged")

        driver.advanceReturn(created.id, "processing")
        expect((await importReturnsById(container, connectionId, [created.id]))[0].action).toBe("update")
        expect((await returnLink(created.id))!.status).toBe("processing")
        expect((await medusaReturn(link.return.id)).status).toBe("requested")

        driver.advanceReturn(created.id, REFUNDED)
        const acceptedState = await fetchReturn(created.id)
        const [accepted] = await importFetchedReturns(container, connectionId, [acceptedState])
        expect(accepted.action).toBe("update")
        ret = await medusaReturn(link.return.id)
        expect(ret.status).toBe("received")
        expect(await stocked("TEE-BLK-M")).toBe(52) // the two returned tees are back in stock
        let state = await orderState(orderId)
        expect(state.items["TEE-BLK-M"]).toEqual({ fulfilled: 3, requested: 0, received: 2, dismissed: 0 })
        expect(state.refunds).toEqual([Number(created.refund_amount)])
        expect(state.refunded).toBe(Number(created.refund_amount))
        link = (await returnLink(created.id))!
        expect(link).toEqual(expect.objectContaining({ status: REFUNDED, refund_amount: Number(created.refund_amount), refunded_amount: Number(created.refund_amount) }))

        // Duplicates and an older state delivered late change nothing: no second refund, no regression.
        for (const stale of [acceptedState, requestedState]) {
          const [outcome] = await importFetchedReturns(container, connectionId, [stale])
          expect(outcome.action).toBe("unchanged")
        }
        expect((await returnLink(created.id))!.status).toBe(REFUNDED)
        state = await orderState(orderId)
        expect(state.refunds).toEqual([Number(created.refund_amount)])
        expect(await stocked("TEE-BLK-M")).toBe(52)

        // Closed after the refund: the return stays received.
        driver.advanceReturn(created.id, "closed")
        expect((await importReturnsById(container, connectionId, [created.id]))[0].action).toBe("update")
        expect((await returnLink(created.id))!.status).toBe("closed")
        expect((await medusaReturn(link.return.id)).status).toBe("received")
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])
      })

      it("killed after the refund and before recording it on the return link: the retry finds the refund and never refunds twice", async () => {
        const { placed, orderId } = await shippedOrder()
        const created = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }],
          solution: "return_refund",
        })
        const requestedState = await fetchReturn(created.id)
        await importFetchedReturns(container, connectionId, [requestedState])
        driver.advanceReturn(created.id, REFUNDED)
        const acceptedState = await fetchReturn(created.id)
        const [accepted] = await importFetchedReturns(container, connectionId, [acceptedState])
        expect(accepted.error).toBeNull()
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])

        // The state a SIGKILL between refundPaymentWorkflow and the return link's update leaves: the refund
        // made, the link still at the state before it.
        const link = (await returnLink(created.id))!
        await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateReturnLinks({
          id: link.id,
          status: "requested",
          external_status: requestedState.external_status,
          external_updated_at: requestedState.updated_at,
          refunded_amount: null,
        })

        const [retried] = await importFetchedReturns(container, connectionId, [acceptedState])
        expect(retried.error).toBeNull()
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])
        expect((await returnLink(created.id))!).toEqual(
          expect.objectContaining({ status: REFUNDED, refunded_amount: Number(created.refund_amount) })
        )
      })

      it("killed while receiving a return, and killed while requesting one: the retry closes what the dead run left open and imports the return once", async () => {
        const { placed, orderId } = await shippedOrder()
        const db = container.resolve<{ raw: (sql: string, b?: unknown[]) => Promise<unknown> }>(ContainerRegistrationKeys.PG_CONNECTION)
        const age = (changeIds: string[]) =>
          db.raw(`update order_change set created_at = now() - interval '2 minutes' where id = any(?)`, [changeIds])
        const openChanges = async () =>
          (await container.resolve(Modules.ORDER).listOrderChanges({ order_id: orderId, status: ["pending", "requested"] })) as unknown as Row[]

        // Receiving: the return requested and imported, then a run killed right after it began receiving (the
        // receive change open, nothing received): Medusa refuses any other change of the order.
        const created = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }],
          solution: "return_refund",
        })
        await importFetchedReturns(container, connectionId, [await fetchReturn(created.id)])
        const returnId = (await returnLink(created.id))!.return.id as string
        await beginReceiveReturnWorkflow(container).run({ input: { return_id: returnId } })
        await age((await openChanges()).map((c) => c.id as string))

        driver.advanceReturn(created.id, REFUNDED)
        const [received] = await importFetchedReturns(container, connectionId, [await fetchReturn(created.id)])
        expect(received.error).toBeNull()
        expect((await medusaReturn(returnId)).status).toBe("received")
        expect((await orderState(orderId)).items["TEE-BLK-M"]).toEqual(expect.objectContaining({ received: 1 }))
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])
        expect(await openChanges()).toEqual([])

        // Requesting: a run killed after Medusa's return request began and before the return link recorded it.
        const second = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "MUG-01"), quantity: 1 }],
          solution: "return_refund",
        })
        const { result: begun } = await beginReturnOrderWorkflow(container).run({
          input: { order_id: orderId, metadata: { marketplace_return_id: second.id } },
        })
        await age((await openChanges()).map((c) => c.id as string))
        const [requested] = await importFetchedReturns(container, connectionId, [await fetchReturn(second.id)])
        expect(requested.error).toBeNull()
        expect(requested.return_id).not.toBe((begun as unknown as Row).return_id)
        expect((await medusaReturn(requested.return_id as string)).status).toBe("requested")
        expect(await openChanges()).toEqual([])
      })

      it("refunded and closed between two imports: the refund the platform shows (the order's escrow) is not lost", async () => {
        const { placed, orderId } = await shippedOrder()
        const created = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }],
          solution: "return_refund",
        })
        await importReturnsById(container, connectionId, [created.id])
        // The refunded state comes and goes before the next pull: the plugin only ever sees requested, then closed.
        driver.advanceReturn(created.id, REFUNDED)
        driver.advanceReturn(created.id, "closed")
        const [closed] = await importReturnsById(container, connectionId, [created.id])
        expect(closed.error).toBeNull()
        const link = (await returnLink(created.id))!
        expect(link).toEqual(expect.objectContaining({ status: "closed", refunded_amount: Number(created.refund_amount) }))
        expect((await medusaReturn(link.return.id)).status).toBe("received")
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])
      })

      it("cancelled, or closed without a refund: the Medusa return is cancelled and nothing is refunded", async () => {
        const { placed, orderId } = await shippedOrder()
        const tee = lineOf(placed.id, "TEE-BLK-M")
        const mug = lineOf(placed.id, "MUG-01")
        const cancelled = driver.createReturn(placed.id, { lines: [{ line: tee, quantity: 1 }] })
        const disputed = driver.createReturn(placed.id, { lines: [{ line: mug, quantity: 1 }] })
        await importReturnsById(container, connectionId, [cancelled.id, disputed.id])

        driver.advanceReturn(cancelled.id, "cancelled")
        driver.advanceReturn(disputed.id, "disputed")
        driver.advanceReturn(disputed.id, "processing")
        const outcomes = await importReturnsById(container, connectionId, [cancelled.id, disputed.id])
        expect(outcomes.map((o) => o.action)).toEqual(["update", "update"])
        const cancelledLink = (await returnLink(cancelled.id))!
        expect(cancelledLink.status).toBe("cancelled")
        expect((await medusaReturn(cancelledLink.return.id)).status).toBe("canceled")
        const disputedLink = (await returnLink(disputed.id))!
        expect(disputedLink.status).toBe("processing") // the platform is deciding
        expect((await medusaReturn(disputedLink.return.id)).status).toBe("requested")

        driver.advanceReturn(disputed.id, "closed")
        await importReturnsById(container, connectionId, [disputed.id])
        expect((await returnLink(disputed.id))!.status).toBe("closed")
        expect((await medusaReturn(disputedLink.return.id)).status).toBe("canceled")

        const state = await orderState(orderId)
        expect(state.refunds).toEqual([])
        expect(state.items["TEE-BLK-M"]).toEqual({ fulfilled: 3, requested: 0, received: 0, dismissed: 0 })
        expect(state.items["MUG-01"]).toEqual({ fulfilled: 1, requested: 0, received: 0, dismissed: 0 })

        // A return first seen cancelled is recorded without a Medusa return.
        const late = driver.createReturn(placed.id, { lines: [{ line: mug, quantity: 1 }], status: "cancelled" })
        const [outcome] = await importReturnsById(container, connectionId, [late.id])
        expect(outcome).toEqual(expect.objectContaining({ action: "create", return_id: null }))
        expect((await returnLink(late.id))!.return).toBeFalsy()
      })

      it("refund only: dismissed (nothing restocked) on a fulfilled order; on an order never fulfilled in Medusa, the refund and the link are recorded without a Medusa return", async () => {
        const fulfilled = await shippedOrder()
        const refundOnly = driver.createReturn(fulfilled.placed.id, {
          lines: [{ line: lineOf(fulfilled.placed.id, "MUG-01"), quantity: 1 }],
          solution: "refund_only",
          status: REFUNDED,
        })
        await importReturnsById(container, connectionId, [refundOnly.id])
        const link = (await returnLink(refundOnly.id))!
        expect(link).toEqual(expect.objectContaining({ solution: "refund_only", status: REFUNDED, refunded_amount: Number(refundOnly.refund_amount) }))
        expect((await medusaReturn(link.return.id)).status).toBe("received")
        const state = await orderState(fulfilled.orderId)
        expect(state.items["MUG-01"]).toEqual({ fulfilled: 1, requested: 0, received: 0, dismissed: 1 })
        expect(state.refunds).toEqual([Number(refundOnly.refund_amount)])
        expect(await stocked("MUG-01")).toBe(50)

        const unfulfilled = await orderShippedOnlyOnMarketplace()
        const early = driver.createReturn(unfulfilled.placed.id, {
          lines: [{ line: lineOf(unfulfilled.placed.id, "TEE-BLK-M"), quantity: 1 }],
          solution: "refund_only",
        })
        await importReturnsById(container, connectionId, [early.id])
        let earlyLink = (await returnLink(early.id))!
        expect(earlyLink.return).toBeFalsy()
        expect(earlyLink.note).toMatch(/Not fulfilled in Medusa.*no Medusa return/)
        driver.advanceReturn(early.id, REFUNDED)
        // Twice: the second sight must neither crash nor refund again.
        await importReturnsById(container, connectionId, [early.id])
        const [second] = await importReturnsById(container, connectionId, [early.id])
        expect(second.action).toBe("unchanged")
        earlyLink = (await returnLink(early.id))!
        expect(earlyLink).toEqual(expect.objectContaining({ status: REFUNDED, refunded_amount: Number(early.refund_amount), last_error: null }))
        expect(earlyLink.return).toBeFalsy()
        expect((await orderState(unfulfilled.orderId)).refunds).toEqual([Number(early.refund_amount)])

        // Once the order is fulfilled in Medusa (Medusa's order.fulfillment_created), the waiting return becomes a
        // Medusa return, received as dismissed; the refund is not repeated.
        await fulfilInMedusa(unfulfilled.orderId)
        await container.resolve(Modules.EVENT_BUS).emit({ name: "order.fulfillment_created", data: { order_id: unfulfilled.orderId, fulfillment_id: "ful_test" } })
        const now = await waitFor(async () => {
          const current = (await returnLink(early.id))!
          // The link is linked to its Medusa return first, then its state is recorded: wait for both.
          return current.return?.id && current.note === null ? current : null
        }, "the waiting return to become a Medusa return", 60000)
        expect((await medusaReturn(now.return.id)).status).toBe("received")
        const after = await orderState(unfulfilled.orderId)
        expect(after.items["TEE-BLK-M"]).toEqual({ fulfilled: 3, requested: 0, received: 0, dismissed: 1 })
        expect(after.refunds).toEqual([Number(early.refund_amount)])
      })

      it("concurrent imports of the same return (three workers at once) make one link, one Medusa return and one refund", async () => {
        const { placed, orderId } = await shippedOrder()
        const created = driver.createReturn(placed.id, {
          lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }],
          status: REFUNDED,
        })
        const ret = await fetchReturn(created.id)
        const outcomes = (
          await Promise.all([1, 2, 3].map(() => importFetchedReturns(container, connectionId, [ret] as MarketplaceReturn[])))
        ).flat()
        expect(outcomes.map((o) => o.action).sort()).toEqual(["create", "unchanged", "unchanged"])
        expect(await marketplace.listReturnLinks({ external_return_id: created.id })).toHaveLength(1)
        const { data: returns } = await container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "return", fields: ["id", "status"], filters: { order_id: orderId } })
        expect(returns).toHaveLength(1)
        expect(returns[0].status).toBe("received")
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])
      })

      it("return status pushes (duplicated, out of order) become one return link through the inbox", async () => {
        const { placed, orderId } = await shippedOrder()
        const headers = (await adminHeaders(container)).headers
        const hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
        const created = driver.createReturn(placed.id, { lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }] })
        driver.advanceReturn(created.id, "processing")
        driver.advanceReturn(created.id, REFUNDED)
        const push = (status: ReturnStatus, time: number) =>
          driver.returnStatusPush(hookUrl, { shopId, orderId: placed.id, returnId: created.id, status, time })
        const now = Math.floor(Date.now() / 1000)
        // The newest first, then an older one, then the newest again.
        for (const { body, headers: signed } of [push(REFUNDED, now + 2), push("requested", now), push(REFUNDED, now + 2)]) {
          const answer = await api.post(driver.webhookPath, body, { headers: signed, transformRequest: [(data: unknown) => data] })
          expect(answer.status).toBe(200)
        }
        await waitFor(async () => {
          const events = await marketplace.listMarketplaceEvents({ external_return_id: created.id })
          return events.length === 2 && events.every((e) => e.status === "done") ? events : null
        }, "both return events to be processed", 60000)
        expect(await marketplace.listReturnLinks({ external_return_id: created.id })).toHaveLength(1)
        const link = (await returnLink(created.id))!
        expect(link.status).toBe(REFUNDED)
        expect((await medusaReturn(link.return.id)).status).toBe("received")
        expect((await orderState(orderId)).refunds).toEqual([Number(created.refund_amount)])

        const list = await api.get(`/admin/marketplace/returns?external_order_id=${placed.id}`, { headers })
        expect(list.data.count).toBe(1)
      })

      it("the scheduled pull imports returns updated since its cursor, and moves the cursor", async () => {
        const { placed } = await shippedOrder()
        await marketplace.updateConnections({ id: connectionId, authorized_at: new Date(Date.now() - 3600_000) })
        const created = driver.createReturn(placed.id, { lines: [{ line: lineOf(placed.id, "MUG-01"), quantity: 1 }] })
        const first = await runScheduledReturnPull(container, connectionId)
        expect(first).toEqual(expect.objectContaining({ seen: 1, created: 1, failed: 0 }))
        expect((await returnLink(created.id))!.return).toBeTruthy()
        const [cursor] = await marketplace.listCursors({ connection_id: connectionId, stream: "returns" })
        expect(new Date(cursor.position).getTime()).toBeGreaterThan(Date.now() - 60_000)

        driver.advanceReturn(created.id, REFUNDED)
        const second = await runScheduledReturnPull(container, connectionId)
        expect(second).toEqual(expect.objectContaining({ seen: 1, updated: 1 }))
        expect((await returnLink(created.id))!.status).toBe(REFUNDED)
        // Nothing new: the next pull sees the return again (overlap) and changes nothing.
        expect(await runScheduledReturnPull(container, connectionId)).toEqual(expect.objectContaining({ created: 0, updated: 0, failed: 0 }))
      })

      const fail = (p: Promise<{ status: number; data: Row }>) => p.catch((e: { response: { status: number; data: Row } }) => e.response)

      /** A shipped order with a requested return of a tee and one of the mug, imported; their ids in the admin. */
      const requestedTeeAndMug = async () => {
        const { placed } = await shippedOrder()
        const { headers } = await adminHeaders(container)
        const toAccept = driver.createReturn(placed.id, { lines: [{ line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 }] })
        const toDispute = driver.createReturn(placed.id, { lines: [{ line: lineOf(placed.id, "MUG-01"), quantity: 1 }] })
        await importReturnsById(container, connectionId, [toAccept.id, toDispute.id])
        const list = await api.get(`/admin/marketplace/returns?connection_id=${connectionId}&status=requested`, { headers })
        expect(list.data.count).toBe(2)
        const adminId = (externalId: string) => list.data.returns.find((r: Row) => r.external_return_id === externalId).id as string
        return { headers, toAccept, toDispute, acceptId: adminId(toAccept.id), disputeId: adminId(toDispute.id) }
      }

      // Shopee needs a dispute e-mail and numeric reason ids: the refusals before calling are Shopee's.
      describeFor("shopee", driver)("Shopee", () => {
        it("admin routes: list, retrieve, accept and dispute on the marketplace; refusals and bad input change nothing", async () => {
          const { placed } = await shippedOrder()
          const { headers } = await adminHeaders(container)
          const tee = lineOf(placed.id, "TEE-BLK-M")
          const toAccept = driver.createReturn(placed.id, { lines: [{ line: tee, quantity: 1 }] })
          const toDispute = driver.createReturn(placed.id, { lines: [{ line: tee, quantity: 1 }] })
          await importReturnsById(container, connectionId, [toAccept.id, toDispute.id])

          const list = await api.get(`/admin/marketplace/returns?connection_id=${connectionId}&status=requested`, { headers })
          expect(list.status).toBe(200)
          expect(list.data).toEqual(expect.objectContaining({ count: 2, offset: 0 }))
          const acceptId = list.data.returns.find((r: Row) => r.external_return_id === toAccept.id).id
          const disputeId = list.data.returns.find((r: Row) => r.external_return_id === toDispute.id).id

          expect((await fail(api.get(`/admin/marketplace/returns?status=lost`, { headers }))).status).toBe(400)
          expect((await fail(api.get(`/admin/marketplace/returns`))).status).toBe(401)
          const one = await api.get(`/admin/marketplace/returns/${acceptId}`, { headers })
          expect(one.data.return).toEqual(expect.objectContaining({ id: acceptId, status: "requested", return: expect.objectContaining({ status: "requested" }) }))
          expect((await fail(api.get(`/admin/marketplace/returns/mpret_nope`, { headers }))).status).toBe(404)

          const accepted = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(accepted.status).toBe(200)
          expect(accepted.data.return).toEqual(expect.objectContaining({ status: "accepted", refunded_amount: Number(toAccept.refund_amount) }))
          expect(driver.return(toAccept.id).status).toBe("accepted")

          // Accepting twice: the marketplace refuses, the answer says why, nothing changes.
          const again = await fail(api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers }))
          expect(again.status).toBe(400)
          expect(again.data).toEqual(expect.objectContaining({ type: "not_allowed", message: expect.stringMatching(/^The marketplace refused to accept return \d+: .*does not allow confirm/) }))
          expect((await returnLink(toAccept.id))!.refunded_amount).toBe(Number(toAccept.refund_amount))

          // Bad bodies: 400 and no call to the marketplace.
          driver.resetCalls()
          for (const body of [{}, { reason: "" }, { reason: "1", text: "x", extra: true }]) {
            expect((await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, body, { headers }))).status).toBe(400)
          }
          expect(driver.calls("dispute_return")).toHaveLength(0)

          // Shopee needs the dispute e-mail and a numeric reason id: the provider refuses before calling (400).
          const noEmail = await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "1" }, { headers }))
          expect(noEmail.status).toBe(400)
          expect(noEmail.data.message).toMatch(/e-mail/)
          await marketplace.updateConnections({ id: connectionId, metadata: { dispute_email: "seller@example.com" } })
          const badReason = await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "damaged" }, { headers }))
          expect(badReason.status).toBe(400)
          expect(badReason.data.message).toMatch(/numeric dispute_reason_id/)
          expect(driver.calls("dispute_return")).toHaveLength(0)
          expect((await returnLink(toDispute.id))!.status).toBe("requested")
          const disputed = await api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "1", text: "The parcel was intact" }, { headers })
          expect(disputed.status).toBe(200)
          expect(disputed.data.return.status).toBe("disputed")
          expect(driver.return(toDispute.id).dispute_texts).toEqual(["The parcel was intact"])
          expect((await fail(api.post(`/admin/marketplace/returns/mpret_nope/accept`, {}, { headers }))).status).toBe(404)
        })
      })

      // TikTok Shop answers a request by a decision fitting its state, and rejects with a reject reason id.
      describeFor("tiktok-shop", driver)("TikTok Shop", () => {
        it("admin routes: accept sends the decision the return's state asks for (approve, then the received parcel); dispute sends a reject reason and the comment", async () => {
          const { headers, toAccept, toDispute, acceptId, disputeId } = await requestedTeeAndMug()

          // Approving the return: the buyer now sends the goods back; nothing is refunded yet.
          const approved = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(approved.status).toBe(200)
          expect(approved.data.return.status).toBe("accepted")
          expect(Number(approved.data.return.refunded_amount ?? 0)).toBe(0)
          expect(driver.return(toAccept.id).external_status).toBe("AWAITING_BUYER_SHIP")
          // While the parcel travels there is nothing for the seller to decide.
          const early = await fail(api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers }))
          expect(early.status).toBe(400)
          expect(early.data.message).toMatch(/AWAITING_BUYER_SHIP/)

          // The parcel arrives: accepting it refunds the buyer what was paid for the tee.
          driver.advanceReturn(toAccept.id, "processing")
          await importReturnsById(container, connectionId, [toAccept.id])
          const received = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(received.data.return).toEqual(expect.objectContaining({ status: "refunded", refunded_amount: Number(toAccept.refund_amount) }))
          expect(driver.return(toAccept.id).external_status).toBe("RETURN_OR_REFUND_REQUEST_SUCCESS")

          // A reason that is not a reject reason id is refused before calling the marketplace.
          driver.resetCalls()
          expect((await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "Not a reason!" }, { headers }))).status).toBe(400)
          expect(driver.calls("dispute_return")).toHaveLength(0)
          const disputed = await api.post(
            `/admin/marketplace/returns/${disputeId}/dispute`,
            { reason: "seller_reject_apply_package_has_not_exceeded_estimated_delivery_time", text: "The parcel was intact" },
            { headers }
          )
          expect(disputed.status).toBe(200)
          expect(disputed.data.return.status).toBe("disputed")
          expect(driver.calls("dispute_return")).toHaveLength(1)
          expect(driver.return(toDispute.id)).toEqual(expect.objectContaining({ status: "disputed", dispute_texts: ["The parcel was intact"] }))
        })
      })

      // Lazada answers a reverse order by the action its lines' status asks for; a refusal names a reason id of the
      // line's reason list and needs a comment.
      describeFor("lazada", driver)("Lazada", () => {
        it("admin routes: accept agrees the return, confirms the parcel's delivery, then refunds; dispute refuses with a listed reason and the comment", async () => {
          const { headers, toAccept, toDispute, acceptId, disputeId } = await requestedTeeAndMug()

          // agreeReturn: the buyer now sends the goods back; nothing is refunded yet.
          const agreed = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(agreed.status).toBe(200)
          expect(agreed.data.return.status).toBe("accepted")
          expect(Number(agreed.data.return.refunded_amount ?? 0)).toBe(0)
          expect(driver.return(toAccept.id).external_status).toBe("AGREE_RETURN")
          // While the buyer has not shipped there is nothing for the seller to decide.
          const early = await fail(api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers }))
          expect(early.status).toBe(400)
          expect(early.data.message).toMatch(/AGREE_RETURN/)

          // The parcel is on its way: accepting confirms its delivery (confirmDelivery), then refunds (agreeRefund).
          driver.advanceReturn(toAccept.id, "processing")
          await importReturnsById(container, connectionId, [toAccept.id])
          const delivered = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(delivered.data.return.status).toBe("processing")
          expect(driver.return(toAccept.id).external_status).toBe("RETURN_DELIVERED")
          const refunded = await api.post(`/admin/marketplace/returns/${acceptId}/accept`, {}, { headers })
          expect(refunded.data.return).toEqual(expect.objectContaining({ status: "refunded", refunded_amount: Number(toAccept.refund_amount) }))
          expect(driver.return(toAccept.id).external_status).toBe("REFUND_SUCCESS")

          // Not a reason id, or no comment: refused before any refusal reaches Lazada.
          driver.resetCalls()
          expect((await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "damaged" }, { headers }))).status).toBe(400)
          const noComment = await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "1000021" }, { headers }))
          expect(noComment.status).toBe(400)
          expect(noComment.data.message).toMatch(/comment/)
          // A reason the line's list does not offer: Lazada's list is read, the refusal is not sent.
          const unlisted = await fail(api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "999", text: "Used" }, { headers }))
          expect(unlisted.status).toBe(400)
          expect(unlisted.data.message).toMatch(/offers no reason 999/)
          expect(driver.calls("dispute_return")).toHaveLength(0)
          const disputed = await api.post(`/admin/marketplace/returns/${disputeId}/dispute`, { reason: "1000021", text: "The parcel was intact" }, { headers })
          expect(disputed.status).toBe(200)
          expect(disputed.data.return.status).toBe("disputed")
          expect(driver.calls("dispute_return")).toHaveLength(1)
          expect(driver.return(toDispute.id)).toEqual(expect.objectContaining({ status: "disputed", external_status: "REQUEST_REJECT", dispute_texts: ["The parcel was intact"] }))
        })
      })

      it("order lifecycle, returns half: a completed order partly returned and refunded ends with the right return and refund records", async () => {
        const { placed, orderId } = await shippedOrder()
        driver.advanceOrder(placed.id, driver.finalStatus)
        await importOrdersById(container, connectionId, [placed.id])
        // An order that ends delivered (no completion on the platform) stays open in Medusa.
        const finalMedusaStatus = driver.finalStatus === "completed" ? "completed" : "pending"
        expect((await orderState(orderId)).status).toBe(finalMedusaStatus)

        const created = driver.createReturn(placed.id, {
          lines: [
            { line: lineOf(placed.id, "TEE-BLK-M"), quantity: 1 },
            { line: lineOf(placed.id, "MUG-01"), quantity: 1 },
          ],
        })
        await importReturnsById(container, connectionId, [created.id])
        driver.advanceReturn(created.id, "processing")
        driver.advanceReturn(created.id, REFUNDED)
        await importReturnsById(container, connectionId, [created.id])
        // The order changed too (its escrow); re-importing it must not disturb the return.
        await importOrdersById(container, connectionId, [placed.id])

        const link = (await returnLink(created.id))!
        const ret = await medusaReturn(link.return.id)
        expect(ret.status).toBe("received")
        expect(ret.items.map((i: Row) => [Number(i.quantity), Number(i.received_quantity)]).sort()).toEqual([[1, 1], [1, 1]])
        const state = await orderState(orderId)
        expect(state.status).toBe(finalMedusaStatus)
        expect(state.items).toEqual({
          "TEE-BLK-M": { fulfilled: 3, requested: 0, received: 1, dismissed: 0 },
          "MUG-01": { fulfilled: 1, requested: 0, received: 1, dismissed: 0 },
        })
        expect(state.refunds).toEqual([Number(created.refund_amount)])
        expect(state.refunded).toBe(Number(created.refund_amount))
        expect(await stocked("TEE-BLK-M")).toBe(51)
        expect(await stocked("MUG-01")).toBe(51)
      })
    },
  })
})
