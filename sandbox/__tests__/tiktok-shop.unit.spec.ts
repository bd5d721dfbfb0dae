import axios from "axios"
import { createServer } from "http"
import type { AddressInfo } from "net"
import { startTiktokShopSandbox, type TiktokShopSandbox } from "../tiktok-shop/server"
import { statusFromPackages } from "../tiktok-shop/core"
import { addAdjustment } from "../tiktok-shop/finance"
import { expectedRequestSign, webhookAuthorization } from "../tiktok-shop/signing"

const APP_KEY = "unit-app-key"
const APP_SECRET = "unit-app-secret"

let sandbox: TiktokShopSandbox
let token: string
let cipher: string
let shopId: string
let skuId: string

/** A client written against the sandbox's own signer: the gateway's checks are what is tested here. */
async function call(
  method: "GET" | "POST",
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
  opts: { sign?: string; token?: string | null; timestamp?: number } = {}
) {
  const params = new URLSearchParams({ app_key: APP_KEY, timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)), ...query })
  const raw = body === undefined ? "" : JSON.stringify(body)
  params.set("sign", opts.sign ?? expectedRequestSign(APP_SECRET, path, params, raw, "application/json"))
  const headers: Record<string, string> = { "content-type": "application/json" }
  const t = opts.token === undefined ? token : opts.token
  if (t) headers["x-tts-access-token"] = t
  const answer = await axios.request({ method, url: `${sandbox.url}${path}?${params}`, data: raw || undefined, headers, validateStatus: () => true, transformResponse: (x) => x })
  return { status: answer.status, body: JSON.parse(answer.data) }
}

beforeAll(async () => {
  sandbox = await startTiktokShopSandbox({ appKey: APP_KEY, appSecret: APP_SECRET, serviceId: "svc-1", seed: 7 })
})
afterAll(() => sandbox.close())

beforeEach(() => {
  sandbox.reset()
  const seller = sandbox.core.createSeller({ shops: [{ region: "ID", currency: "IDR" }, { region: "MY", currency: "MYR" }] })
  shopId = seller.shop_ids[0]
  cipher = sandbox.core.shop(shopId).cipher
  token = sandbox.core.issueTokens(seller.open_id).access_token
  skuId = sandbox.core.createProduct(shopId, { title: "Kopi", skus: [{ seller_sku: "KOPI", price: "50000" }] }).skus[0].id
})

describe("TikTok Shop sandbox signing", () => {
  it("computes the docs' example (b596b73e...)", () => {
    const query = new URLSearchParams({ app_key: "29a39d", timestamp: "1623812664" })
    expect(expectedRequestSign("e59af819cc", "/authorization/202309/shops", query, "", "")).toBe(
      "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
    )
  })
  it("computes the docs' webhook example (5dec0f11...)", () => {
    const body =
      '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}'
    expect(webhookAuthorization("abcdef", "123", body)).toBe("5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05")
  })
})

