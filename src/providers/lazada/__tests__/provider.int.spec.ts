import axios from "axios"
import { createServer, type IncomingMessage, type Server } from "http"
import type { AddressInfo } from "net"
import { seedDemoAccount, startLazadaSandbox, DEMO_SELLERS, type LazadaSandbox } from "../../../../sandbox/lazada/server"
import { MarketplaceApiError } from "../../errors"
import type { AuthorizationGrant, ShopSession, WebhookRequest } from "../../types"
import { LazadaProvider } from "../provider"

/**
 * The provider against the local Lazada sandbox (sandbox/lazada), written from the Open Platform docs
 * independently of this provider: authorization for two countries, order list and details, pushes.
 */
const APP_KEY = "100777"
const APP_SECRET = "lazada-secret-for-tests"
const silentLogger = { info() {}, warn() {}, error() {}, debug() {} }

let sandbox: LazadaSandbox
let provider: LazadaProvider
let grant: AuthorizationGrant

function makeProvider(extra: Record<string, unknown> = {}): LazadaProvider {
  return new LazadaProvider(
    { logger: silentLogger },
    {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      authUrl: sandbox.authUrl,
      apiUrlTemplate: sandbox.apiUrlTemplate,
      callsPerSecond: 10000,
      maxRetries: 2,
      timeoutMs: 3000,
      sleep: async () => undefined,
      ...extra,
    } as never
  )
}

function sessionFor(country: "sg" | "my", p: LazadaProvider = provider): ShopSession {
  const shop = grant.shops.find((s) => s.metadata?.country === country)
  if (!shop) throw new Error(`no ${country} shop`)
  return { connection_id: `conn_${country}`, shop_id: shop.shop_id, region: shop.region, access_token: grant.tokens.access_token, metadata: shop.metadata }
}

async function failure(promise: Promise<unknown>): Promise<MarketplaceApiError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(MarketplaceApiError)
    return error as MarketplaceApiError
  }
  throw new Error("expected a failure")
}

/** The merchant's round trip: consent page -> Submit -> redirect with code -> token/create. */
async function authorize(p: LazadaProvider): Promise<AuthorizationGrant> {
  const { url } = await p.getAuthorizationUrl({ redirect_url: "https://admin.example.com/app/marketplaces/oauth/lazada", state: "st_1" })
  const page = await axios.get<string>(url, { responseType: "text" })
  const href = /class="confirm" href="([^"]+)"/.exec(page.data)?.[1]?.replace(/&amp;/g, "&")
  expect(href).toBeTruthy()
  const confirm = await axios.get(`${sandbox.url}${href}`, { maxRedirects: 0, validateStatus: () => true })
  expect(confirm.status).toBe(302)
  const back = new URL(confirm.headers.location as string)
  expect(back.searchParams.get("state")).toBe("st_1")
  return p.exchangeCode({ params: Object.fromEntries(back.searchParams.entries()), redirect_url: "https://admin.example.com" })
}

beforeAll(async () => {
  sandbox = await startLazadaSandbox({ appKey: APP_KEY, appSecret: APP_SECRET, seed: 7 })
})

afterAll(async () => {
  await sandbox.close()
})

beforeEach(async () => {
  sandbox.reset()
  seedDemoAccount(sandbox)
  provider = makeProvider()
  grant = await authorize(provider)
})

