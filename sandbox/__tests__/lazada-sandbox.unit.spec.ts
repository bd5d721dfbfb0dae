import crypto from "crypto"
import { createServer, type Server } from "http"
import type { AddressInfo } from "net"
import { DEMO_SELLERS } from "../lazada/server"
import { lazadaApiSign } from "../lazada/signing"
import { APP_KEY, APP_SECRET, startHarness, type Harness } from "./lazada-test-client"

let h: Harness

beforeEach(async () => {
  h = await startHarness()
})

afterEach(async () => {
  await h.close()
})

describe("Lazada sandbox signing and gateway", () => {
  it("signs as the docs' official example", () => {
    const query = new URLSearchParams({ access_token: "test", app_key: "123456", order_id: "1234", sign_method: "sha256", timestamp: "1517820392000" })
    expect(lazadaApiSign("helloworld", "/order/get", query, "")).toBe("4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A")
  })

  it("refuses a bad signature, a stale timestamp, a missing app key, in Lazada's envelope", async () => {
    const { access_token } = await h.authorizeDemo()
    const bad = await h.call("sg", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: access_token, secret: "wrong" })
    expect(bad.status).toBe(200)
    expect(bad.body).toMatchObject({ code: "IncompleteSignature", type: "ISV" })
    expect(typeof bad.body.request_id).toBe("string")
    expect(typeof bad.body.message).toBe("string")
    const stale = await h.call("sg", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: access_token, timestamp: h.clock.now - 7201_000 })
    expect(stale.body.code).toBe("InvalidTimestamp")
    const fine = await h.call("sg", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: access_token, timestamp: h.clock.now - 7000_000 })
    expect(fine.body.code).toBe("0")
    const noKey = await fetch(`${h.sandbox.url}/lazada/sg/rest/orders/get?timestamp=1`).then((r) => r.json())
    expect(noKey.code).toBe("MissingParameter")
  })

  it("refuses an unknown token, and a token outside its countries", async () => {
    const { access_token } = await h.authorizeDemo()
    expect((await h.call("sg", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: "nope" })).body.code).toBe("IllegalAccessToken")
    expect((await h.call("th", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: access_token })).body.code).toBe("IllegalAccessToken")
    expect((await h.call("my", "/orders/get", { update_after: "2025-06-01T00:00:00+08:00" }, { token: access_token })).body.code).toBe("0")
  })
})

describe("Lazada sandbox authorization", () => {
  it("answers country_user_info with one seller per country; codes work once", async () => {
    const code = (() => {
      h.sandbox.createAccount("a@example.com", [{ country: "sg" }, { country: "th" }])
      return h.sandbox.core.issueCode("a@example.com")
    })()
    const first = await h.call("auth", "/auth/token/create", { code }, { method: "POST" })
    expect(first.body.expires_in).toBe(7 * 86400)
    expect((first.body.country_user_info as { country: string }[]).map((c) => c.country)).toEqual(["sg", "th"])
    const again = await h.call("auth", "/auth/token/create", { code }, { method: "POST" })
    expect(again.body.code).toBe("InvalidCode")
  })

  it("rotates the refresh token without extending its life", async () => {
    const { refresh_token, body } = await h.authorizeDemo()
    h.clock.now += 86400_000
    const refreshed = await h.call("auth", "/auth/token/refresh", { refresh_token }, { method: "POST" })
    expect(refreshed.body.code).toBe("0")
    expect(refreshed.body.refresh_expires_in).toBe(Number(body.refresh_expires_in) - 86400)
    expect(Array.isArray(refreshed.body.country_user_info_list)).toBe(true)
    expect((await h.call("auth", "/auth/token/refresh", { refresh_token }, { method: "POST" })).body.code).toBe("IllegalRefreshToken")
  })
})