describe("TikTok Shop sandbox gateway", () => {
  it("lists the seller's shops with their ciphers", async () => {
    const answer = await call("GET", "/authorization/202309/shops")
    expect(answer.status).toBe(200)
    expect(answer.body.code).toBe(0)
    expect(answer.body.data.shops.map((s: { region: string }) => s.region)).toEqual(["ID", "MY"])
    expect(answer.body.data.shops[0].cipher).toBe(cipher)
  })

  it("refuses a bad signature, a stale timestamp, a missing or expired token, an unknown cipher", async () => {
    expect((await call("GET", "/authorization/202309/shops", {}, undefined, { sign: "0".repeat(64) })).body.code).toBe(106001)
    expect((await call("GET", "/authorization/202309/shops", {}, undefined, { timestamp: Math.floor(Date.now() / 1000) - 400 })).body.code).toBe(106004)
    expect((await call("GET", "/authorization/202309/shops", {}, undefined, { token: null })).body.code).toBe(105001)
    const body = { update_time_ge: 0 }
    expect((await call("POST", "/order/202309/orders/search", { page_size: "10", shop_cipher: "GCP_nope" }, body)).body.code).toBe(36009003)
    sandbox.core.state.tokens.expire(sandbox.core.shop(shopId).seller_open_id)
    const expired = await call("GET", "/authorization/202309/shops")
    expect([expired.status, expired.body.code]).toEqual([401, 105002])
  })

  it("signs the body: a body changed after signing is refused", async () => {
    const params = new URLSearchParams({ app_key: APP_KEY, timestamp: String(Math.floor(Date.now() / 1000)), page_size: "10", shop_cipher: cipher })
    params.set("sign", expectedRequestSign(APP_SECRET, "/order/202309/orders/search", params, '{"update_time_ge":0}', "application/json"))
    const answer = await axios.post(`${sandbox.url}/order/202309/orders/search?${params}`, '{"update_time_ge":1}', {
      headers: { "content-type": "application/json", "x-tts-access-token": token },
      validateStatus: () => true,
    })
    expect(answer.data.code).toBe(106001)
  })

  it("pages the order search with page_token, oldest update first", async () => {
    for (let i = 0; i < 5; i++) sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 1 }] })
    const seen: string[] = []
    let pageToken = ""
    let pages = 0
    do {
      const answer = await call("POST", "/order/202309/orders/search", { page_size: "2", shop_cipher: cipher, sort_field: "update_time", sort_order: "ASC", ...(pageToken ? { page_token: pageToken } : {}) }, { update_time_ge: 0 })
      expect(answer.body.code).toBe(0)
      seen.push(...answer.body.data.orders.map((o: { id: string }) => o.id))
      pageToken = answer.body.data.next_page_token
      pages++
    } while (pageToken)
    expect(pages).toBe(3)
    expect(seen).toEqual([...sandbox.core.state.orders.keys()])
    expect((await call("POST", "/order/202309/orders/search", { page_size: "101", shop_cipher: cipher }, {})).body.code).toBe(36009003)
  })

  it("answers at most 50 order ids, one line item per unit, Tokopedia orders labelled", async () => {
    const order = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 3, seller_discount: "5000" }], shipping_fee: "9000" })
    const ok = await call("GET", "/order/202507/orders", { ids: order.id, shop_cipher: cipher })
    const view = ok.body.data.orders[0]
    expect(view.line_items).toHaveLength(3)
    expect(view.commerce_platform).toBe("TOKOPEDIA")
    expect(view.payment).toMatchObject({ sub_total: "135000", shipping_fee: "9000", total_amount: "144000", seller_discount: "15000" })
    const ids = Array.from({ length: 51 }, (_, i) => String(i + 1)).join(",")
    expect((await call("GET", "/order/202507/orders", { ids, shop_cipher: cipher })).body.code).toBe(36009003)
  })

  it("answers 429 with code 36009002 over the per-shop limit", async () => {
    sandbox.core.setRateLimit(2)
    const answers = await Promise.all(Array.from({ length: 5 }, () => call("POST", "/order/202309/orders/search", { page_size: "10", shop_cipher: cipher }, {})))
    const limited = answers.filter((a) => a.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(limited[0].body.code).toBe(36009002)
  })

  it("reports per-SKU inventory failures with code 0 and data.errors", async () => {
    const product = [...sandbox.core.state.products.values()][0]
    const path = `/product/202309/products/${product.id}/inventory/update`
    const answer = await call("POST", path, { shop_cipher: cipher }, {
      skus: [
        { id: skuId, inventory: [{ warehouse_id: product.skus[0].inventory[0].warehouse_id, quantity: 7 }] },
        { id: "999", inventory: [{ quantity: 1 }] },
      ],
    })
    expect(answer.body.code).toBe(0)
    expect(answer.body.data.errors).toEqual([expect.objectContaining({ detail: { sku_id: "999" } })])
    expect(product.skus[0].inventory[0].quantity).toBe(7)
    // The quantity applied is recorded with the call's arrival; the refused SKU is not.
    expect(sandbox.core.state.inventoryUpdates).toEqual([
      expect.objectContaining({ product_id: product.id, sku_id: skuId, seller_sku: product.skus[0].seller_sku, quantity: 7, received_at: expect.any(Number) }),
    ])
  })

  it("redeems an authorization code once", async () => {
    const code = sandbox.core.state.tokens.issueCode(sandbox.core.shop(shopId).seller_open_id)
    const get = () =>
      axios.get(`${sandbox.url}/api/v2/token/get`, {
        params: { app_key: APP_KEY, app_secret: APP_SECRET, auth_code: code, grant_type: "authorized_code" },
        validateStatus: () => true,
      })
    const first = await get()
    expect(first.data.code).toBe(0)
    expect(first.data.data.access_token_expire_in).toBeGreaterThan(Math.floor(Date.now() / 1000))
    expect((await get()).data.code).not.toBe(0)
  })
})