describe("Lazada provider against the sandbox", () => {
  it("turns one authorization into one shop per country, each with its API host", () => {
    expect(grant.shops.map((s) => [s.shop_id, s.region, s.metadata?.api_base_url])).toEqual([
      [DEMO_SELLERS.sg, "SG", `${sandbox.url}/lazada/sg/rest`],
      [DEMO_SELLERS.my, "MY", `${sandbox.url}/lazada/my/rest`],
    ])
    expect(grant.tokens.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000)
  })

  it("refuses a used code, and rotates the refresh token", async () => {
    const tokens = await provider.refreshToken({ refresh_token: grant.tokens.refresh_token, shop_ids: grant.shops.map((s) => s.shop_id) })
    expect(tokens.refresh_token).not.toBe(grant.tokens.refresh_token)
    const reused = await failure(provider.refreshToken({ refresh_token: grant.tokens.refresh_token, shop_ids: [] }))
    expect(reused.kind).toBe("auth")
    expect(reused.code).toBe("IllegalRefreshToken")
  })

  it("is refused with a wrong secret (the sandbox checks the signature itself)", async () => {
    const wrong = makeProvider({ appSecret: "not-the-secret" })
    const error = await failure(wrong.listChangedOrders(sessionFor("sg"), { updated_from: new Date(Date.now() - 3600_000), updated_to: new Date(Date.now() + 60_000) }))
    expect(error.kind).toBe("signature")
    expect(error.code).toBe("IncompleteSignature")
  })

  it("imports an order with a cancelled item, folded lines and Lazada's total", async () => {
    const order = sandbox.createOrder({
      seller_id: DEMO_SELLERS.sg,
      items: [
        { sku: "MUG-01", price: "12.50", quantity: 2 },
        { sku: "CAP-01", price: "20.00", quantity: 1 },
      ],
      status: "pending",
      shipping_fee: "3.00",
      voucher_seller: "2.00",
      voucher_platform: "1.50",
    })
    const cap = order.items[2]
    sandbox.core.moveItem(cap, "canceled", "Out of stock")
    const listed = await provider.listChangedOrders(sessionFor("sg"), { updated_from: new Date(Date.now() - 3600_000), updated_to: new Date(Date.now() + 60_000) })
    expect(listed.items.map((o) => o.external_id)).toEqual([order.order_id])
    expect(listed.items[0].external_status).toBe("canceled,pending")
    const [mapped] = await provider.getOrders(sessionFor("sg"), [order.order_id, "999999"])
    expect(mapped.status).toBe("paid")
    expect(mapped.currency_code).toBe("sgd")
    expect(mapped.items.map((l) => [l.sku, l.quantity, l.unit_price])).toEqual([
      ["MUG-01", 2, "12.5"],
      ["CAP-01", 1, "20"],
    ])
    expect(mapped.cancel_reason).toBe("Out of stock")
    expect([mapped.shipping.amount, mapped.discount_total, mapped.total]).toEqual(["3", "3.5", "44.5"])
    expect(mapped.updated_at.getTime()).toBe(order.updated_at * 1000)
    // The other country's connection does not see the SG seller's orders.
    const my = await provider.listChangedOrders(sessionFor("my"), { updated_from: new Date(Date.now() - 3600_000), updated_to: new Date(Date.now() + 60_000) })
    expect(my.items).toEqual([])
  })

  it("reads items in batches of 50 order ids", async () => {
    const ids = Array.from({ length: 60 }, () => sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "1.00", quantity: 1 }], status: "pending" }).order_id)
    sandbox.resetCalls()
    const orders = await provider.getOrders(sessionFor("sg"), ids)
    expect(orders).toHaveLength(60)
    const batches = sandbox.calls.filter((c) => c.path.endsWith("/orders/items/get"))
    expect(batches.map((c) => String(c.query.order_ids).split(",").length)).toEqual([50, 10])
    expect(batches.every((c) => c.status === 200)).toBe(true)
  })

  it("takes the headers of listed orders from the GetOrders page: no GetOrder for them, the same orders as by id", async () => {
    const ids = Array.from({ length: 3 }, (_, i) =>
      sandbox.createOrder({
        seller_id: DEMO_SELLERS.sg,
        items: [{ sku: "MUG-01", price: `${i + 1}.50`, quantity: i + 1 }],
        status: "pending",
        shipping_fee: "2.00",
        voucher_seller: "0.50",
      }).order_id
    )
    const window = { updated_from: new Date(Date.now() - 3600_000), updated_to: new Date(Date.now() + 60_000) }
    const page = await provider.listChangedOrders(sessionFor("sg"), window)
    expect(page.items.map((r) => r.external_id).sort()).toEqual([...ids].sort())
    sandbox.resetCalls()
    const fromList = await provider.getOrders(sessionFor("sg"), ids, { listed: page.items })
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/get"))).toHaveLength(0)
    expect(sandbox.calls.filter((c) => c.path.endsWith("/orders/items/get"))).toHaveLength(1)
    const byId = await provider.getOrders(sessionFor("sg"), ids)
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/get"))).toHaveLength(3)
    const strip = (orders: typeof byId) => orders.map(({ raw: _raw, ...order }) => order)
    expect(strip(fromList)).toEqual(strip(byId))

    // A ref whose detail is not one this provider listed (here: a plain object) is read by GetOrder.
    sandbox.resetCalls()
    const forged = page.items.map((r) => ({ ...r, listed_detail: { ...(r.listed_detail as object) } }))
    expect(strip(await provider.getOrders(sessionFor("sg"), ids, { listed: forged }))).toEqual(strip(byId))
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/get"))).toHaveLength(3)
  })

  it("stops at the window's countTotal: a full last page asks for no empty one", async () => {
    const start = Math.floor(Date.now() / 1000) - 500
    for (let i = 0; i < 100; i++) {
      sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "1.00", quantity: 1 }], status: "pending", created_at: start + i })
    }
    sandbox.resetCalls()
    const page = await provider.listChangedOrders(sessionFor("sg"), { updated_from: new Date((start - 1) * 1000), updated_to: new Date(Date.now() + 60_000) })
    expect(page.items).toHaveLength(100)
    expect(page.next_page_token).toBeNull()
    expect(sandbox.calls.filter((c) => c.path.endsWith("/orders/get"))).toHaveLength(1)
  })

  it("narrows the window instead of passing offset 5000", async () => {
    const start = Math.floor(Date.now() / 1000) - 20000
    const ids = new Set<string>()
    for (let i = 0; i < 5150; i++) {
      ids.add(sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "1.00", quantity: 1 }], status: "pending", created_at: start + i }).order_id)
    }
    sandbox.resetCalls()
    const seen = new Set<string>()
    let token: string | null = null
    let pages = 0
    const to = new Date(Date.now() + 60_000)
    do {
      const page = await provider.listChangedOrders(sessionFor("sg"), {
        updated_from: new Date((start - 1) * 1000),
        updated_to: to,
        page_token: token,
      })
      for (const o of page.items) seen.add(o.external_id)
      token = page.next_page_token
      pages++
    } while (token && pages < 100)
    expect(seen).toEqual(ids)
    const offsets = sandbox.calls.filter((c) => c.path.endsWith("/orders/get")).map((c) => Number(c.query.offset))
    expect(Math.max(...offsets)).toBeLessThan(5000)
    expect(sandbox.calls.every((c) => c.status === 200)).toBe(true)
  })

  it("receives signed pushes per order line, verifies and parses them", async () => {
    const received: WebhookRequest[] = []
    const server: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ raw_body: Buffer.concat(chunks), headers: req.headers as WebhookRequest["headers"], url: "http://hooks.local/lazada" })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      sandbox.setPushConfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`)
      const order = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "5.00", quantity: 2 }], status: "pending" })
      sandbox.core.moveItem(order.items[0], "canceled")
      await sandbox.flushPushes()
      expect(received).toHaveLength(3)
      for (const push of received) expect(provider.verifyWebhook(push)).toEqual({ valid: true })
      const events = received.flatMap((push) => provider.parseWebhook(push))
      expect(events.map((e) => [e.type, e.external_shop_id, e.external_order_id, e.external_status])).toEqual([
        ["order.status_changed", DEMO_SELLERS.sg, order.order_id, "pending"],
        ["order.status_changed", DEMO_SELLERS.sg, order.order_id, "pending"],
        ["order.status_changed", DEMO_SELLERS.sg, order.order_id, "canceled"],
      ])
      expect(new Set(events.map((e) => e.idempotency_key)).size).toBe(3)
      const tampered = { ...received[0], raw_body: Buffer.from(received[0].raw_body.toString().replace("pending", "shipped")) }
      expect(provider.verifyWebhook(tampered)).toEqual({ valid: false, reason: "bad_signature" })
    } finally {
      sandbox.setPushConfig(null)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("lists SKUs and pushes stock and price as the XML payload, failures per SKU", async () => {
    const product = sandbox.core.createProduct(DEMO_SELLERS.sg, { name: "Mug", skus: [{ sku: "MUG-01", price: 12.5, stock: 4 }, { sku: "MUG-02", price: 13, stock: 0 }] })
    const page = await provider.listListings(sessionFor("sg"), {})
    expect(page.items.map((l) => [l.external_item_id, l.sku, l.price, l.stock, l.currency_code])).toEqual([
      [String(product.item_id), "MUG-01", "12.5", 4, "sgd"],
      [String(product.item_id), "MUG-02", "13", 0, "sgd"],
    ])
    const [a, b] = page.items
    const results = await provider.pushStock(sessionFor("sg"), [
      { external_item_id: a.external_item_id, external_model_id: a.external_model_id, quantity: 9 },
      { external_item_id: b.external_item_id, external_model_id: "1", quantity: 3 },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(product.skus[0].quantity).toBe(9)
    const call = sandbox.calls.filter((c) => c.path.endsWith("/product/price_quantity/update")).pop()
    expect(String(call?.query.payload)).toContain("<Request><Product><Skus><Sku><ItemId>")
    const prices = await provider.pushPrice(sessionFor("sg"), [{ external_item_id: b.external_item_id, external_model_id: b.external_model_id, price: "14.90" }])
    expect(prices).toEqual([{ external_item_id: b.external_item_id, external_model_id: b.external_model_id, ok: true }])
    expect(product.skus[1].price).toBe(14.9)
  })

  it("maps an expired access token to auth", async () => {
    sandbox.core.state.tokens.expire(grant.seller_id as string)
    const error = await failure(provider.getOrders(sessionFor("sg"), ["1"]))
    expect(error.kind).toBe("auth")
    expect(error.code).toBe("IllegalAccessToken")
  })

  it("ships by pack then ready to ship, then reads the tracking number and the airway bill", async () => {
    const order = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 2 }, { sku: "CAP-01", price: "20.00", quantity: 1 }], status: "pending" })
    sandbox.core.moveItem(order.items[2], "canceled", "Out of stock")
    const session = sessionFor("sg")
    expect((await provider.getShippingParameters(session, order.order_id)).methods).toEqual(["dropship"])
    // Nothing to print before the package exists.
    expect(await provider.getShippingDocument(session, order.order_id)).toBeNull()
    await provider.shipOrder(session, { external_order_id: order.order_id, method: "dropship" })
    expect(order.items.map((i) => i.status)).toEqual(["ready_to_ship", "ready_to_ship", "canceled"])
    const pack = sandbox.calls.filter((c) => c.path.endsWith("/order/fulfill/pack")).pop()
    expect(JSON.parse(String(pack?.query.packReq))).toEqual({
      pack_order_list: [{ order_id: Number(order.order_id), order_item_list: order.items.slice(0, 2).map((i) => Number(i.order_item_id)) }],
      delivery_type: "dropship",
      shipping_allocate_type: "TFS",
    })
    const shipment = await provider.getShipment(session, order.order_id)
    expect(shipment).toEqual({ external_order_id: order.order_id, package_id: order.items[0].package_id, tracking_number: order.items[0].tracking_code, carrier: "LEX SG" })
    expect(shipment.tracking_number).toMatch(/^LZ/)
    const document = await provider.getShippingDocument(session, order.order_id)
    expect(document).toEqual(expect.objectContaining({ content_type: "application/pdf", file_name: `lazada-awb-${order.items[0].package_id}.pdf` }))
    expect(document?.content.subarray(0, 4).toString()).toBe("%PDF")
    // Shipping again changes nothing; a shipped order offers no method.
    await provider.shipOrder(session, { external_order_id: order.order_id })
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/fulfill/pack"))).toHaveLength(1)
    expect((await provider.getShippingParameters(session, order.order_id)).methods).toEqual([])
  })

  it("refuses to ship a cancelled order or a method Lazada does not have", async () => {
    const order = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 1 }], status: "pending" })
    const session = sessionFor("sg")
    expect((await failure(provider.shipOrder(session, { external_order_id: order.order_id, method: "pickup" }))).kind).toBe("validation")
    sandbox.core.moveItem(order.items[0], "canceled")
    expect((await failure(provider.shipOrder(session, { external_order_id: order.order_id }))).kind).toBe("not_allowed")
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/fulfill/pack"))).toHaveLength(0)
  })

  it("cancels as the seller: every unit still cancellable, validated first, with the offered reason found by name", async () => {
    const order = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 2 }, { sku: "CAP-01", price: "20.00", quantity: 1 }], status: "pending" })
    sandbox.core.walkItem(order.items[2], "shipped")
    const session = sessionFor("sg")
    sandbox.resetCalls()
    await provider.cancelOrder(session, { external_order_id: order.order_id, reason: "customer_request" })
    expect(order.items.map((i) => i.status)).toEqual(["canceled", "canceled", "shipped"])
    expect(order.items[0].reason).toBe("Customer Requested")
    const paths = sandbox.calls.map((c) => c.path.replace(/^.*\/rest/, ""))
    expect(paths).toEqual(["/orders/items/get", "/order/reverse/cancel/validate", "/order/reverse/cancel/create"])
    const create = sandbox.calls[2]
    expect(JSON.parse(String(create.query.order_item_id_list))).toEqual(order.items.slice(0, 2).map((i) => i.order_item_id))
    expect(create.query.reason_id).toBe("10000031")

    const other = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 1 }], status: "pending" })
    await provider.cancelOrder(session, { external_order_id: other.order_id, reason: "out_of_stock" })
    expect(sandbox.calls.at(-1)?.query.reason_id).toBe("10000021")
    const [read] = await provider.getOrders(session, [other.order_id])
    expect(read.status).toBe("cancelled")
  })

  it("refuses a seller cancellation Lazada would not take: nothing left to cancel, an unknown reason, an unknown order", async () => {
    const session = sessionFor("sg")
    const shipped = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 1 }], status: "shipped" })
    sandbox.resetCalls()
    const late = await failure(provider.cancelOrder(session, { external_order_id: shipped.order_id, reason: "out_of_stock" }))
    expect(late.kind).toBe("not_allowed")
    expect(late.message).toContain("shipped")
    const pending = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 1 }], status: "pending" })
    expect((await failure(provider.cancelOrder(session, { external_order_id: pending.order_id, reason: "bored" }))).kind).toBe("validation")
    expect((await failure(provider.cancelOrder(session, { external_order_id: "999999", reason: "out_of_stock" }))).kind).toBe("not_found")
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/reverse/cancel/create"))).toHaveLength(0)
    expect(pending.items[0].status).toBe("pending")
    // Lazada's internal error on the write: not sent again (its outcome is unknown; the next read of the order tells).
    sandbox.addFault({ path: "/lazada/sg/rest/order/reverse/cancel/create", kind: "server_error", count: 1 })
    expect((await failure(provider.cancelOrder(session, { external_order_id: pending.order_id, reason: "out_of_stock" }))).kind).toBe("server")
    expect(sandbox.calls.filter((c) => c.path.endsWith("/order/reverse/cancel/create"))).toHaveLength(1)
    expect(pending.items[0].status).toBe("pending")
  })

  it("reads reverse orders as returns: folded into the order's lines, refunds from cents, pages, CANCEL ones left out; accepts and refuses by the lines' status", async () => {
    const session = sessionFor("sg")
    const order = sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 3 }, { sku: "CAP-01", price: "20.00", quantity: 1 }], status: "delivered" })
    const mugs = order.items.slice(0, 2)
    const ro = sandbox.core.reverse.create(order, { item_ids: mugs.map((i) => i.order_item_id), vn: false })
    const only = sandbox.core.reverse.create(order, { item_ids: [order.items[3].order_item_id], request_type: "ONLY_REFUND", vn: false })
    // A buyer's cancellation of another order is a CANCEL reverse order: an order change, never a return.
    sandbox.core.requestCancel(sandbox.createOrder({ seller_id: DEMO_SELLERS.sg, items: [{ sku: "MUG-01", price: "12.50", quantity: 1 }], status: "pending" }))
    const window = { updated_from: new Date(Date.now() - 3600_000), updated_to: new Date(Date.now() + 60_000) }
    const listed = await provider.listReturns(session, window)
    expect(listed.items.map((r) => r.external_id)).toEqual([ro.reverse_order_id, only.reverse_order_id])
    expect(listed.next_page_token).toBeNull()
    const [ret] = listed.items
    expect(ret).toEqual(
      expect.objectContaining({ external_order_id: order.order_id, status: "requested", external_status: "REQUEST_INITIATE", solution: "return_refund", currency_code: "sgd", refund_amount: "25", refunded: false })
    )
    const [mapped] = await provider.getOrders(session, [order.order_id])
    const mugLine = mapped.items.find((l) => l.sku === "MUG-01")!
    expect(ret.items).toEqual([{ external_item_id: mugLine.external_item_id, external_model_id: mugLine.external_model_id, sku: "MUG-01", quantity: 2, refund_amount: "25" }])
    expect((await provider.getReturn(session, only.reverse_order_id)).solution).toBe("refund_only")

    // agreeReturn; nothing to do while the buyer has not shipped; confirmDelivery; agreeRefund.
    await provider.acceptReturn(session, ro.reverse_order_id)
    expect((await provider.getReturn(session, ro.reverse_order_id)).status).toBe("accepted")
    expect((await failure(provider.acceptReturn(session, ro.reverse_order_id))).kind).toBe("not_allowed")
    sandbox.core.reverse.move(ro, { reverse_status: "BUYER_RETURN_ITEM" })
    await provider.acceptReturn(session, ro.reverse_order_id)
    expect(ro.lines.map((l) => l.reverse_status)).toEqual(["RETURN_DELIVERED", "RETURN_DELIVERED"])
    await provider.acceptReturn(session, ro.reverse_order_id)
    const refunded = await provider.getReturn(session, ro.reverse_order_id)
    expect([refunded.status, refunded.refunded, provider.returnOutcome(refunded, null)]).toEqual(["refunded", true, "refunded"])
    // A refund only: ReverseOrderOnlyRefundDecide, one line a call.
    await provider.acceptReturn(session, only.reverse_order_id)
    expect(only.lines[0].reverse_status).toBe("REFUND_SUCCESS")

    // Refusing needs a comment (checked before calling) and a reason of the line's list; one line a call.
    const two = sandbox.core.reverse.create(order, { item_ids: [order.items[2].order_item_id], vn: false })
    expect((await failure(provider.disputeReturn(session, two.reverse_order_id, { reason: "1000021" }))).kind).toBe("validation")
    expect((await failure(provider.disputeReturn(session, two.reverse_order_id, { reason: "5", text: "used" }))).kind).toBe("validation")
    await provider.disputeReturn(session, two.reverse_order_id, { reason: "1000021", text: "used" })
    expect(two.lines[0]).toEqual(expect.objectContaining({ reverse_status: "REQUEST_REJECT", refusals: [{ reason_id: "1000021", comment: "used" }] }))
    expect((await provider.getReturn(session, two.reverse_order_id)).status).toBe("disputed")
    expect((await failure(provider.getReturn(session, "999999"))).kind).toBe("not_found")
  })
})