describe("Lazada sandbox orders", () => {
  it("stops offset at 5000, limits to 100, needs an offset-qualified date", async () => {
    const { access_token } = await h.authorizeDemo()
    const q = { update_after: "2025-06-01T00:00:00+08:00" }
    expect((await h.call("sg", "/orders/get", { ...q, offset: "5000" }, { token: access_token })).body.code).toBe("14")
    expect((await h.call("sg", "/orders/get", { ...q, offset: "4999" }, { token: access_token })).body.code).toBe("0")
    expect((await h.call("sg", "/orders/get", { ...q, limit: "101" }, { token: access_token })).body.code).toBe("19")
    expect((await h.call("sg", "/orders/get", { update_after: "2025-06-01 00:00:00" }, { token: access_token })).body.code).toBe("17")
    expect((await h.call("sg", "/orders/get", {}, { token: access_token })).body.code).toBe("MissingParameter")
  })

  it("reads at most 50 orders' items per call", async () => {
    const { access_token } = await h.authorizeDemo()
    const ids = Array.from({ length: 51 }, () => h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "A", price: "1.00", quantity: 1 }] }).order_id)
    expect((await h.call("sg", "/orders/items/get", { order_ids: `[${ids.join(",")}]` }, { token: access_token })).body.code).toBe("38")
    const ok = await h.call("sg", "/orders/items/get", { order_ids: `[${ids.slice(0, 50).join(",")}]` }, { token: access_token })
    expect((ok.body.data as unknown[]).length).toBe(50)
    expect((await h.call("sg", "/orders/items/get", { order_ids: ids.slice(0, 2).join(",") }, { token: access_token })).body.code).toBe("56")
  })

  it("keeps one status per item: two units are two items; a partial cancellation leaves the rest", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 2 }, { sku: "CAP", price: "5.00", quantity: 1 }], status: "pending" })
    expect(order.items).toHaveLength(3)
    const before = order.updated_at
    h.sandbox.core.moveItem(order.items[2], "canceled")
    h.sandbox.core.moveItem(order.items[0])
    expect(order.updated_at).toBeGreaterThan(before + 1)
    expect(() => h.sandbox.core.moveItem(order.items[2])).toThrow(/moves no more/)
    h.sandbox.core.moveItem(order.items[0], "ready_to_ship")
    h.sandbox.core.moveItem(order.items[0], "shipped")
    expect(() => h.sandbox.core.moveItem(order.items[0], "canceled")).toThrow(/too late to cancel/)
    const got = await h.call("sg", "/order/get", { order_id: order.order_id }, { token: access_token })
    expect(new Set((got.body.data as { statuses: string[] }).statuses)).toEqual(new Set(["shipped", "pending", "canceled"]))
    expect((got.body.data as { price: string }).price).toBe("24.80")
    const items = await h.call("sg", "/orders/items/get", { order_ids: `[${order.order_id}]` }, { token: access_token })
    const rows = (items.body.data as { order_items: { status: string; package_id: string; tracking_code: string }[] }[])[0].order_items
    expect(rows.map((r) => r.status)).toEqual(["shipped", "pending", "canceled"])
    expect(rows[0].package_id).toMatch(/^FP/)
    expect(rows[0].tracking_code).toMatch(/^LZ/)
  })
})