describe("TikTok Shop sandbox returns and cancellations", () => {
  const shipped = () => {
    const order = sandbox.core.createOrder(shopId, { status: "DELIVERED", lines: [{ sku_id: skuId, quantity: 3, seller_discount: "5000" }] })
    return order
  }
  const search = (body: Record<string, unknown>, query: Record<string, string> = {}) =>
    call("POST", "/return_refund/202309/returns/search", { shop_cipher: cipher, ...query }, body)

  it("searches returns by update time and ids, pages with page_token (10-50), refuses unsigned calls", async () => {
    const order = shipped()
    const returns = order.units.map((u) => sandbox.core.createReturn(order.id, { unit_ids: [u.id] }))
    const first = await search({ update_time_ge: 0 }, { page_size: "10", sort_field: "update_time" })
    expect(first.body.code).toBe(0)
    expect(first.body.data.return_orders.map((r: { return_id: string }) => r.return_id)).toEqual(returns.map((r) => r.id))
    expect(first.body.data.next_page_token).toBe("")
    const one = await search({ return_ids: [returns[1].id] })
    expect(one.body.data.return_orders).toHaveLength(1)
    // What the buyer paid for the unit: its price less the seller's discount.
    expect(one.body.data.return_orders[0].refund_amount).toEqual(expect.objectContaining({ currency: "IDR", refund_total: "45000" }))
    expect((await search({}, { page_size: "5" })).body.code).toBe(36009003)
    expect((await search({ return_status: ["LOST"] })).body.code).toBe(36009003)
    expect((await call("POST", "/return_refund/202309/returns/search", { shop_cipher: cipher }, {}, { sign: "0".repeat(64) })).body.code).toBe(106001)
  })

  it("approves and rejects by decision: the decision must fit the request and its state", async () => {
    const order = shipped()
    const [a, b, c] = order.units
    const refund = sandbox.core.createReturn(order.id, { type: "REFUND", unit_ids: [a.id] })
    const ret = sandbox.core.createReturn(order.id, { type: "RETURN_AND_REFUND", unit_ids: [b.id] })
    const rejected = sandbox.core.createReturn(order.id, { type: "RETURN_AND_REFUND", unit_ids: [c.id] })
    const approve = (id: string, body: unknown) => call("POST", `/return_refund/202309/returns/${id}/approve`, { shop_cipher: cipher }, body)
    const reject = (id: string, body: unknown) => call("POST", `/return_refund/202309/returns/${id}/reject`, { shop_cipher: cipher }, body)

    expect((await approve(refund.id, { decision: "APPROVE_RETURN" })).body.code).toBe(25020004)
    expect((await approve(refund.id, { decision: "APPROVE_REFUND" })).body.code).toBe(0)
    expect(sandbox.core.returns.get(refund.id).status).toBe("RETURN_OR_REFUND_REQUEST_SUCCESS")
    expect((await approve(ret.id, { decision: "APPROVE_RECEIVED_PACKAGE" })).body.code).toBe(25011013)
    expect((await approve(ret.id, { decision: "APPROVE_RETURN" })).body.code).toBe(0)
    expect(sandbox.core.returns.get(ret.id).status).toBe("AWAITING_BUYER_SHIP")
    expect((await reject(ret.id, { decision: "REJECT_RETURN", reject_reason: "seller_reject_apply_other" })).body.code).toBe(25020010)
    expect((await reject(rejected.id, { decision: "REJECT_RETURN", reject_reason: "not a reason" })).body.code).toBe(25001014)
    expect((await reject(rejected.id, { decision: "REJECT_RETURN", reject_reason: "seller_reject_apply_other", comment: "Intact" })).body.code).toBe(0)
    expect(sandbox.core.returns.get(rejected.id)).toEqual(
      expect.objectContaining({ status: "REFUND_OR_RETURN_REQUEST_REJECT", rejections: [expect.objectContaining({ comment: "Intact" })] })
    )
    expect((await approve("999", { decision: "APPROVE_REFUND" })).body.code).toBe(25007006)
  })

  it("a buyer's cancellation: the order says is_buyer_request_cancel, the search lists it, accepting cancels the order", async () => {
    const order = sandbox.core.createOrder(shopId, { status: "AWAITING_SHIPMENT", lines: [{ sku_id: skuId, quantity: 1 }] })
    sandbox.core.requestBuyerCancel(order.id)
    const detail = await call("GET", "/order/202507/orders", { shop_cipher: cipher, ids: order.id })
    expect(detail.body.data.orders[0]).toEqual(expect.objectContaining({ status: "AWAITING_SHIPMENT", is_buyer_request_cancel: true }))
    const found = await call("POST", "/return_refund/202309/cancellations/search", { shop_cipher: cipher }, { order_ids: [order.id] })
    expect(found.body.data.cancellations).toEqual([expect.objectContaining({ order_id: order.id, cancel_type: "BUYER_CANCEL", cancel_status: "CANCELLATION_REQUEST_PENDING" })])
    sandbox.core.settleBuyerCancel(order.id, "accept")
    const after = await call("GET", "/order/202507/orders", { shop_cipher: cipher, ids: order.id })
    expect(after.body.data.orders[0]).toEqual(expect.objectContaining({ status: "CANCELLED", is_buyer_request_cancel: false }))
  })
})

