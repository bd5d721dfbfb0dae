import http from "http"
import type { AddressInfo } from "net"
import { call, control, hmacHex, type Harness, PARTNER_KEY, shopWithToken, startHarness } from "./shopee-test-client"

describe("Shopee sandbox products", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness()
    auth = (await shopWithToken(h)).auth
  })

  afterEach(() => h.close())

  const tshirt = () => {
    const item = h.sandbox.listItems(auth.shopId).find((i) => i.item_sku === "TSHIRT")
    if (!item) throw new Error("demo catalogue missing")
    return item
  }

  it("lists items by offset and caps base info at 50 ids", async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ item_name: `Filler ${i}`, item_sku: `FILL-${i}`, price: 1, stock: 1 }))
    h.sandbox.seedItems(auth.shopId, many)
    const seen: number[] = []
    let offset = 0
    for (;;) {
      const res = await call(h, "/api/v2/product/get_item_list", { auth, query: { offset, page_size: 100, item_status: ["NORMAL", "UNLIST"] } })
      expect(res.data.error).toBe("")
      seen.push(...res.data.response.item.map((i: { item_id: number }) => i.item_id))
      expect(res.data.response.total_count).toBe(126)
      if (!res.data.response.has_next_page) break
      offset = res.data.response.next_offset
    }
    expect(new Set(seen).size).toBe(126)
    expect((await call(h, "/api/v2/product/get_item_list", { auth, query: { offset: 0, page_size: 101, item_status: "NORMAL" } })).data.error).toBe("error_param")

    const over = await call(h, "/api/v2/product/get_item_base_info", { auth, query: { item_id_list: seen.slice(0, 51).join(",") } })
    expect(over.data.error).toBe("error_param")
    const base = await call(h, "/api/v2/product/get_item_base_info", { auth, query: { item_id_list: seen.slice(0, 50).join(",") } })
    expect(base.data.response.item_list).toHaveLength(50)
    const mug = base.data.response.item_list.find((i: { item_sku: string }) => i.item_sku === "MUG-CERAMIC-WHT")
    expect(mug).toMatchObject({ has_model: false, price_info: [{ currency: "SGD", original_price: 12.9 }] })
    const shirt = base.data.response.item_list.find((i: { item_sku: string }) => i.item_sku === "TSHIRT")
    expect(shirt.has_model).toBe(true)
    expect(shirt.price_info).toBeUndefined()
  })

  it("lists models with SKUs, prices and stock", async () => {
    const res = await call(h, "/api/v2/product/get_model_list", { auth, query: { item_id: tshirt().item_id } })
    expect(res.data.response.tier_variation).toHaveLength(2)
    const model = res.data.response.model.find((m: { model_sku: string }) => m.model_sku === "TSHIRT-BLK-M")
    expect(model.price_info[0].original_price).toBe(19.9)
    expect(Number.isInteger(model.model_id)).toBe(true)
    expect(model.stock_info_v2.seller_stock[0].stock).toBe(40)
  })

  it("updates stock per model, refuses below reserved, records every value with a time", async () => {
    const item = tshirt()
    const [m1, m2] = item.models
    h.sandbox.setModelStock(item.item_id, m2.model_id, { reserved_stock: 5 })
    const res = await call(h, "/api/v2/product/update_stock", {
      auth,
      body: {
        item_id: item.item_id,
        stock_list: [
          { model_id: m1.model_id, seller_stock: [{ stock: 7 }] },
          { model_id: m2.model_id, seller_stock: [{ stock: 3 }] },
        ],
      },
    })
    expect(res.data.error).toBe("")
    expect(res.data.response.success_list).toEqual([{ model_id: m1.model_id, location_id: "", stock: 7 }])
    expect(res.data.response.failure_list).toEqual([{ model_id: m2.model_id, failed_reason: "Stock should be larger than reserved stock." }])
    expect(m1.stock).toBe(7)

    const allFail = await call(h, "/api/v2/product/update_stock", { auth, body: { item_id: item.item_id, stock_list: [{ model_id: m2.model_id, seller_stock: [{ stock: 1 }] }] } })
    expect(allFail.data.error).toBe("error_busi_update_stock_failed")
    expect(allFail.data.response.failure_list).toHaveLength(1)

    const tooMany = Array.from({ length: 51 }, (_, i) => ({ model_id: i + 1, seller_stock: [{ stock: 1 }] }))
    expect((await call(h, "/api/v2/product/update_stock", { auth, body: { item_id: item.item_id, stock_list: tooMany } })).data.error).toBe("error_param")

    const history = await control(h, "GET", `/sandbox/shops/${auth.shopId}/stock-history`)
    expect(history.data.stock_history).toEqual([
      expect.objectContaining({ sku: "TSHIRT-BLK-M", stock: 7, accepted: true, received_at: h.clock.now }),
      expect.objectContaining({ sku: "TSHIRT-BLK-L", stock: 3, accepted: false }),
      expect.objectContaining({ sku: "TSHIRT-BLK-L", stock: 1, accepted: false }),
    ])
  })

  it("updates prices (model_id 0 for an item without variations) and records them", async () => {
    const mug = h.sandbox.listItems(auth.shopId).find((i) => i.item_sku === "MUG-CERAMIC-WHT")
    if (!mug) throw new Error("no mug")
    const res = await call(h, "/api/v2/product/update_price", { auth, body: { item_id: mug.item_id, price_list: [{ model_id: 0, original_price: 13.5 }] } })
    expect(res.data.response).toEqual({ failure_list: [], success_list: [{ model_id: 0, original_price: 13.5 }] })
    expect(h.sandbox.stockHistory(auth.shopId).price_history).toEqual([expect.objectContaining({ sku: "MUG-CERAMIC-WHT", original_price: 13.5, accepted: true })])
    const other = await call(h, "/api/v2/product/update_price", { auth, body: { item_id: 12345, price_list: [{ model_id: 0, original_price: 1 }] } })
    expect(other.data.error).toBe("error_item_not_found")
  })
})