describe("Lazada sandbox products", () => {
  it("takes at most 50 SKUs per price_quantity payload and refuses a payload that is not the XML request", async () => {
    const { access_token } = await h.authorizeDemo()
    const product = h.sandbox.core.createProduct(DEMO_SELLERS.sg, { name: "P", skus: [{ sku: "A", price: 1, stock: 1 }] })
    const sku = (n: number) => `<Sku><ItemId>${product.item_id}</ItemId><SkuId>${product.skus[0].SkuId}</SkuId><Quantity>${n}</Quantity></Sku>`
    const payload = (n: number) => `<Request><Product><Skus>${Array.from({ length: n }, (_, i) => sku(i)).join("")}</Skus></Product></Request>`
    expect((await h.call("sg", "/product/price_quantity/update", { payload: payload(51) }, { token: access_token, method: "POST" })).body.code).toBe("4171")
    expect((await h.call("sg", "/product/price_quantity/update", { payload: payload(50) }, { token: access_token, method: "POST" })).body.code).toBe("0")
    expect(product.skus[0].quantity).toBe(49)
    // The call is recorded with its arrival time and the 50 quantities it applied.
    const [recorded] = h.sandbox.core.state.priceQuantityCalls
    expect(recorded).toEqual(expect.objectContaining({ seller_id: DEMO_SELLERS.sg, received_at: expect.any(Number) }))
    expect(recorded.skus.map((s) => s.quantity)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect((await h.call("sg", "/product/price_quantity/update", { payload: "{}" }, { token: access_token, method: "POST" })).body.code).toBe("5")
    const products = await h.call("sg", "/products/get", { filter: "all", limit: "51" }, { token: access_token })
    expect(products.body.code).toBe("19")
  })
})

describe("Lazada sandbox pushes", () => {
  let server: Server
  let answer = 500
  const received: { body: string; authorization: string }[] = []

  beforeEach(async () => {
    received.length = 0
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), authorization: String(req.headers.authorization) })
        res.writeHead(answer).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    h.sandbox.setPushConfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`)
  })

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it("signs each trade order message per order line, and re-sends a failed one every 30 minutes up to 12 times", async () => {
    h.sandbox.createAccount("p@example.com", [{ country: "sg", seller_id: "555" }])
    answer = 500
    const order = h.sandbox.createOrder({ seller_id: "555", items: [{ sku: "A", price: "1.00", quantity: 1 }], status: "pending" })
    await h.sandbox.flushPushes()
    expect(received).toHaveLength(1)
    const push = JSON.parse(received[0].body)
    expect(push).toMatchObject({ seller_id: "555", message_type: 0, site: "lazada_sg", data: { trade_order_id: order.order_id, trade_order_line_id: order.items[0].order_item_id, order_status: "pending" } })
    expect(push.timestamp).toBe(h.clock.now)
    const expected = crypto.createHmac("sha256", APP_SECRET).update(APP_KEY + received[0].body).digest("hex")
    expect(received[0].authorization).toBe(expected)
    for (let attempt = 2; attempt <= 13; attempt++) {
      h.clock.now += 1800_000
      expect(await h.sandbox.redeliverDuePushes()).toBe(1)
      expect(received[attempt - 1].body).toBe(received[0].body)
    }
    h.clock.now += 1800_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(0)
    expect(received).toHaveLength(13)
  })

  it("sends reverse-order and token-expiry messages", async () => {
    answer = 200
    await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "A", price: "1.00", quantity: 1 }], status: "delivered" })
    await h.sandbox.flushPushes()
    received.length = 0
    h.sandbox.core.pushReverse(order.items[0], "RTM_INIT")
    h.sandbox.core.pushTokenExpiry(DEMO_SELLERS.sg, 1)
    await h.sandbox.flushPushes()
    expect(received.map((r) => JSON.parse(r.body).message_type)).toEqual([10, 8])
  })
})

describe("Lazada sandbox buyer cancellation request", () => {
  it("pushes each unit's line as a trade-order message and its reverse line as a CANCEL_INIT reverse-order message, CANCEL_SUCCESS once cancelled", async () => {
    const { access_token } = await h.authorizeDemo()
    h.sandbox.setPushConfig("http://127.0.0.1:9/hook")
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 2 }], status: "pending" })
    await h.sandbox.flushPushes()
    h.sandbox.core.state.pushes.length = 0
    h.sandbox.core.requestCancel(order)
    await h.sandbox.flushPushes()
    const sent = () => h.sandbox.core.state.pushes.map((p) => JSON.parse(p.body))
    const [a, b] = order.items
    expect(sent().map((m) => [m.message_type, m.data.trade_order_line_id, m.data.order_status ?? m.data.reverse_status])).toEqual([
      [0, a.order_item_id, "pending"],
      [10, a.order_item_id, "CANCEL_INIT"],
      [0, b.order_item_id, "pending"],
      [10, b.order_item_id, "CANCEL_INIT"],
    ])
    const reverse = sent().filter((m) => m.message_type === 10)
    // One reverse order for the request, one reverse line per unit; the message page's fields.
    expect(reverse[0].data).toEqual(expect.objectContaining({ trade_order_id: order.order_id, seller_id: DEMO_SELLERS.sg, buyer_id: a.buyer_id, reverse_order_id: a.reverse_order_id, reverse_order_line_id: a.reverse_order_line_id, extraParams: {} }))
    expect(reverse[1].data.reverse_order_id).toBe(reverse[0].data.reverse_order_id)
    expect(reverse[1].data.reverse_order_line_id).not.toBe(reverse[0].data.reverse_order_line_id)
    const items = await h.call("sg", "/orders/items/get", { order_ids: `[${order.order_id}]` }, { token: access_token })
    const rows = (items.body.data as { order_items: { need_cancel_confirm: boolean; reverse_order_id: number }[] }[])[0].order_items
    expect(rows.map((r) => [r.need_cancel_confirm, String(r.reverse_order_id)])).toEqual([[true, a.reverse_order_id], [true, a.reverse_order_id]])

    h.sandbox.core.state.pushes.length = 0
    h.sandbox.core.moveItem(a, "canceled", "Change of mind")
    h.sandbox.core.moveItem(b, "packed")
    await h.sandbox.flushPushes()
    expect(sent().map((m) => [m.message_type, m.data.trade_order_line_id, m.data.order_status ?? m.data.reverse_status])).toEqual([
      [0, a.order_item_id, "canceled"],
      [10, a.order_item_id, "CANCEL_SUCCESS"],
      [0, b.order_item_id, "packed"],
    ])
  })
})

describe("Lazada sandbox fulfilment: pack, ready to ship, airway bill", () => {
  type Row = { order_item_id: number; item_err_code: string; msg: string; package_id?: string; tracking_number?: string; shipment_provider?: string }
  const packReq = (orderId: string, itemIds: string[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ pack_order_list: [{ order_id: Number(orderId), order_item_list: itemIds.map(Number) }], delivery_type: "dropship", shipping_allocate_type: "TFS", ...extra })

  it("packs pending units into one package with a tracking number, then ready to ship, each change pushed", async () => {
    const { access_token } = await h.authorizeDemo()
    // Recorded even where nobody answers.
    h.sandbox.setPushConfig("http://127.0.0.1:9/hook")
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 2 }, { sku: "CAP", price: "5.00", quantity: 1 }], status: "pending" })
    const [a, b, c] = order.items.map((i) => i.order_item_id)
    h.sandbox.core.moveItem(order.items[2], "canceled")

    const providers = await h.call("sg", "/order/shipment/providers/get", { getShipmentProvidersReq: JSON.stringify({ orders: [{ order_id: order.order_id, order_item_ids: [a, b] }] }) }, { token: access_token })
    expect(providers.body.result).toEqual({ success: true, data: expect.objectContaining({ shipping_allocate_type: "TFS", shipment_providers: [expect.objectContaining({ name: "LEX SG" })] }) })

    const packed = await h.call("sg", "/order/fulfill/pack", { packReq: packReq(order.order_id, [a, b, c]) }, { token: access_token, method: "POST" })
    expect(packed.body.code).toBe("0")
    const rows = (packed.body.result as { data: { pack_order_list: { order_id: number; order_item_list: Row[] }[] } }).data.pack_order_list[0].order_item_list
    expect(rows.map((r) => [String(r.order_item_id), r.item_err_code])).toEqual([[a, "0"], [b, "0"], [c, "700026"]])
    expect(rows[0].package_id).toMatch(/^FP/)
    expect(rows[1].package_id).toBe(rows[0].package_id)
    expect(rows[0].tracking_number).toMatch(/^LZ/)
    expect(rows[1].tracking_number).toBe(rows[0].tracking_number)
    expect(rows[0].shipment_provider).toBe("LEX SG")
    expect(order.items.map((i) => i.status)).toEqual(["packed", "packed", "canceled"])
    // Packing twice: the units are no longer pending.
    const again = await h.call("sg", "/order/fulfill/pack", { packReq: packReq(order.order_id, [a]) }, { token: access_token, method: "POST" })
    expect((again.body.result as { data: { pack_order_list: { order_item_list: Row[] }[] } }).data.pack_order_list[0].order_item_list[0].item_err_code).toBe("700026")

    // No airway bill before ready to ship.
    const getDocumentReq = JSON.stringify({ doc_type: "PDF", packages: [{ package_id: rows[0].package_id }] })
    expect((await h.call("sg", "/order/package/document/get", { getDocumentReq }, { token: access_token })).body.code).toBe("700040")

    const rts = await h.call("sg", "/order/package/rts", { readyToShipReq: JSON.stringify({ packages: [{ package_id: rows[0].package_id }, { package_id: "FP999" }] }) }, { token: access_token, method: "POST" })
    expect((rts.body.result as { data: { packages: { package_id: string; item_err_code: string }[] } }).data.packages.map((p) => p.item_err_code)).toEqual(["0", "600001"])
    expect(order.items.map((i) => i.status)).toEqual(["ready_to_ship", "ready_to_ship", "canceled"])

    const doc = await h.call("sg", "/order/package/document/get", { getDocumentReq }, { token: access_token })
    const data = (doc.body.result as { data: { doc_type: string; file: string } }).data
    expect(data.doc_type).toBe("PDF")
    expect(Buffer.from(data.file, "base64").subarray(0, 4).toString()).toBe("%PDF")
    expect(Buffer.from(data.file, "base64").toString("latin1")).toContain(rows[0].tracking_number)

    // Every unit's change was a trade-order message: pending on creation, packed, ready_to_ship (and the cancellation).
    await h.sandbox.flushPushes()
    const statuses = h.sandbox.core.state.pushes.map((p) => JSON.parse(p.body)).filter((m) => m.data.trade_order_line_id === a).map((m) => m.data.order_status)
    expect(statuses).toEqual(["pending", "packed", "ready_to_ship"])
  })

  it("checks the requests: JSON parameters, delivery type, allocation, batch sizes, other sellers' orders", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "pending" })
    const mine = order.items[0].order_item_id
    const code = async (params: Record<string, string>, country = "sg") =>
      (await h.call(country, "/order/fulfill/pack", params, { token: access_token, method: "POST" })).body.code
    expect(await code({})).toBe("MissingParameter")
    expect(await code({ packReq: "{not json" })).toBe("700004")
    expect(await code({ packReq: packReq(order.order_id, [mine], { delivery_type: "pickup_in_store" }) })).toBe("700013")
    expect(await code({ packReq: packReq(order.order_id, [mine], { shipping_allocate_type: "NTFS" }) })).toBe("700004")
    expect(await code({ packReq: packReq(order.order_id, [mine], { shipment_provider_code: "FM49" }) })).toBe("700004")
    const many = JSON.stringify({ pack_order_list: Array.from({ length: 21 }, () => ({ order_id: Number(order.order_id), order_item_list: [Number(mine)] })), delivery_type: "dropship", shipping_allocate_type: "TFS" })
    expect(await code({ packReq: many })).toBe("700022")
    // The MY seller of the same account cannot pack the SG order.
    expect(await code({ packReq: packReq(order.order_id, [mine]) }, "my")).toBe("700021")
    const rts = JSON.stringify({ packages: Array.from({ length: 21 }, (_, i) => ({ package_id: `FP${i}` })) })
    expect((await h.call("sg", "/order/package/rts", { readyToShipReq: rts }, { token: access_token, method: "POST" })).body.code).toBe("700022")
    expect((await h.call("sg", "/order/package/document/get", { getDocumentReq: JSON.stringify({ doc_type: "ZPL", packages: [{ package_id: "FP1" }] }) }, { token: access_token })).body.code).toBe("32")
    expect(order.items[0].status).toBe("pending")
  })

  it("a slow 3PL leaves a packed package without a tracking number until released, or until it ships", async () => {
    const { access_token } = await h.authorizeDemo()
    h.sandbox.core.state.withholdTracking = 1
    const first = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "pending" })
    const second = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "pending" })
    const packIt = async (orderId: string, itemId: string) =>
      ((await h.call("sg", "/order/fulfill/pack", { packReq: packReq(orderId, [itemId]) }, { token: access_token, method: "POST" })).body.result as {
        data: { pack_order_list: { order_item_list: Row[] }[] }
      }).data.pack_order_list[0].order_item_list[0]
    const withheld = await packIt(first.order_id, first.items[0].order_item_id)
    expect(withheld).toEqual(expect.objectContaining({ item_err_code: "0", package_id: expect.stringMatching(/^FP/) }))
    expect(withheld.tracking_number).toBeUndefined()
    expect((await packIt(second.order_id, second.items[0].order_item_id)).tracking_number).toMatch(/^LZ/)
    h.sandbox.core.moveItem(first.items[0], "ready_to_ship")
    expect(first.items[0].tracking_code).toBe("")
    h.sandbox.core.releaseTracking(first)
    expect(first.items[0].tracking_code).toMatch(/^LZ/)
  })
})

describe("Lazada sandbox seller cancellation (OrderCancelValidate, InitReverseOrderCancel)", () => {
  const list = (ids: string[]) => JSON.stringify(ids)

  it("offers the reasons, cancels the units with one of them, pushes each line and zeroes the stock for out of stock", async () => {
    const { access_token } = await h.authorizeDemo()
    h.sandbox.setPushConfig("http://127.0.0.1:9/hook")
    const product = h.sandbox.core.createProduct(DEMO_SELLERS.sg, { name: "Mug", skus: [{ sku: "MUG", price: 9.9, stock: 30 }] })
    const sku = product.skus[0]
    const order = h.sandbox.createOrder({
      seller_id: DEMO_SELLERS.sg,
      items: [{ sku: "MUG", sku_id: String(sku.SkuId), product_id: String(product.item_id), price: "9.90", quantity: 2 }, { sku: "CAP", price: "5.00", quantity: 1 }],
      status: "pending",
    })
    const ids = order.items.map((i) => i.order_item_id)

    const validated = await h.call("sg", "/order/reverse/cancel/validate", { order_id: order.order_id, order_item_id_list: list(ids) }, { token: access_token })
    expect(validated.body.code).toBe("0")
    const data = validated.body.data as { tip_type: string; reason_options: { reason_id: string; reason_name: string }[] }
    expect(data.tip_type).toBe("warning")
    expect(data.reason_options).toEqual(expect.arrayContaining([{ reason_name: "Out of Stock", reason_id: "10000021" }, { reason_name: "Sourcing Delay", reason_id: "10000019" }]))
    // Validating changes nothing.
    expect(order.items.map((i) => i.status)).toEqual(["pending", "pending", "pending"])

    await h.sandbox.flushPushes()
    h.sandbox.core.state.pushes.length = 0
    const created = await h.call("sg", "/order/reverse/cancel/create", { order_id: order.order_id, order_item_id_list: list(ids.slice(0, 2)), reason_id: "10000021" }, { token: access_token })
    expect(created.body.code).toBe("0")
    expect((created.body.data as { tip_type: string }).tip_type).toBe("success")
    expect(order.items.map((i) => i.status)).toEqual(["canceled", "canceled", "pending"])
    expect(order.items[0].reason).toBe("Out of Stock")
    expect(sku.quantity).toBe(0)
    await h.sandbox.flushPushes()
    const pushed = h.sandbox.core.state.pushes.map((p) => JSON.parse(p.body))
    expect(pushed.map((m) => [m.message_type, m.data.trade_order_line_id, m.data.order_status])).toEqual([
      [0, ids[0], "canceled"],
      [0, ids[1], "canceled"],
    ])

    // The rest, for a reason that leaves the stock alone.
    const rest = await h.call("sg", "/order/reverse/cancel/create", { order_id: order.order_id, order_item_id_list: list([ids[2]]), reason_id: "10000019" }, { token: access_token })
    expect(rest.body.code).toBe("0")
    expect(order.items[2]).toMatchObject({ status: "canceled", reason: "Sourcing Delay" })
  })

  it("a packed unit takes its package with it; past ready to ship the tip is an error and the call is refused", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 3 }], status: "pending" })
    const ids = order.items.map((i) => i.order_item_id)
    h.sandbox.core.pack(order, [ids[0], ids[1]])
    const created = await h.call("sg", "/order/reverse/cancel/create", { order_id: order.order_id, order_item_id_list: list([ids[0]]), reason_id: "10000019" }, { token: access_token })
    expect(created.body.code).toBe("0")
    expect(order.items.map((i) => i.status)).toEqual(["canceled", "canceled", "pending"])

    const shipped = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "shipped" })
    const one = list([shipped.items[0].order_item_id])
    const validated = await h.call("sg", "/order/reverse/cancel/validate", { order_id: shipped.order_id, order_item_id_list: one }, { token: access_token })
    expect(validated.body.code).toBe("0")
    expect(validated.body.data).toMatchObject({ tip_type: "error", reason_options: [], tip_content: expect.stringContaining("is shipped") })
    const refused = await h.call("sg", "/order/reverse/cancel/create", { order_id: shipped.order_id, order_item_id_list: one, reason_id: "10000019" }, { token: access_token })
    expect(refused.body.code).toBe("123")
    expect(shipped.items[0].status).toBe("shipped")
  })

  it("checks the parameters: order id, item list, reason, another seller's order, the signature", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "pending" })
    const one = list([order.items[0].order_item_id])
    const code = async (params: Record<string, string>, country = "sg", path = "/order/reverse/cancel/create") =>
      (await h.call(country, path, params, { token: access_token })).body.code
    expect(await code({ order_item_id_list: one, reason_id: "10000019" })).toBe("115")
    expect(await code({ order_id: "1", order_item_id_list: one, reason_id: "10000019" })).toBe("122")
    expect(await code({ order_id: order.order_id, order_item_id_list: one, reason_id: "10000019" }, "my")).toBe("122")
    expect(await code({ order_id: order.order_id, order_item_id_list: "[]", reason_id: "10000019" })).toBe("102")
    expect(await code({ order_id: order.order_id, order_item_id_list: "not json", reason_id: "10000019" })).toBe("102")
    expect(await code({ order_id: order.order_id, order_item_id_list: list(["42"]), reason_id: "10000019" })).toBe("123")
    expect(await code({ order_id: order.order_id, order_item_id_list: list(["42"]) }, "sg", "/order/reverse/cancel/validate")).toBe("123")
    expect(await code({ order_id: order.order_id, order_item_id_list: one })).toBe("104")
    expect(await code({ order_id: order.order_id, order_item_id_list: one, reason_id: "999" })).toBe("104")
    const badlySigned = await h.call("sg", "/order/reverse/cancel/create", { order_id: order.order_id, order_item_id_list: one, reason_id: "10000019" }, { token: access_token, secret: "wrong" })
    expect(badlySigned.body.code).toBe("IncompleteSignature")
    expect(order.items[0].status).toBe("pending")
  })
})

describe("Lazada sandbox reverse orders (returns and refunds)", () => {
  const list = (ids: string[]) => JSON.stringify(ids)
  type Line = { reverse_order_line_id: number; trade_order_line_id: number; reverse_status: string; refund_amount: number; return_order_line_gmt_modified: number }

  const delivered = (quantity = 2) =>
    h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity }], status: "delivered" })

  it("lists by line update time and pages; the detail names the product; refunds in cents; each line change pushed as message 10", async () => {
    const { access_token } = await h.authorizeDemo()
    h.sandbox.setPushConfig("http://127.0.0.1:9/hook")
    const order = delivered(2)
    await h.sandbox.flushPushes()
    h.sandbox.core.state.pushes.length = 0
    const before = h.clock.now
    const ro = h.sandbox.core.reverse.create(order, { vn: false })
    expect(ro.lines).toHaveLength(2)

    const listed = await h.call("sg", "/reverse/getreverseordersforseller", { page_no: "1", page_size: "10", ReverseOrderLineModifiedTimeRangeStart: String(before) }, { token: access_token })
    expect(listed.body.code).toBe("0")
    const result = listed.body.result as { total: number; items: { reverse_order_id: number; request_type: string; is_rtm: boolean; reverse_order_lines: (Line & { product: { product_sku: string } })[] }[] }
    expect(result.total).toBe(1)
    expect(result.items[0]).toMatchObject({ reverse_order_id: Number(ro.reverse_order_id), request_type: "RETURN", is_rtm: true })
    expect(result.items[0].reverse_order_lines.map((l) => [String(l.trade_order_line_id), l.reverse_status, l.refund_amount])).toEqual(
      order.items.map((i) => [i.order_item_id, "REQUEST_INITIATE", 990])
    )
    const later = await h.call("sg", "/reverse/getreverseordersforseller", { page_no: "1", page_size: "10", ReverseOrderLineModifiedTimeRangeStart: String(before + 1) }, { token: access_token })
    expect((later.body.result as { total: number }).total).toBe(0)
    expect((await h.call("sg", "/reverse/getreverseordersforseller", { page_size: "10" }, { token: access_token })).body.code).toBe("MissingParameter")
    expect((await h.call("sg", "/reverse/getreverseordersforseller", { page_no: "1", page_size: "101" }, { token: access_token })).body.code).toBe("InvalidParameter")

    const detail = await h.call("sg", "/order/reverse/return/detail/list", { reverse_order_id: ro.reverse_order_id }, { token: access_token })
    const data = detail.body.data as { reverseOrderLineDTOList: { productDTO: { sku: string } }[] }
    expect(data.reverseOrderLineDTOList[0].productDTO.sku).toBe(order.items[0].sku_id)
    expect((await h.call("sg", "/order/reverse/return/detail/list", {}, { token: access_token })).body.code).toBe("105")
    expect((await h.call("sg", "/order/reverse/return/detail/list", { reverse_order_id: "42" }, { token: access_token })).body.code).toBe("112")

    await h.sandbox.flushPushes()
    const pushed = h.sandbox.core.state.pushes.map((p) => JSON.parse(p.body))
    expect(pushed.map((m) => [m.message_type, m.data.reverse_order_id, m.data.reverse_status, m.data.trade_order_line_id])).toEqual(
      order.items.map((i) => [10, ro.reverse_order_id, "RTM_INIT", i.order_item_id])
    )
  })

  it("walks a return: agreeReturn, the buyer ships, confirmDelivery, agreeRefund; actions out of their status are E0114", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = delivered(1)
    const ro = h.sandbox.core.reverse.create(order, { vn: false })
    const lines = list([ro.lines[0].reverse_order_line_id])
    const act = async (action: string, extra: Record<string, string> = {}) =>
      (await h.call("sg", "/order/reverse/return/update", { action, reverse_order_id: ro.reverse_order_id, reverse_order_item_ids: lines, ...extra }, { token: access_token })).body
    expect((await act("confirmDelivery")).code).toBe("114")
    const agreed = await act("agreeReturn")
    expect(agreed.code).toBe("0")
    expect(ro.lines[0].reverse_status).toBe("AGREE_RETURN")
    h.sandbox.core.reverse.move(ro, { reverse_status: "BUYER_RETURN_ITEM" })
    expect(ro.lines[0].tracking_number).toBeTruthy()
    expect((await act("confirmDelivery")).code).toBe("0")
    const refunded = await act("agreeRefund")
    expect(refunded).toMatchObject({ code: "0", data: { total_refund: "990" } })
    expect(ro.lines[0].reverse_status).toBe("REFUND_SUCCESS")
    expect((await act("agreeRefund")).code).toBe("114")
    expect((await act("dance")).code).toBe("107")
  })

  it("refusals need a listed reason, a comment, one line (and images to refuse a refund); the bad calls change nothing", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = delivered(2)
    const ro = h.sandbox.core.reverse.create(order, { vn: false })
    const [a, b] = ro.lines.map((l) => l.reverse_order_line_id)
    const act = async (params: Record<string, string>) =>
      (await h.call("sg", "/order/reverse/return/update", { action: "refuseReturn", reverse_order_id: ro.reverse_order_id, ...params }, { token: access_token })).body.code
    const reasons = await h.call("sg", "/order/reverse/reason/list", { reverse_order_line_id: a }, { token: access_token })
    const reasonId = String((reasons.body.data as { reason_id: number }[])[0].reason_id)
    expect((await h.call("sg", "/order/reverse/reason/list", {}, { token: access_token })).body.code).toBe("103")
    expect(await act({ reverse_order_item_ids: list([a]), comment: "used" })).toBe("108")
    expect(await act({ reverse_order_item_ids: list([a]), reason_id: reasonId })).toBe("109")
    expect(await act({ reverse_order_item_ids: list([a, b]), reason_id: reasonId, comment: "used" })).toBe("111")
    expect(await act({ reverse_order_item_ids: "[]", reason_id: reasonId, comment: "used" })).toBe("100")
    expect(await act({ reverse_order_item_ids: list(["42"]), reason_id: reasonId, comment: "used" })).toBe("126")
    expect(await act({ reverse_order_id: "1", reverse_order_item_ids: list([a]), reason_id: reasonId, comment: "used" })).toBe("112")
    expect(ro.lines.map((l) => l.reverse_status)).toEqual(["REQUEST_INITIATE", "REQUEST_INITIATE"])
    expect(await act({ reverse_order_item_ids: list([a]), reason_id: reasonId, comment: "used" })).toBe("0")
    expect(ro.lines.map((l) => l.reverse_status)).toEqual(["REQUEST_REJECT", "REQUEST_INITIATE"])
    expect(ro.lines[0].refusals).toEqual([{ reason_id: reasonId, comment: "used" }])
    const badlySigned = await h.call("sg", "/order/reverse/return/update", { action: "agreeReturn", reverse_order_id: ro.reverse_order_id, reverse_order_item_ids: list([b]) }, { token: access_token, secret: "wrong" })
    expect(badlySigned.body.code).toBe("IncompleteSignature")
    expect(ro.lines[1].reverse_status).toBe("REQUEST_INITIATE")
  })

  it("a refund only is decided by ReverseOrderOnlyRefundDecide, one line a call; Vietnam's amounts are whole dong; only delivered units", async () => {
    const { access_token } = await h.authorizeDemo()
    const order = delivered(1)
    const ro = h.sandbox.core.reverse.create(order, { request_type: "ONLY_REFUND", vn: false })
    const line = ro.lines[0].reverse_order_line_id
    expect((await h.call("sg", "/order/reverse/return/update", { action: "agreeReturn", reverse_order_id: ro.reverse_order_id, reverse_order_item_ids: list([line]) }, { token: access_token })).body.code).toBe("114")
    const decide = async (params: Record<string, string>) =>
      (await h.call("sg", "/order/reverse/onlyrefund/seller/decide", { reverse_order_id: ro.reverse_order_id, reverse_order_item_ids: list([line]), ...params }, { token: access_token })).body.code
    expect(await decide({ action: "startDispute" })).toBe("109")
    expect(await decide({ action: "agreeRefund" })).toBe("0")
    expect(ro.lines[0].reverse_status).toBe("REFUND_SUCCESS")
    expect(await decide({ action: "agreeRefund" })).toBe("114")

    h.sandbox.createAccount("vn@example.com", [{ country: "vn", seller_id: "777" }])
    const vn = h.sandbox.createOrder({ seller_id: "777", items: [{ sku: "RICE", price: "150000", quantity: 1 }], status: "delivered" })
    expect(h.sandbox.core.reverse.create(vn, { vn: true }).lines[0].refund_amount).toBe(150000)
    const pending = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "9.90", quantity: 1 }], status: "shipped" })
    expect(() => h.sandbox.core.reverse.create(pending, { vn: false })).toThrow(/no delivered unit/)
  })
})

describe("Lazada sandbox finance (QueryTransactionDetails)", () => {
  type Row = Record<string, string>
  const range = { start_time: "2025-05-01", end_time: "2025-06-02" }

  it("has no rows before delivery; then the rows of each delivered unit, an adjustment after settlement, paging and the documented errors", async () => {
    const { access_token } = await h.authorizeDemo()
    const paid = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "10.00", quantity: 2 }], status: "pending", shipping_fee: "2.50", voucher_seller: "1.00" })
    const get = async (params: Record<string, string>) => (await h.call("sg", "/finance/transaction/details/get", { ...range, ...params }, { token: access_token })).body
    expect((await get({ trade_order_id: paid.order_id })).data).toEqual([])

    for (const item of paid.items) h.sandbox.core.walkItem(item, "delivered")
    const answer = await get({ trade_order_id: paid.order_id })
    expect(answer.code).toBe("0")
    const rows = answer.data as unknown as Row[]
    const byName = (name: string) => rows.filter((r) => r.fee_name === name).map((r) => r.amount)
    expect(byName("Item Price Credit")).toEqual(["10.00", "10.00"])
    expect(byName("Commission")).toEqual(["-0.40", "-0.40"])
    expect(byName("Payment Fee")).toEqual(["-0.20", "-0.20"])
    expect(byName("Free Shipping Max Fee")).toEqual(["-0.30", "-0.30"])
    expect(byName("Shipping Fee Paid by Seller")).toEqual(["-0.50", "-0.50"])
    expect(byName("Shipping Fee (Paid By Customer)")).toEqual(["2.50"])
    expect(byName("Promotional Charges Vouchers")).toEqual(["-1.00"])
    expect(rows[0]).toMatchObject({ order_no: paid.order_id, orderItem_no: paid.items[0].order_item_id, transaction_date: "1 Jun 2025", paid_status: "Not paid", statement: "26 May 2025 - 1 Jun 2025" })
    expect(new Set(rows.map((r) => r.transaction_number)).size).toBe(rows.length)

    // An adjustment after settlement, through the control API.
    const adjusted = await fetch(`${h.sandbox.url}/sandbox/orders/${paid.order_id}/adjustments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amount: "-1.25", comment: "Logistic fee correction" }),
    })
    expect(adjusted.status).toBe(201)
    const settlement = (await fetch(`${h.sandbox.url}/sandbox/orders/${paid.order_id}/settlement`).then((r) => r.json())) as { transactions: Row[]; adjustments: unknown[] }
    expect(settlement.adjustments).toHaveLength(1)
    expect(settlement.transactions.at(-1)).toMatchObject({ fee_name: "Shipping Fee Adjustment", amount: "-1.25", comment: "Logistic fee correction" })

    // Paging, filters.
    const all = (await get({ trade_order_id: paid.order_id })).data as unknown as Row[]
    expect(all).toHaveLength(rows.length + 1)
    const pages = [...((await get({ trade_order_id: paid.order_id, limit: "5" })).data as unknown as Row[]), ...((await get({ trade_order_id: paid.order_id, limit: "5", offset: "5" })).data as unknown as Row[]), ...((await get({ trade_order_id: paid.order_id, limit: "5", offset: "10" })).data as unknown as Row[])]
    expect(pages).toEqual(all)
    expect(((await get({ trade_order_id: paid.order_id, trans_type: "13" })).data as unknown as Row[]).map((r) => r.fee_name)).toEqual(["Payment Fee", "Payment Fee"])
    expect(((await get({ trade_order_line_id: paid.items[1].order_item_id })).data as unknown as Row[]).every((r) => r.orderItem_no === paid.items[1].order_item_id)).toBe(true)
    expect((await get({ trade_order_id: paid.order_id, start_time: "2025-06-02" })).data).toEqual([])

    // Errors.
    expect((await get({ start_time: "2024-01-01" })).code).toBe("1000012")
    expect((await get({ trans_type: "999" })).code).toBe("1000014")
    expect((await get({ limit: "501" })).code).toBe("InvalidParameter")
    expect((await get({ start_time: "1 Jun 2025" })).code).toBe("InvalidParameter")
    expect((await h.call("sg", "/finance/transaction/details/get", { end_time: "2025-06-02" }, { token: access_token })).body.code).toBe("MissingParameter")
    expect((await h.call("sg", "/finance/transaction/details/get", range, { token: access_token, secret: "wrong" })).body.code).toBe("IncompleteSignature")
  })

  it("refuses an adjustment on an order not settled yet", async () => {
    await h.authorizeDemo()
    const order = h.sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG", price: "10.00", quantity: 1 }], status: "pending" })
    const answer = await fetch(`${h.sandbox.url}/sandbox/orders/${order.order_id}/adjustments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amount: "-1", comment: "x" }),
    })
    expect(answer.status).toBe(409)
  })
})