describe("TikTok Shop sandbox finance", () => {
  const settlementPath = (orderId: string) => `/finance/202501/orders/${orderId}/statement_transactions`

  it("answers no transactions before settlement, the fees computed from the order once completed", async () => {
    const order = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 2, seller_discount: "5000" }], shipping_fee: "9000" })
    const before = await call("GET", settlementPath(order.id), { shop_cipher: cipher })
    expect(before.body.code).toBe(0)
    expect(before.body.data).toEqual(expect.objectContaining({ order_id: order.id, sku_transactions: [] }))
    expect(before.body.data.settlement_amount).toBeUndefined()

    sandbox.core.orders.advance(order, "COMPLETED")
    const { data } = (await call("GET", settlementPath(order.id), { shop_cipher: cipher })).body
    const [sku] = data.sku_transactions
    // Revenue 2 x 50000 - 2 x 5000; commission 4 %, transaction 2 %, SFP 3 %; carrier 5 %, TikTok discount 2 %; IDR has no minor unit.
    expect(sku.revenue_amount).toBe("90000")
    expect(sku.fee_tax_breakdown.fee).toEqual(
      expect.objectContaining({ platform_commission_amount: "-3600", transaction_fee_amount: "-1800", sfp_service_fee_amount: "-2700" })
    )
    expect(sku.shipping_cost_breakdown).toEqual({ actual_shipping_fee_amount: "-4500", shipping_fee_discount_amount: "1800", customer_paid_shipping_fee_amount: "9000" })
    expect(data).toEqual(
      expect.objectContaining({ currency: "IDR", revenue_amount: "90000", fee_and_tax_amount: "-8100", shipping_cost_amount: "6300", settlement_amount: "88200" })
    )
  })

  it("lists the day's statement with its orders and an adjustment made after settlement", async () => {
    const order = sandbox.core.createOrder(shopId, { status: "COMPLETED", lines: [{ sku_id: skuId, quantity: 1 }] })
    const settled = (await call("GET", settlementPath(order.id), { shop_cipher: cipher })).body.data
    addAdjustment(sandbox.core.state, order, { amount: "-1250", type: "SHIPPING_FEE_ADJUSTMENT" })

    const listed = await call("GET", "/finance/202309/statements", { shop_cipher: cipher, sort_field: "statement_time", statement_time_ge: "0" })
    expect(listed.body.code).toBe(0)
    const [statement] = listed.body.data.statements
    expect(statement.id).toBe(settled.sku_transactions[0].statement_id)
    expect(statement.statement_time % 86400).toBe(0)

    const { data } = (await call("GET", `/finance/202501/statements/${statement.id}/statement_transactions`, { shop_cipher: cipher, sort_field: "order_create_time" })).body
    expect(data.transactions).toEqual([
      expect.objectContaining({ type: "ORDER", order_id: order.id, settlement_amount: settled.settlement_amount }),
      expect.objectContaining({ type: "SHIPPING_FEE_ADJUSTMENT", adjustment_order_id: order.id, adjustment_amount: "-1250" }),
    ])
    // sort_field is required; another shop's cipher does not see the statement.
    expect((await call("GET", "/finance/202309/statements", { shop_cipher: cipher })).body.code).toBe(36009003)
    const other = sandbox.core.shop(sandbox.core.seller(sandbox.core.shop(shopId).seller_open_id).shop_ids[1]).cipher
    expect((await call("GET", `/finance/202501/statements/${statement.id}/statement_transactions`, { shop_cipher: other, sort_field: "order_create_time" })).body.code).toBe(36009005)
  })

  it("checks the signature and the shop cipher on the finance calls", async () => {
    const order = sandbox.core.createOrder(shopId, { status: "COMPLETED", lines: [{ sku_id: skuId, quantity: 1 }] })
    expect((await call("GET", settlementPath(order.id), { shop_cipher: cipher }, undefined, { sign: "0".repeat(64) })).body.code).toBe(106001)
    expect((await call("GET", settlementPath(order.id), { shop_cipher: "GCP_nope" })).body.code).toBe(36009003)
    expect((await call("GET", settlementPath(order.id))).body.code).toBe(36009003)
  })
})