describe("Shopee sandbox push", () => {
  let h: Harness
  let receiver: http.Server
  let received: { url: string; body: string; authorization: string }[]
  let answerStatus: number
  let callbackUrl: string

  beforeEach(async () => {
    received = []
    answerStatus = 204
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ url: req.url ?? "", body: Buffer.concat(chunks).toString("utf8"), authorization: String(req.headers.authorization) })
        res.writeHead(answerStatus)
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/marketplace/shopee`
    h = await startHarness({ pushKey: "separate-push-key" })
  })

  afterEach(async () => {
    await h.close()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  it("signs each push with HMAC(push key, url|body) and sends the documented envelope", async () => {
    const { auth } = await shopWithToken(h)
    expect((await control(h, "POST", "/sandbox/push-config", { callback_url: callbackUrl })).status).toBe(200)
    const [order] = h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    h.sandbox.advanceOrder(order.order_sn, "SHIPPED")
    await h.sandbox.flushPushes()

    expect(received.length).toBeGreaterThanOrEqual(3)
    for (const push of received) {
      // Recomputed here from the docs' formula, with the push key (not the partner key).
      expect(push.authorization).toBe(hmacHex("separate-push-key", `${callbackUrl}|${push.body}`))
      expect(push.authorization).not.toBe(hmacHex(PARTNER_KEY, `${callbackUrl}|${push.body}`))
    }
    // Shopee does not promise ordering, and neither do concurrent deliveries: match by content.
    const bodies = received.map((r) => JSON.parse(r.body))
    expect(bodies.map((b) => b.code).sort()).toEqual([3, 3, 4])
    const ready = bodies.find((b) => b.code === 3 && b.data.status === "READY_TO_SHIP")
    expect(ready).toMatchObject({ shop_id: auth.shopId, timestamp: h.nowSec(), data: { ordersn: order.order_sn, completed_scenario: "" } })
    expect(typeof ready.msg_id).toBe("string")
    expect(typeof ready.data.update_time).toBe("number")
    expect(bodies.find((b) => b.code === 3 && b.data.status === "SHIPPED")).toBeDefined()
    expect(bodies.find((b) => b.code === 4).data).toEqual({ ordersn: order.order_sn, package_number: order.package_number, tracking_no: order.tracking_number })
    expect(h.sandbox.pushes.every((p) => p.ok && p.status === 204)).toBe(true)
  })

  it("puts failed pushes in the lost list, served 100 at a time and confirmed by id", async () => {
    const { auth } = await shopWithToken(h)
    h.sandbox.setPushConfig(callbackUrl)
    answerStatus = 500
    h.sandbox.createOrders(auth.shopId, { count: 101, status: "READY_TO_SHIP" })
    await h.sandbox.flushPushes()
    expect(h.sandbox.pushes.filter((p) => !p.ok && p.status === 500)).toHaveLength(101)

    const first = await call(h, "/api/v2/push/get_lost_push_message")
    expect(first.data.error).toBe("")
    expect(first.data.response.push_message_list).toHaveLength(100)
    expect(first.data.response.has_next_page).toBe(true)
    const message = first.data.response.push_message_list[0]
    expect(message).toMatchObject({ shop_id: auth.shopId, code: 3 })
    expect(JSON.parse(message.data).data.status).toBe("READY_TO_SHIP")

    const confirmed = await call(h, "/api/v2/push/confirm_consumed_lost_push_message", { body: { last_message_id: first.data.response.last_message_id } })
    expect(confirmed.data.error).toBe("")
    const rest = await call(h, "/api/v2/push/get_lost_push_message")
    expect(rest.data.response.push_message_list).toHaveLength(1)
    expect(rest.data.response.has_next_page).toBe(false)

    // A push the callback cannot even receive (network error) is lost too.
    h.sandbox.setPushConfig("http://127.0.0.1:1/unreachable")
    h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    await h.sandbox.flushPushes()
    expect(h.sandbox.pushes[h.sandbox.pushes.length - 1]).toMatchObject({ ok: false, status: null })
    expect((await call(h, "/api/v2/push/get_lost_push_message")).data.response.push_message_list).toHaveLength(2)
  })

  it("re-sends a failed push after about 300 s, 1800 s and 10800 s, as Shopee does", async () => {
    const { auth } = await shopWithToken(h)
    h.sandbox.setPushConfig(callbackUrl)
    answerStatus = 500
    const [order] = h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    await h.sandbox.flushPushes()
    expect(h.sandbox.redeliveries).toEqual([expect.objectContaining({ attempt: 2, due_at: h.clock.now + 300_000 })])
    for (const delay of [300, 1800, 10800]) {
      h.clock.now += delay * 1000
      expect(await h.sandbox.redeliverDuePushes()).toBe(1)
    }
    h.clock.now += 86_400_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(0)
    expect(received).toHaveLength(4)
    for (const push of received) {
      expect(push.body).toBe(received[0].body)
      expect(push.authorization).toBe(hmacHex("separate-push-key", `${callbackUrl}|${push.body}`))
    }
    expect(JSON.parse(received[0].body).data.ordersn).toBe(order.order_sn)
    expect(h.sandbox.pushes.map((p) => p.attempt)).toEqual([1, 2, 3, 4])
    // The lost list has the message once, whatever the number of attempts.
    expect((await call(h, "/api/v2/push/get_lost_push_message")).data.response.push_message_list).toHaveLength(1)
  })

  it("counts a 2xx answer with a body as failed, as the docs define success", async () => {
    const { auth } = await shopWithToken(h)
    receiver.removeAllListeners("request")
    receiver.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      req.resume()
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/json" })
        res.end('{"ok":true}')
      })
    })
    h.sandbox.setPushConfig(callbackUrl)
    h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    await h.sandbox.flushPushes()
    expect(h.sandbox.pushes[0]).toMatchObject({ ok: false, status: 200, error: "non-empty response body" })
  })
})
