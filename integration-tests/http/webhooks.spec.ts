import { createHmac } from "crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { processInboxEvents } from "../../src/orchestration/inbox/inbox-processor"
import { adminHeaders } from "../helpers/admin"
import { connectSandboxShop, PARTNER_KEY, readOrder, seedStore, useShopeeSandbox } from "../helpers/shopee"
import { waitFor } from "../helpers/wait"

jest.setTimeout(180000)

const SKUS = ["TEE-BLK-M", "MUG-01"]
const sandbox = useShopeeSandbox()

/** Shopee's documented push signature, computed here independently of the provider's verifier. */
const pushSignature = (url: string, body: string) =>
  createHmac("sha256", PARTNER_KEY).update(`${url}|${body}`).digest("hex")

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let container: MedusaContainer
    let marketplace: MarketplaceModuleService
    let connectionId: string
    let shopId: number
    let hookUrl: string
    let headers: Record<string, string>

    const events = (filters: Record<string, unknown> = {}) => marketplace.listMarketplaceEvents(filters)
    const post = (body: string, signature?: string | null, url = "/hooks/marketplace/shopee") =>
      api
        .post(url, body, {
          headers: {
            "content-type": "application/json",
            ...(signature === null ? {} : { authorization: signature ?? pushSignature(hookUrl, body) }),
          },
          transformRequest: [(data: unknown) => data],
        })
        .catch((e: { response: { status: number; data: unknown } }) => e.response)
    const statusPush = (orderSn: string, status = "READY_TO_SHIP", time = Math.floor(Date.now() / 1000)) =>
      JSON.stringify({ data: { ordersn: orderSn, status, update_time: time }, shop_id: shopId, code: 3, timestamp: time })

    beforeEach(async () => {
      container = getContainer()
      marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      headers = (await adminHeaders(container)).headers
      sandbox().reset()
      const store = await seedStore(container, SKUS)
      ;({ connection_id: connectionId, shop_id: shopId } = await connectSandboxShop(container, sandbox(), store))
      sandbox().seedItems(shopId, [
        { item_name: "Tee", item_sku: "TEE-BLK-M", price: 19.9, stock: 50 },
        { item_name: "Mug", item_sku: "MUG-01", price: 12, stock: 50 },
      ])
      hookUrl = `${api.defaults.baseURL}/hooks/marketplace/shopee`
      sandbox().setPushConfig(null)
    })

    const newOrder = () =>
      sandbox().createOrders(shopId, { count: 1, status: "READY_TO_SHIP", items: [{ sku: "MUG-01", quantity: 2 }] } as never)[0]

    const importedOrderId = (orderSn: string) =>
      waitFor(async () => {
        const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: orderSn }, { relations: [] })
        const [event] = await events({ external_order_id: orderSn, status: "done" })
        return link && event ? link : null
      }, `order ${orderSn} to be imported`)

    it("a signed push from the sandbox is stored, acknowledged with an empty 200 and becomes one order", async () => {
      const placed = newOrder()
      sandbox().setPushConfig(hookUrl)
      sandbox().advanceOrder(placed.order_sn, "PROCESSED" as never)
      await sandbox().flushPushes()
      const push = sandbox().pushes.find((p) => p.body.includes(placed.order_sn))!
      expect(push).toEqual(expect.objectContaining({ status: 200, ok: true }))

      await importedOrderId(placed.order_sn)
      const [event] = await events({ external_order_id: placed.order_sn })
      expect(event).toEqual(expect.objectContaining({ platform: "shopee", connection_id: connectionId, type: "order.status_changed", external_type: "3", status: "done", attempts: 1 }))
      expect(event.raw_body).toBe(push.body)
    })

    it("the same delivery five times stores one event and makes one order", async () => {
      const placed = newOrder()
      const body = statusPush(placed.order_sn)
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(body)))
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
      expect(answers.every((a) => a.data === "" || a.data === undefined)).toBe(true)
      await importedOrderId(placed.order_sn)
      expect(await events({ external_order_id: placed.order_sn })).toHaveLength(1)
      expect(await marketplace.listOrderLinks({ external_order_id: placed.order_sn })).toHaveLength(1)
    })

    it("refuses bad signatures with 401 and stores nothing", async () => {
      const placed = newOrder()
      const body = statusPush(placed.order_sn)
      const wrongKey = createHmac("sha256", "not-the-key").update(`${hookUrl}|${body}`).digest("hex")
      const tampered = body.replace(placed.order_sn, "999999999")
      const reserialized = JSON.stringify(JSON.parse(body), null, 2)
      for (const [payload, signature] of [
        [body, null],
        [body, ""],
        [body, wrongKey],
        [body, pushSignature(hookUrl, body).slice(0, 32)],
        [tampered, pushSignature(hookUrl, body)],
        [reserialized, pushSignature(hookUrl, body)],
        [body, pushSignature("https://elsewhere.example/hooks/marketplace/shopee", body)],
      ] as const) {
        expect((await post(payload, signature)).status).toBe(401)
      }
      expect(await events()).toHaveLength(0)
    })

    it("answers 400 for a malformed body, 413 over 1 MB and 404 for an unknown platform, storing nothing", async () => {
      expect((await post("{not json")).status).toBe(400)
      expect((await post(JSON.stringify({ hello: "world" }))).status).toBe(400)
      const huge = JSON.stringify({ data: { pad: "x".repeat(1_100_000) }, shop_id: shopId, code: 3, timestamp: 1 })
      expect((await post(huge)).status).toBe(413)
      const unknown = await post(statusPush("1"), undefined, "/hooks/marketplace/nowhere")
      expect(unknown.status).toBe(404)
      expect(await events()).toHaveLength(0)
    })

    it("acknowledges a push for a shop that is not connected and records it as ignored", async () => {
      const time = Math.floor(Date.now() / 1000)
      const body = JSON.stringify({ data: { ordersn: "X1", status: "READY_TO_SHIP", update_time: time }, shop_id: 123456, code: 3, timestamp: time })
      expect((await post(body)).status).toBe(200)
      const unsupported = JSON.stringify({ data: { anything: 1 }, shop_id: shopId, code: 999, timestamp: time })
      expect((await post(unsupported)).status).toBe(200)
      const stored = await events()
      expect(stored.map((e) => [e.status, e.type]).sort()).toEqual([["ignored", "order.status_changed"], ["ignored", "unsupported"]])
    })

    it("retries a failing event on the schedule, then marks it dead; the admin retry brings it back", async () => {
      const placed = newOrder()
      sandbox().addFault({ path: "/api/v2/order/get_order_detail", kind: "http_500", count: 1000 } as never)
      expect((await post(statusPush(placed.order_sn))).status).toBe(200)
      const [first] = await waitFor(async () => {
        const rows = await events({ external_order_id: placed.order_sn, status: "failed" })
        return rows.length ? rows : null
      }, "the first failure")
      expect(first.attempts).toBe(1)
      const delay = new Date(first.next_attempt_at as Date).getTime() - Date.now()
      expect(delay).toBeGreaterThan(50_000)
      expect(delay).toBeLessThanOrEqual(60_000)
      expect(first.last_error).toBeTruthy()

      // Not due yet: the retry job leaves it alone.
      expect((await processInboxEvents(container)).claimed).toBe(0)
      for (let attempt = 2; attempt <= 6; attempt++) {
        await marketplace.updateMarketplaceEvents({ id: first.id, next_attempt_at: new Date(Date.now() - 1000) })
        await processInboxEvents(container)
      }
      const dead = await marketplace.retrieveMarketplaceEvent(first.id)
      expect(dead).toEqual(expect.objectContaining({ status: "dead", attempts: 6, next_attempt_at: null }))

      const list = await api.get("/admin/marketplace/events?status=dead", { headers })
      expect(list.data.events.map((e: { id: string }) => e.id)).toEqual([first.id])
      const one = await api.get(`/admin/marketplace/events/${first.id}`, { headers })
      expect(one.data.event.payload).toEqual(expect.objectContaining({ code: 3 }))

      sandbox().clearFaults()
      const retry = await api.post(`/admin/marketplace/events/${first.id}/retry`, {}, { headers })
      expect(retry.status).toBe(202)
      await importedOrderId(placed.order_sn)
      const again = await api
        .post(`/admin/marketplace/events/${first.id}/retry`, {}, { headers })
        .catch((e: { response: unknown }) => e.response)
      expect(again.status).toBe(400)
    })

    it("retries many at once and picks up events a dead worker left in processing", async () => {
      const a = newOrder()
      const b = newOrder()
      sandbox().addFault({ path: "/api/v2/order/get_order_detail", kind: "http_500", count: 1000 } as never)
      await post(statusPush(a.order_sn))
      await waitFor(async () => (await events({ status: "failed" })).length === 1, "a failure")
      sandbox().clearFaults()
      const bulk = await api.post("/admin/marketplace/events/retry", { status: ["failed"] }, { headers })
      expect(bulk.data.count).toBe(1)
      await importedOrderId(a.order_sn)

      // A worker took this event and died: after the stale delay, anyone may take it over.
      const id = await marketplace.recordInboxEvent({
        platform: "shopee", idempotency_key: "stuck-1", connection_id: connectionId, external_shop_id: String(shopId),
        type: "order.status_changed", external_type: "3", external_order_id: b.order_sn, external_return_id: null,
        status: "pending", last_error: null, payload: {}, raw_body: null,
      })
      await marketplace.updateMarketplaceEvents({ id: id!, status: "processing", attempts: 1, processing_started_at: new Date(Date.now() - 3600_000) })
      const summary = await processInboxEvents(container)
      expect(summary.claimed).toBeGreaterThanOrEqual(1)
      expect((await marketplace.retrieveMarketplaceEvent(id!)).status).toBe("done")
      const [link] = await marketplace.listOrderLinks({ external_order_id: b.order_sn })
      expect(link).toBeTruthy()
    })

    it("a push not newer than the imported order is done without fetching the order again", async () => {
      const placed = newOrder()
      expect((await post(statusPush(placed.order_sn))).status).toBe(200)
      const link = await importedOrderId(placed.order_sn)
      const stored = Math.floor(new Date(link.external_updated_at).getTime() / 1000)
      const drained = () =>
        waitFor(async () => (await events({ status: ["pending", "processing", "failed"] })).length === 0, "the inbox to drain")
      const detailCalls = () => sandbox().calls.filter((c) => c.path === "/api/v2/order/get_order_detail").length

      // Re-sent older status pushes: nothing new, nothing fetched.
      sandbox().resetCalls()
      expect((await post(statusPush(placed.order_sn, "UNPAID", stored - 30))).status).toBe(200)
      expect((await post(statusPush(placed.order_sn, "UNPAID", stored - 10))).status).toBe(200)
      await drained()
      expect(detailCalls()).toBe(0)
      expect((await events({ external_order_id: placed.order_sn, status: "done" })).length).toBe(3)

      // A change in the same second as the imported state may be the later of two: fetched. So is a later one
      // (a webhook is a hint: the order detail is the truth).
      expect((await post(statusPush(placed.order_sn, "PROCESSED", stored))).status).toBe(200)
      await drained()
      expect(detailCalls()).toBe(1)
      expect((await post(statusPush(placed.order_sn, "PROCESSED", stored + 30))).status).toBe(200)
      await drained()
      expect(detailCalls()).toBe(2)
      const [event] = await events({ external_order_id: placed.order_sn, order_updated_at: new Date((stored + 30) * 1000) })
      expect(event.status).toBe("done")
    })

    it("a completion that arrives before the ready-to-ship push ends completed", async () => {
      const placed = newOrder()
      const readyBody = statusPush(placed.order_sn, "READY_TO_SHIP", Math.floor(Date.now() / 1000) - 60)
      sandbox().setPushConfig(hookUrl)
      sandbox().advanceOrder(placed.order_sn, "SHIPPED" as never)
      sandbox().advanceOrder(placed.order_sn, "COMPLETED" as never)
      await sandbox().flushPushes()
      const link = await waitFor(async () => {
        const [l] = await marketplace.listOrderLinks({ external_order_id: placed.order_sn })
        return l?.status === "completed" ? l : null
      }, "the completed order")
      expect((await post(readyBody)).status).toBe(200)
      await waitFor(async () => (await events({ status: ["pending", "processing"] })).length === 0, "the inbox to drain")
      const [after] = await marketplace.listOrderLinks({ external_order_id: placed.order_sn })
      expect(after.status).toBe("completed")
      const query = container.resolve("query")
      const { data } = await query.graph({ entity: "order_link", fields: ["order.id"], filters: { id: link.id } })
      const { order } = await readOrder(container, (data[0] as unknown as { order: { id: string } }).order.id)
      expect(order.status).toBe("completed")
    })
  },
})