describe("TikTok Shop sandbox fulfillment and seller cancellation", () => {
  const shopQuery = () => ({ shop_cipher: cipher })
  const newOrder = (input: { shipping_type?: "TIKTOK" | "SELLER" } = {}) =>
    sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 2 }], ...input })

  it("ships a package by drop-off: AWAITING_COLLECTION with its push, the tracking number, then refuses a second ship", async () => {
    const order = newOrder()
    const pkg = order.package_ids[0]
    const before = await call("GET", `/fulfillment/202309/packages/${pkg}`, shopQuery())
    expect(before.body.data).toMatchObject({ package_id: pkg, package_status: "TO_FULFILL", shipping_type: "TIKTOK", orders: [{ id: order.id, skus: [{ id: skuId, quantity: 2 }] }] })
    expect(before.body.data.tracking_number).toBeUndefined()

    // A fault on the route template fails the next Ship Package without changing the order.
    sandbox.addFault({ path: "/fulfillment/202309/packages/{package_id}/ship", kind: "server_error", count: 1 })
    expect((await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), {})).status).toBe(500)
    expect(sandbox.core.order(order.id).status).toBe("AWAITING_SHIPMENT")
    expect((await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), { handover_method: "BY_BIKE" })).body.code).toBe(21001001)
    expect((await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), { self_shipment: { tracking_number: "JX123456", shipping_provider_id: "1" } })).body.code).toBe(21001001)
    const shipped = await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), { handover_method: "DROP_OFF" })
    expect([shipped.status, shipped.body.code]).toEqual([200, 0])
    expect(sandbox.core.order(order.id).status).toBe("AWAITING_COLLECTION")
    const after = await call("GET", `/fulfillment/202309/packages/${pkg}`, shopQuery())
    expect(after.body.data).toMatchObject({ package_status: "PROCESSING", handover_method: "DROP_OFF", tracking_number: expect.stringMatching(/^JX/) })
    expect((await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), { handover_method: "PICKUP" })).body.code).toBe(21011040)

    // Another shop's package is not this shop's.
    const other = sandbox.core.createSeller({ shops: [{ region: "ID", currency: "IDR" }] })
    const otherSku = sandbox.core.createProduct(other.shop_ids[0], { title: "Teh", skus: [{ seller_sku: "TEH", price: "1" }] }).skus[0].id
    const foreign = sandbox.core.createOrder(other.shop_ids[0], { lines: [{ sku_id: otherSku, quantity: 1 }] })
    expect((await call("POST", `/fulfillment/202309/packages/${foreign.package_ids[0]}/ship`, shopQuery(), {})).body.code).toBe(21011028)
  })

  it("prints the label at a doc_url once arranged and the 3PL has the number; seller shipping needs its own tracking", async () => {
    const order = newOrder()
    const pkg = order.package_ids[0]
    const docs = () => call("GET", `/fulfillment/202309/packages/${pkg}/shipping_documents`, { ...shopQuery(), document_type: "SHIPPING_LABEL" })
    expect((await docs()).body.code).toBe(21023035)
    expect((await call("GET", `/fulfillment/202309/packages/${pkg}/shipping_documents`, shopQuery())).body.code).toBe(21001001)
    sandbox.core.state.withholdTracking = 1
    await call("POST", `/fulfillment/202309/packages/${pkg}/ship`, shopQuery(), {})
    expect(sandbox.core.order(order.id).handover_method).toBe("PICKUP")
    expect((await docs()).body.code).toBe(11034037)
    sandbox.core.releaseTracking(order.id)
    const answer = await docs()
    expect(answer.body.data.tracking_number).toBe(sandbox.core.order(order.id).tracking_number)
    const file = await axios.get(answer.body.data.doc_url, { responseType: "arraybuffer" })
    expect(file.headers["content-type"]).toContain("application/pdf")
    expect(Buffer.from(file.data).subarray(0, 4).toString()).toBe("%PDF")

    const self = newOrder({ shipping_type: "SELLER" })
    const selfPkg = self.package_ids[0]
    expect((await call("POST", `/fulfillment/202309/packages/${selfPkg}/ship`, shopQuery(), { handover_method: "PICKUP" })).body.code).toBe(21011022)
    const ok = await call("POST", `/fulfillment/202309/packages/${selfPkg}/ship`, shopQuery(), { self_shipment: { tracking_number: "SELF123456", shipping_provider_id: "6617675021119438849" } })
    expect(ok.body.code).toBe(0)
    expect(sandbox.core.order(self.id)).toMatchObject({ status: "AWAITING_COLLECTION", tracking_number: "SELF123456" })
    expect((await call("GET", `/fulfillment/202309/packages/${selfPkg}/shipping_documents`, { ...shopQuery(), document_type: "SHIPPING_LABEL" })).body.code).toBe(21008017)
  })

  it("cancels as the seller with a reason of the order's status; refuses buyer reasons, partial cancellations and shipped orders", async () => {
    const order = newOrder()
    const cancel = (body: Record<string, unknown>) => call("POST", "/return_refund/202309/cancellations", shopQuery(), body)
    expect((await cancel({ order_id: order.id })).body.code).toBe(25001001)
    expect((await cancel({ order_id: order.id, cancel_reason: "no_such_reason" })).body.code).toBe(25001014)
    expect((await cancel({ order_id: order.id, cancel_reason: "ecom_order_to_ship_canceled_reason_no_longer_needed" })).body.code).toBe(25001015)
    expect((await cancel({ order_id: order.id, cancel_reason: "seller_cancel_unpaid_reason_out_of_stock" })).body.code).toBe(25001021)
    expect((await cancel({ order_id: order.id, cancel_reason: "seller_cancel_reason_out_of_stock", skus: [{ sku_id: skuId, quantity: 1 }] })).body.code).toBe(25005010)
    const done = await cancel({ order_id: order.id, cancel_reason: "seller_cancel_reason_out_of_stock", skus: [{ sku_id: skuId, quantity: 2 }] })
    expect(done.body).toMatchObject({ code: 0, data: { cancel_id: expect.any(String), cancel_status: "CANCELLATION_REQUEST_SUCCESS" } })
    expect(sandbox.core.order(order.id).status).toBe("CANCELLED")
    expect((await cancel({ order_id: order.id, cancel_reason: "seller_cancel_reason_out_of_stock" })).body.code).toBe(25001051)

    const shipped = newOrder()
    sandbox.core.orders.advance(shipped, "IN_TRANSIT")
    expect((await cancel({ order_id: shipped.id, cancel_reason: "seller_cancel_reason_wrong_price" })).body.code).toBe(25001045)
  })

  it("announces Ship Package and the seller's cancellation with the order status push (type 1)", async () => {
    const shipped = newOrder()
    const cancelled = newOrder()
    await pushesDuring(async () => {})
    const pushed = await pushesDuring(async () => {
      await call("POST", `/fulfillment/202309/packages/${shipped.package_ids[0]}/ship`, shopQuery(), { handover_method: "PICKUP" })
      await call("POST", "/return_refund/202309/cancellations", shopQuery(), { order_id: cancelled.id, cancel_reason: "seller_cancel_reason_wrong_price" })
    })
    expect(pushed.map((p) => [p.type, p.data.order_id, p.data.order_status])).toEqual([
      [1, shipped.id, "AWAITING_COLLECTION"],
      [1, cancelled.id, "CANCEL"],
    ])
  })
})

type Push = { type: number; data: Record<string, any> }

/** Runs `fn` with the sandbox pushing to a local hook; the pushes it sent meanwhile, in order. */
async function pushesDuring(fn: () => Promise<void>): Promise<Push[]> {
  const bodies: string[] = []
  const hook = createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      bodies.push(body)
      res.end()
    })
  })
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve))
  try {
    sandbox.setPushConfig(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`)
    await fn()
    await sandbox.flushPushes()
    return bodies.map((b) => JSON.parse(b) as Push)
  } finally {
    sandbox.setPushConfig(null)
    await new Promise((resolve) => hook.close(resolve))
  }
}
describe("TikTok Shop sandbox split and combined packages", () => {
  const shopQuery = () => ({ shop_cipher: cipher })
  let tehId: string

  beforeEach(() => {
    tehId = sandbox.core.createProduct(shopId, { title: "Teh", skus: [{ seller_sku: "TEH", price: "20000" }] }).skus[0].id
  })



  const detail = async (orderId: string) => (await call("GET", "/order/202507/orders", { ids: orderId, shop_cipher: cipher })).body.data.orders[0]
  const pkgDetail = async (id: string) => (await call("GET", `/fulfillment/202309/packages/${id}`, shopQuery())).body.data
  const split = (orderId: string, groups: { id: string; order_line_item_ids: string[] }[]) =>
    call("POST", `/fulfillment/202309/orders/${orderId}/split`, shopQuery(), { splittable_groups: groups })
  const unitsOf = (orderId: string, sku: string) => sandbox.core.order(orderId).units.filter((u) => u.sku_id === sku).map((u) => u.id)

  it("derives the order's status from its packages as TikTok does", () => {
    expect(statusFromPackages(["TO_FULFILL", "TO_FULFILL"])).toBe("AWAITING_SHIPMENT")
    expect(statusFromPackages(["PROCESSING", "TO_FULFILL"])).toBe("AWAITING_SHIPMENT")
    expect(statusFromPackages(["PROCESSING", "PROCESSING"])).toBe("AWAITING_COLLECTION")
    expect(statusFromPackages(["FULFILLING", "TO_FULFILL"])).toBe("PARTIALLY_SHIPPING")
    expect(statusFromPackages(["COMPLETED", "PROCESSING"])).toBe("PARTIALLY_SHIPPING")
    expect(statusFromPackages(["FULFILLING", "COMPLETED"])).toBe("IN_TRANSIT")
    expect(statusFromPackages(["COMPLETED", "COMPLETED", "CANCELLED"])).toBe("DELIVERED")
    expect(statusFromPackages(["CANCELLED"])).toBeNull()
  })

  it("splits an order by SKU; each package ships and arrives on its own, the order's status and lines follow, with type 4 and type 1 pushes", async () => {
    const order = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 2 }, { sku_id: tehId, quantity: 1 }] })
    let ids: string[] = []
    const pushes = await pushesDuring(async () => {
      const answer = await split(order.id, [
        { id: "kopi", order_line_item_ids: unitsOf(order.id, skuId) },
        { id: "teh", order_line_item_ids: unitsOf(order.id, tehId) },
      ])
      expect(answer.body.code).toBe(0)
      expect(answer.body.data.packages.map((p: { splittable_group_id: string }) => p.splittable_group_id)).toEqual(["kopi", "teh"])
      ids = answer.body.data.packages.map((p: { id: string }) => p.id)
      const [kopi, teh] = ids

      const split1 = await detail(order.id)
      expect(split1).toMatchObject({ status: "AWAITING_SHIPMENT", split_or_combine_tag: "SPLIT", packages: [{ id: kopi }, { id: teh }] })
      expect(split1.line_items.map((l: Record<string, string>) => [l.package_id, l.display_status, l.package_status])).toEqual([
        [kopi, "AWAITING_SHIPMENT", "TO_FULFILL"],
        [kopi, "AWAITING_SHIPMENT", "TO_FULFILL"],
        [teh, "AWAITING_SHIPMENT", "TO_FULFILL"],
      ])
      expect(await pkgDetail(kopi)).toMatchObject({ split_and_combine_tag: "SPLIT", package_status: "TO_FULFILL", orders: [{ id: order.id, skus: [{ id: skuId, quantity: 2 }] }] })

      // One package arranged, the other not: the order still awaits shipment.
      expect((await call("POST", `/fulfillment/202309/packages/${kopi}/ship`, shopQuery(), { handover_method: "DROP_OFF" })).body.code).toBe(0)
      expect(sandbox.core.order(order.id).status).toBe("AWAITING_SHIPMENT")
      const arranged = await pkgDetail(kopi)
      expect(arranged).toMatchObject({ package_status: "PROCESSING", handover_method: "DROP_OFF", tracking_number: expect.stringMatching(/^JX/) })
      expect((await call("POST", `/fulfillment/202309/packages/${kopi}/ship`, shopQuery(), {})).body.code).toBe(21011040)
      expect((await pkgDetail(teh)).tracking_number).toBeUndefined()

      // The first leaves: partly shipping; its lines are in transit with their own tracking number.
      sandbox.core.advancePackage(kopi, "FULFILLING")
      const partly = await detail(order.id)
      expect(partly.status).toBe("PARTIALLY_SHIPPING")
      expect(partly.line_items.map((l: Record<string, string>) => [l.display_status, l.tracking_number])).toEqual([
        ["IN_TRANSIT", arranged.tracking_number],
        ["IN_TRANSIT", arranged.tracking_number],
        ["AWAITING_SHIPMENT", undefined],
      ])
      // The second is shipped while the order is partly shipping, then arrives before the first.
      expect((await call("POST", `/fulfillment/202309/packages/${teh}/ship`, shopQuery(), {})).body.code).toBe(0)
      expect(sandbox.core.order(order.id).status).toBe("PARTIALLY_SHIPPING")
      sandbox.core.advancePackage(teh, "COMPLETED")
      const inTransit = await detail(order.id)
      expect(inTransit.status).toBe("IN_TRANSIT")
      expect(inTransit.line_items.map((l: Record<string, string>) => l.display_status)).toEqual(["IN_TRANSIT", "IN_TRANSIT", "DELIVERED"])
      expect(new Set(inTransit.line_items.map((l: Record<string, string>) => l.tracking_number)).size).toBe(2)
      sandbox.core.advancePackage(kopi, "COMPLETED")
      expect(sandbox.core.order(order.id).status).toBe("DELIVERED")
      expect(() => sandbox.core.advancePackage(kopi, "FULFILLING")).toThrow(/cannot move on/)
    })
    const [kopi, teh] = ids
    expect(pushes.map((p) => [p.type, p.data.sc_type ?? p.data.order_status])).toEqual([
      [4, "SPLIT"],
      [1, "PARTIALLY_SHIPPING"],
      [1, "IN_TRANSIT"],
      [1, "DELIVERED"],
    ])
    expect(pushes[0].data).toMatchObject({ role_type: "ROLE_SELLER", package_list: [{ package_id: kopi, order_id_list: [order.id] }, { package_id: teh, order_id_list: [order.id] }] })
  })

  it("arranges every package of a split order: AWAITING_COLLECTION; moving the whole order moves its packages; a cancellation cancels them", async () => {
    const order = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 1 }, { sku_id: tehId, quantity: 1 }] })
    const [a, b] = sandbox.core.splitOrder(order.id, [unitsOf(order.id, skuId), unitsOf(order.id, tehId)])
    sandbox.core.advancePackage(a.id, "PROCESSING")
    sandbox.core.advancePackage(b.id, "PROCESSING")
    expect(sandbox.core.order(order.id).status).toBe("AWAITING_COLLECTION")
    sandbox.core.orders.advance(sandbox.core.order(order.id), "IN_TRANSIT")
    expect([a.status, b.status]).toEqual(["FULFILLING", "FULFILLING"])
    expect((await detail(order.id)).tracking_number).toBe(a.tracking_number)

    const other = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 1 }, { sku_id: tehId, quantity: 1 }] })
    const packages = sandbox.core.splitOrder(other.id, [unitsOf(other.id, skuId), unitsOf(other.id, tehId)])
    const cancelled = await call("POST", "/return_refund/202309/cancellations", shopQuery(), { order_id: other.id, cancel_reason: "seller_cancel_reason_wrong_price" })
    expect(cancelled.body.code).toBe(0)
    expect(packages.map((p) => p.status)).toEqual(["CANCELLED", "CANCELLED"])
    expect((await detail(other.id)).line_items.map((l: Record<string, string>) => l.display_status)).toEqual(["CANCELLED", "CANCELLED"])
  })

  it("refuses splits the docs do not allow, with the documented codes", async () => {
    const order = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 2 }, { sku_id: tehId, quantity: 1 }] })
    const [k1, k2] = unitsOf(order.id, skuId)
    const [t1] = unitsOf(order.id, tehId)
    expect((await call("POST", `/fulfillment/202309/orders/${order.id}/split`, shopQuery(), { groups: [] })).body.code).toBe(21011005)
    expect((await split(order.id, [{ id: "a", order_line_item_ids: [k1, k2] }, { id: "b", order_line_item_ids: ["999"] }])).body.code).toBe(21011005)
    expect((await split(order.id, [{ id: "a", order_line_item_ids: [k1, k2] }])).body.code).toBe(21011005)
    expect((await split(order.id, [{ id: "a", order_line_item_ids: [k1, k2, t1] }])).body.code).toBe(21011035)
    // SEA splits by SKU: the units of one SKU stay together.
    expect((await split(order.id, [{ id: "a", order_line_item_ids: [k1] }, { id: "b", order_line_item_ids: [k2, t1] }])).body.code).toBe(21011035)
    expect((await split("576461000000999999", [{ id: "a", order_line_item_ids: [k1] }])).body.code).toBe(21008111)
    expect(sandbox.core.order(order.id).package_ids).toHaveLength(1)

    const ok = await split(order.id, [{ id: "a", order_line_item_ids: [k1, k2] }, { id: "b", order_line_item_ids: [t1] }])
    expect(ok.body.code).toBe(0)
    // Split again before anything is arranged (Seller Center's "edit split"), not after.
    sandbox.core.advancePackage(ok.body.data.packages[0].id, "PROCESSING")
    expect((await split(order.id, [{ id: "a", order_line_item_ids: [k1, k2] }, { id: "b", order_line_item_ids: [t1] }])).body.code).toBe(21011035)

    const shipped = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 1 }, { sku_id: tehId, quantity: 1 }] })
    sandbox.core.orders.advance(shipped, "AWAITING_COLLECTION")
    expect((await split(shipped.id, [{ id: "a", order_line_item_ids: unitsOf(shipped.id, skuId) }, { id: "b", order_line_item_ids: unitsOf(shipped.id, tehId) }])).body.code).toBe(21011035)
  })

  it("combines a buyer's orders: the search pre-generates the package, Combine Package makes it, both orders list it and it ships once", async () => {
    const buyer = { user_id: "7021436810468239999", name: "Ani" }
    const first = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 2 }], buyer })
    const second = sandbox.core.createOrder(shopId, { lines: [{ sku_id: tehId, quantity: 1 }], buyer })
    sandbox.core.createOrder(shopId, { lines: [{ sku_id: tehId, quantity: 1 }] })
    expect((await call("GET", "/fulfillment/202309/combinable_packages/search", shopQuery())).body.code).toBe(21011005)
    const search = await call("GET", "/fulfillment/202309/combinable_packages/search", { ...shopQuery(), page_size: "20" })
    expect(search.body.data).toMatchObject({ combinable_packages: [{ id: expect.any(String), order_ids: [first.id, second.id] }], total_count: 2, next_page_token: "" })
    const preId = search.body.data.combinable_packages[0].id
    const combine = (body: unknown) => call("POST", "/fulfillment/202309/packages/combine", shopQuery(), body)
    expect((await combine({ combinable_packages: [{ id: "115293000000999999" }] })).body.code).toBe(21011028)
    expect((await combine({ combinable_packages: [{ id: preId, order_ids: [first.id, "576461000000999999"] }] })).body.code).toBe(21011031)
    expect((await combine({})).body.code).toBe(21011005)

    let combined = ""
    const pushes = await pushesDuring(async () => {
      const answer = await combine({ combinable_packages: [{ id: preId }] })
      expect(answer.body).toMatchObject({ code: 0, data: { packages: [{ id: preId, order_ids: [first.id, second.id] }] } })
      combined = answer.body.data.packages[0].id
      for (const order of [first, second]) {
        const view = await detail(order.id)
        expect(view).toMatchObject({ split_or_combine_tag: "COMBINED", packages: [{ id: combined }] })
        expect(view.line_items.every((l: Record<string, string>) => l.package_id === combined)).toBe(true)
      }
      const pkg = await pkgDetail(combined)
      expect(pkg).toMatchObject({
        split_and_combine_tag: "COMBINE",
        package_status: "TO_FULFILL",
        orders: [
          { id: first.id, skus: [{ id: skuId, quantity: 2 }] },
          { id: second.id, skus: [{ id: tehId, quantity: 1 }] },
        ],
      })
      expect(pkg.order_line_item_ids).toHaveLength(3)
      // A combined order is neither split nor combined again.
      expect((await split(first.id, [{ id: "a", order_line_item_ids: [first.units[0].id] }, { id: "b", order_line_item_ids: [first.units[1].id] }])).body.code).toBe(21011035)
      expect((await call("GET", "/fulfillment/202309/combinable_packages/search", { ...shopQuery(), page_size: "20" })).body.data.combinable_packages).toEqual([])

      expect((await call("POST", `/fulfillment/202309/packages/${combined}/ship`, shopQuery(), { handover_method: "PICKUP" })).body.code).toBe(0)
      expect([sandbox.core.order(first.id).status, sandbox.core.order(second.id).status]).toEqual(["AWAITING_COLLECTION", "AWAITING_COLLECTION"])
      const tracking = (await pkgDetail(combined)).tracking_number
      expect((await detail(second.id)).line_items[0].tracking_number).toBe(tracking)
      sandbox.core.advancePackage(combined, "FULFILLING")
    })
    expect(pushes.map((p) => [p.type, p.data.sc_type ?? `${p.data.order_id}:${p.data.order_status}`])).toEqual([
      [4, "COMBINE"],
      [1, `${first.id}:AWAITING_COLLECTION`],
      [1, `${second.id}:AWAITING_COLLECTION`],
      [1, `${first.id}:IN_TRANSIT`],
      [1, `${second.id}:IN_TRANSIT`],
    ])
    expect(pushes[0].data.package_list).toEqual([{ package_id: combined, order_id_list: [first.id, second.id] }])
  })

  it("reports a pre-generated package whose orders can no longer be combined in errors[], not as a failed call", async () => {
    const buyer = { user_id: "7021436810468238888", name: "Budi" }
    const first = sandbox.core.createOrder(shopId, { lines: [{ sku_id: skuId, quantity: 1 }], buyer })
    sandbox.core.createOrder(shopId, { lines: [{ sku_id: tehId, quantity: 1 }], buyer })
    const preId = (await call("GET", "/fulfillment/202309/combinable_packages/search", { ...shopQuery(), page_size: "1" })).body.data.combinable_packages[0].id
    sandbox.core.orders.advance(first, "AWAITING_COLLECTION")
    const answer = await call("POST", "/fulfillment/202309/packages/combine", shopQuery(), { combinable_packages: [{ id: preId }] })
    expect(answer.body).toMatchObject({ code: 0, data: { packages: [], errors: [{ code: 10007014, detail: { package_id: preId } }] } })
  })
})
