import axios from "axios"
import { createServer, type IncomingMessage, type Server } from "http"
import type { AddressInfo } from "net"
import { addAdjustment, statementFor } from "../../../../sandbox/tiktok-shop/finance"
import { startTiktokShopSandbox, type TiktokShopSandbox } from "../../../../sandbox/tiktok-shop/server"
import { MarketplaceApiError } from "../../errors"
import type { AuthorizationGrant, ShopSession, WebhookRequest } from "../../types"
import { TiktokShopProvider } from "../provider"
import type { TiktokShopProviderOptions } from "../types"

/** The provider against the TikTok Shop sandbox (sandbox/tiktok-shop), written from the docs independently. */
const APP_KEY = "int-app-key"
const APP_SECRET = "int-app-secret"
const SERVICE_ID = "7000000000000000009"
const REDIRECT = "https://shop.example.com/app/marketplaces/oauth/tiktok-shop"
const silent = { info() {}, warn() {}, error() {}, debug() {} }

let sandbox: TiktokShopSandbox
let provider: TiktokShopProvider
let grant: AuthorizationGrant
let sessions: ShopSession[]

function makeProvider(extra: Partial<TiktokShopProviderOptions> = {}): TiktokShopProvider {
  return new TiktokShopProvider(
    { logger: silent },
    {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      serviceId: SERVICE_ID,
      baseUrl: sandbox.url,
      authBaseUrl: sandbox.url,
      authorizeBaseUrl: sandbox.url,
      callsPerSecond: 1000,
      maxRetries: 2,
      retryBaseMs: 5,
      retryMaxMs: 20,
      timeoutMs: 1500,
      ...extra,
    }
  )
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

/** The seller's round trip: authorize page -> confirm -> callback with code and state. */
async function authorize(state: string): Promise<Record<string, string>> {
  const { url } = await provider.getAuthorizationUrl({ redirect_url: REDIRECT, state })
  const page = await axios.get<string>(url, { responseType: "text" })
  const href = /class="confirm" href="([^"]+)"/.exec(page.data)?.[1]?.replace(/&amp;/g, "&")
  if (!href) throw new Error("no confirm link on the authorize page")
  const confirm = await axios.get(`${sandbox.url}${href}`, { maxRedirects: 0, validateStatus: (s) => s === 302 })
  return Object.fromEntries(new URL(confirm.headers.location as string).searchParams)
}

const window = () => ({ updated_from: new Date(Date.now() - 86400_000), updated_to: new Date(Date.now() + 60_000) })

beforeAll(async () => {
  sandbox = await startTiktokShopSandbox({ appKey: APP_KEY, appSecret: APP_SECRET, serviceId: SERVICE_ID, seed: 11, redirectUrl: REDIRECT })
  provider = makeProvider()
})
afterAll(() => sandbox.close())

beforeEach(async () => {
  sandbox.reset()
  sandbox.core.state.redirectUrl = REDIRECT
  sandbox.core.createSeller({
    name: "Kopi Nusantara",
    shops: [
      { id: "7495540735365777001", region: "MY", currency: "MYR" },
      { id: "7495540735365777002", region: "ID", currency: "IDR" },
    ],
  })
  const params = await authorize("st_1")
  grant = await provider.exchangeCode({ params, redirect_url: REDIRECT })
  sessions = grant.shops.map((shop, i) => ({
    connection_id: `conn_${i}`,
    shop_id: shop.shop_id,
    region: shop.region,
    access_token: grant.tokens.access_token,
    metadata: shop.metadata,
  }))
})

describe("TikTok Shop provider against the sandbox", () => {
  it("authorizes once for every shop of the seller, each with its cipher", async () => {
    expect(grant.shops.map((s) => [s.shop_id, s.region])).toEqual([
      ["7495540735365777001", "MY"],
      ["7495540735365777002", "ID"],
    ])
    expect(grant.shops.every((s) => typeof s.metadata?.cipher === "string")).toBe(true)
    expect(grant.tokens.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000)
    // The code was spent.
    const again = await failure(provider.exchangeCode({ params: { code: "x", state: "st_1" }, redirect_url: REDIRECT }))
    expect(again.kind).toBe("validation")
  })

  it("reports a refused authorization", async () => {
    const err = await failure(provider.exchangeCode({ params: { error: "auth_denied", state: "s" }, redirect_url: REDIRECT }))
    expect(err.kind).toBe("auth")
  })

  it("refreshes and stores the rotated refresh token", async () => {
    const tokens = await provider.refreshToken({ refresh_token: grant.tokens.refresh_token, shop_ids: sessions.map((s) => s.shop_id) })
    expect(tokens.refresh_token).not.toBe(grant.tokens.refresh_token)
    expect(sandbox.core.state.refreshCount).toBe(1)
    const reused = await failure(provider.refreshToken({ refresh_token: grant.tokens.refresh_token, shop_ids: [] }))
    expect(reused.kind).toBe("auth")
  })

  it("walks the order search by update time and reads details in batches of 50", async () => {
    const tokopedia = sessions[1]
    const product = sandbox.core.createProduct(tokopedia.shop_id, { title: "Kopi Gayo", skus: [{ seller_sku: "KOPI-250", price: "50000" }] })
    const sku = product.skus[0].id
    for (let i = 0; i < 120; i++) sandbox.core.createOrder(tokopedia.shop_id, { lines: [{ sku_id: sku, quantity: 1 }] })
    sandbox.core.createOrder(tokopedia.shop_id, { status: "UNPAID", lines: [{ sku_id: sku, quantity: 1 }] })
    const ids: string[] = []
    let token: string | null = null
    let pages = 0
    // One window for the whole walk: a page token belongs to the query it came from.
    const walk = window()
    do {
      const page = await provider.listChangedOrders(tokopedia, { ...walk, page_token: token })
      ids.push(...page.items.map((i) => i.external_id))
      token = page.next_page_token
      pages++
    } while (token)
    expect(pages).toBe(2)
    expect(ids).toHaveLength(120)
    sandbox.resetCalls()
    const before = sandbox.calls.filter((c) => c.path === "/order/202507/orders").length
    const orders = await provider.getOrders(tokopedia, ids)
    expect(orders).toHaveLength(120)
    expect(sandbox.calls.filter((c) => c.path === "/order/202507/orders").length - before).toBe(3)
    expect(orders[0]).toMatchObject({ status: "paid", external_status: "AWAITING_SHIPMENT", channel: "tokopedia", currency_code: "idr" })
  })

  it("reads settled orders' escrow one order at a time, leaves unsettled ones out, and finds adjustments in the statements", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "25.90" }] })
    const sku = product.skus[0].id
    const done = sandbox.core.createOrder(my.shop_id, { status: "COMPLETED", shipping_fee: "4.90", lines: [{ sku_id: sku, quantity: 2, seller_discount: "1.90" }] })
    const open = sandbox.core.createOrder(my.shop_id, { status: "IN_TRANSIT", lines: [{ sku_id: sku, quantity: 1 }] })
    addAdjustment(sandbox.core.state, done, { amount: "-1.25", type: "SHIPPING_FEE_ADJUSTMENT" })
    sandbox.resetCalls()

    const escrows = await provider.getEscrows(my, [done.id, open.id])
    expect(escrows.map((e) => e.external_order_id)).toEqual([done.id])
    const [escrow] = escrows
    // Revenue 2 x (25.90 - 1.90) = 48; the sandbox's rates (sandbox/README.md) on it.
    expect(escrow).toEqual(
      expect.objectContaining({
        currency_code: "myr",
        buyer_total: "52.9",
        fees: {
          commission: "1.92",
          affiliate_commission: "0",
          transaction: "0.96",
          service: "1.44",
          tax: "0",
          shipping_actual: "2.4",
          shipping_rebate: "0.96",
          shipping_paid_by_buyer: "4.9",
        },
        // settlement 48 + (4.90 + 0.96 - 2.40) - (1.92 + 0.96 + 1.44) = 47.14, then the adjustment
        net_payout: "45.89",
        adjustments: [expect.objectContaining({ reason: "SHIPPING_FEE_ADJUSTMENT", amount: "-1.25" })],
      })
    )
    // One settlement call per order, then the statement list and the one statement's transactions.
    expect(sandbox.calls.map((c) => c.path.replace(/\d{10,}/, ":id"))).toEqual([
      "/finance/202501/orders/:id/statement_transactions",
      "/finance/202501/orders/:id/statement_transactions",
      "/finance/202309/statements",
      "/finance/202501/statements/:id/statement_transactions",
    ])
  })

  it("reads a closed statement's adjustments once: the next fetch lists the statements but reads no past day again", async () => {
    const my = sessions[0]
    const fresh = makeProvider()
    const sku = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "10" }] }).skus[0].id
    const done = sandbox.core.createOrder(my.shop_id, { status: "COMPLETED", lines: [{ sku_id: sku, quantity: 1 }] })
    // Created and settled five days ago; a penalty the day after, in that day's statement.
    const settled = Math.floor(Date.now() / 1000) - 5 * 86400
    Object.assign(done, { create_time: settled, settle_time: settled })
    const penalty = settled + 86400
    sandbox.core.state.adjustments.push({
      id: "7238800000000000001",
      shop_id: my.shop_id,
      order_id: done.id,
      type: "PLATFORM_PENALTY",
      amount: "-2.00",
      create_time: penalty,
      statement_id: statementFor(sandbox.core.state, my.shop_id, penalty).id,
    })
    const paths = () => sandbox.calls.map((c) => c.path.replace(/\d{10,}/, ":id"))
    sandbox.resetCalls()
    const [first] = await fresh.getEscrows(my, [done.id])
    expect(first.adjustments).toEqual([expect.objectContaining({ reason: "PLATFORM_PENALTY", amount: "-2", at: new Date(Math.floor(penalty / 86400) * 86400 * 1000) })])
    expect(paths()).toEqual([
      "/finance/202501/orders/:id/statement_transactions",
      "/finance/202309/statements",
      "/finance/202501/statements/:id/statement_transactions",
      "/finance/202501/statements/:id/statement_transactions",
    ])
    sandbox.resetCalls()
    const [second] = await fresh.getEscrows(my, [done.id])
    expect(second).toEqual(first)
    expect(paths()).toEqual(["/finance/202501/orders/:id/statement_transactions", "/finance/202309/statements"])
  })

  it("retries a settlement call that failed with a server error; a lasting rate limit fails the batch", async () => {
    const my = sessions[0]
    const sku = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "10" }] }).skus[0].id
    const done = sandbox.core.createOrder(my.shop_id, { status: "COMPLETED", lines: [{ sku_id: sku, quantity: 1 }] })
    const path = "/finance/202501/orders/{order_id}/statement_transactions"
    sandbox.addFault({ path, kind: "server_error", count: 1 })
    // 10 - fees 0.40 + 0.20 + 0.30 - carrier 0.50 + TikTok shipping discount 0.20
    expect((await provider.getEscrows(my, [done.id])).map((e) => e.net_payout)).toEqual(["8.8"])
    sandbox.addFault({ path, kind: "rate_limit", count: 10 })
    expect((await failure(provider.getEscrows(my, [done.id]))).kind).toBe("rate_limit")
    sandbox.clearFaults()
  })

  it("ships a package by pickup, reads its tracking number, and downloads its label once the 3PL has the number", async () => {
    const my = sessions[0]
    const sku = sandbox.core.createProduct(my.shop_id, { title: "Kopi", skus: [{ seller_sku: "K", price: "10" }] }).skus[0].id
    const order = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: sku, quantity: 2 }] })
    const parameters = await provider.getShippingParameters(my, order.id)
    expect(parameters.methods).toEqual(["pickup", "dropoff"])
    const wrong = await failure(provider.shipOrder(my, { external_order_id: order.id, method: "seller_shipping" }))
    expect(wrong.kind).toBe("not_allowed")

    sandbox.core.state.withholdTracking = 1
    await provider.shipOrder(my, { external_order_id: order.id, details: { pickup_start_time: 1700000000, pickup_end_time: 1700003600 } })
    const ship = sandbox.calls.filter((c) => c.path.endsWith("/ship"))
    expect(ship.map((c) => c.body)).toEqual([{ handover_method: "PICKUP", pickup_slot: { start_time: 1700000000, end_time: 1700003600 } }])
    expect(sandbox.core.order(order.id).status).toBe("AWAITING_COLLECTION")
    // A retried ship of a package already handed over counts as done.
    await provider.shipOrder(my, { external_order_id: order.id, package_id: order.package_ids[0] })

    // The 3PL has no number yet: no tracking, no label (asked again later).
    expect(await provider.getShipment(my, order.id)).toMatchObject({ package_id: order.package_ids[0], tracking_number: null, carrier: "J&T Express" })
    expect(await provider.getShippingDocument(my, order.id)).toBeNull()
    sandbox.core.releaseTracking(order.id)
    const shipment = await provider.getShipment(my, order.id, order.package_ids[0])
    expect(shipment.tracking_number).toBe(sandbox.core.order(order.id).tracking_number)
    const label = await provider.getShippingDocument(my, order.id, order.package_ids[0])
    expect(label?.content_type).toBe("application/pdf")
    expect(label?.content.subarray(0, 4).toString()).toBe("%PDF")

    // A seller-shipped package takes the seller's tracking number and has no TikTok label.
    const self = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: sku, quantity: 1 }], shipping_type: "SELLER" })
    expect((await provider.getShippingParameters(my, self.id)).methods).toEqual(["seller_shipping"])
    const missing = await failure(provider.shipOrder(my, { external_order_id: self.id }))
    expect(missing.kind).toBe("validation")
    await provider.shipOrder(my, { external_order_id: self.id, details: { tracking_number: "SELF123456", shipping_provider_id: "6617675021119438849" } })
    expect((await provider.getShipment(my, self.id)).tracking_number).toBe("SELF123456")
    expect((await failure(provider.getShippingDocument(my, self.id))).kind).toBe("not_allowed")
  })

  it("reads a split order as two packages, each with its own stage, tracking number and lines; ships the one still waiting", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Kopi", skus: [{ seller_sku: "K", price: "10" }, { seller_sku: "T", price: "4" }] })
    const [kopi, teh] = product.skus.map((s) => s.id)
    const order = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: kopi, quantity: 2 }, { sku_id: teh, quantity: 1 }] })
    const unitsOf = (sku: string) => order.units.filter((u) => u.sku_id === sku).map((u) => u.id)
    const [first, second] = sandbox.core.splitOrder(order.id, [unitsOf(kopi), unitsOf(teh)])

    await provider.shipOrder(my, { external_order_id: order.id, package_id: first.id })
    sandbox.core.advancePackage(first.id, "FULFILLING")
    let [read] = await provider.getOrders(my, [order.id])
    const lineOf = (sku: string) => read.items.find((i) => i.external_model_id === sku)!.line_id
    expect(read).toMatchObject({ status: "processed", external_status: "PARTIALLY_SHIPPING" })
    expect(read.packages).toEqual([
      { external_id: first.id, status: "FULFILLING", stage: "shipped", carrier: "J&T Express", tracking_number: first.tracking_number, items: [{ line_id: lineOf(kopi), quantity: 2 }] },
      { external_id: second.id, status: "TO_FULFILL", stage: "pending", carrier: "J&T Express", tracking_number: null, items: [{ line_id: lineOf(teh), quantity: 1 }] },
    ])
    expect(first.tracking_number).toMatch(/^JX/)

    // Without a package named, Ship Package goes to the package still waiting.
    sandbox.resetCalls()
    await provider.shipOrder(my, { external_order_id: order.id })
    expect(sandbox.calls.filter((c) => c.path.endsWith("/ship")).map((c) => c.path)).toEqual([`/fulfillment/202309/packages/${second.id}/ship`])
    expect(await provider.getShipment(my, order.id, second.id)).toMatchObject({ package_id: second.id, tracking_number: second.tracking_number })
    sandbox.core.advancePackage(first.id, "COMPLETED")
    ;[read] = await provider.getOrders(my, [order.id])
    expect(read.packages.map((p) => [p.stage, p.tracking_number])).toEqual([
      ["delivered", first.tracking_number],
      ["pending", second.tracking_number],
    ])
    sandbox.core.advancePackage(second.id, "COMPLETED")
    ;[read] = await provider.getOrders(my, [order.id])
    expect(read.status).toBe("delivered")
    expect(read.packages.map((p) => p.stage)).toEqual(["delivered", "delivered"])
  })

  it("reads a combined package on each of its orders, with that order's lines only", async () => {
    const my = sessions[0]
    const sku = sandbox.core.createProduct(my.shop_id, { title: "Kopi", skus: [{ seller_sku: "K", price: "10" }] }).skus[0].id
    const buyer = { user_id: "7021436810468230001", name: "Siti" }
    const a = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: sku, quantity: 2 }], buyer })
    const b = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: sku, quantity: 1 }], buyer })
    const pkg = sandbox.core.combineOrders([a.id, b.id])
    await provider.shipOrder(my, { external_order_id: b.id })
    sandbox.core.advancePackage(pkg.id, "FULFILLING")
    const orders = await provider.getOrders(my, [a.id, b.id])
    expect(orders.map((o) => o.status)).toEqual(["shipped", "shipped"])
    for (const order of orders) {
      expect(order.packages).toEqual([{ external_id: pkg.id, status: "FULFILLING", stage: "shipped", carrier: "J&T Express", tracking_number: pkg.tracking_number, items: [] }])
    }
    expect(orders.map((o) => o.items.map((i) => i.quantity))).toEqual([[2], [1]])
    expect(await provider.getShipment(my, a.id)).toMatchObject({ package_id: pkg.id, tracking_number: pkg.tracking_number })
  })

  it("cancels as the seller with the reason for the order's status; a shipped order is refused as not allowed", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Kopi", skus: [{ seller_sku: "A", price: "10" }, { seller_sku: "B", price: "5" }] })
    const [a, b] = product.skus.map((s) => s.id)
    const order = sandbox.core.createOrder(my.shop_id, { lines: [{ sku_id: a, quantity: 2 }, { sku_id: b, quantity: 1 }] })
    await provider.cancelOrder(my, {
      external_order_id: order.id,
      reason: "out_of_stock",
      items: [
        { external_item_id: product.id, external_model_id: a },
        { external_item_id: product.id, external_model_id: b },
      ],
    })
    const [call] = sandbox.calls.filter((c) => c.path === "/return_refund/202309/cancellations")
    expect(call.body).toEqual({ order_id: order.id, cancel_reason: "seller_cancel_reason_out_of_stock", skus: [{ sku_id: a, quantity: 2 }, { sku_id: b, quantity: 1 }] })
    expect(sandbox.core.order(order.id).status).toBe("CANCELLED")

    const unpaid = sandbox.core.createOrder(my.shop_id, { status: "UNPAID", lines: [{ sku_id: a, quantity: 1 }] })
    await provider.cancelOrder(my, { external_order_id: unpaid.id, reason: "customer_request" })
    expect(sandbox.calls.filter((c) => c.path === "/return_refund/202309/cancellations").at(-1)?.body).toEqual({
      order_id: unpaid.id,
      cancel_reason: "seller_cancel_unpaid_reason_buyer_requested_cancellation",
    })

    const shipped = sandbox.core.createOrder(my.shop_id, { status: "IN_TRANSIT", lines: [{ sku_id: a, quantity: 1 }] })
    const refused = await failure(provider.cancelOrder(my, { external_order_id: shipped.id, reason: "wrong_price" }))
    expect([refused.kind, refused.code]).toEqual(["not_allowed", "25001045"])
    expect((await failure(provider.cancelOrder(my, { external_order_id: order.id, reason: "teleport" }))).kind).toBe("validation")
  })

  it("maps lines, discounts and shipping so the totals agree", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "25.90" }, { seller_sku: "MUG-02", price: "30" }] })
    const created = sandbox.core.createOrder(my.shop_id, {
      shipping_fee: "4.90",
      lines: [
        { sku_id: product.skus[0].id, quantity: 2, seller_discount: "1.90" },
        { sku_id: product.skus[1].id, quantity: 1, platform_discount: "3" },
      ],
    })
    const [order] = await provider.getOrders(my, [created.id])
    expect(order.channel).toBeNull()
    expect(order.items.map((i) => [i.sku, i.quantity, i.unit_price])).toEqual([
      ["MUG-01", 2, "25.9"],
      ["MUG-02", 1, "30"],
    ])
    expect(order.discount_total).toBe("6.8")
    expect(order.shipping.amount).toBe("4.9")
    // 2 x 25.90 + 30 - (2 x 1.90 + 3) + 4.90
    expect(order.total).toBe("79.9")
  })

  it("maps the sandbox's errors to kinds", async () => {
    const my = sessions[0]
    sandbox.core.state.tokens.expire(sandbox.core.shop(my.shop_id).seller_open_id)
    expect((await failure(provider.listChangedOrders(my, window()))).kind).toBe("auth")
    const wrongSecret = makeProvider({ appSecret: "not-the-secret" })
    expect((await failure(wrongSecret.listChangedOrders(my, window()))).kind).toBe("signature")
    const noCipher = { ...my, metadata: {} }
    expect((await failure(provider.getOrders(noCipher, ["1"]))).kind).toBe("validation")
  })

  it("gives up on a lasting 429 with a rate-limit error", async () => {
    sandbox.core.addFault({ path: "/order/202309/orders/search", kind: "rate_limit", count: 10 })
    const quick = makeProvider({ maxRetries: 1, retryBudgetMs: 200 })
    const err = await failure(quick.listChangedOrders(sessions[0], window()))
    expect(err.kind).toBe("rate_limit")
  })

  it("pushes stock per product and reports per-SKU failures", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "25.90", warehouse_ids: ["WH1", "WH2"] }] })
    const sku = product.skus[0]
    const listings = await provider.listListings(my, {})
    expect(listings.items).toEqual([expect.objectContaining({ external_item_id: product.id, external_model_id: sku.id, sku: "MUG-01", stock: 20 })])
    const results = await provider.pushStock(my, [
      { external_item_id: product.id, external_model_id: sku.id, quantity: 4, external_location_id: "WH1" },
      { external_item_id: product.id, external_model_id: sku.id, quantity: 6, external_location_id: "WH2" },
      { external_item_id: product.id, external_model_id: "404", quantity: 1 },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, true, false])
    expect(sku.inventory.map((w) => w.quantity)).toEqual([4, 6])
  })

  it("pushes prices in the shop's currency and reports per-SKU failures", async () => {
    const my = sessions[0]
    const product = sandbox.core.createProduct(my.shop_id, { title: "Mug", skus: [{ seller_sku: "MUG-01", price: "25.90" }] })
    const results = await provider.pushPrice(my, [
      { external_item_id: product.id, external_model_id: product.skus[0].id, price: "27.50" },
      { external_item_id: product.id, external_model_id: "404", price: "1" },
    ])
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(product.skus[0].price).toBe("27.50")
    const body = sandbox.calls.find((c) => c.path.endsWith("/prices/update"))?.body as { skus: { price: { currency: string } }[] }
    expect(body.skus[0].price.currency).toBe("MYR")
  })
})

describe("TikTok Shop webhooks from the sandbox", () => {
  let server: Server
  const received: WebhookRequest[] = []
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ raw_body: Buffer.concat(chunks), headers: req.headers, url: `http://127.0.0.1${req.url}` })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("verifies and parses the sandbox's signed pushes", async () => {
    sandbox.setPushConfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/marketplace/tiktok-shop`)
    const shop = sessions[1].shop_id
    const product = sandbox.core.createProduct(shop, { title: "Kopi", skus: [{ seller_sku: "K", price: "1000" }] })
    const order = sandbox.core.createOrder(shop, { lines: [{ sku_id: product.skus[0].id, quantity: 1 }] })
    sandbox.core.orders.advance(order, "CANCELLED")
    sandbox.core.deauthorize(sandbox.core.shop(shop).seller_open_id)
    await sandbox.flushPushes()
    const deadline = Date.now() + 3000
    while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(received.every((r) => provider.verifyWebhook(r).valid)).toBe(true)
    const events = received.flatMap((r) => provider.parseWebhook(r))
    expect(events.filter((e) => e.external_shop_id === shop).map((e) => [e.type, e.external_status ?? null])).toEqual(
      expect.arrayContaining([
        ["order.status_changed", "AWAITING_SHIPMENT"],
        ["order.status_changed", "CANCELLED"],
        ["shop.deauthorized", null],
      ])
    )
    const tampered = { ...received[0], raw_body: Buffer.from(received[0].raw_body.toString().replace("}", ' }')) }
    expect(provider.verifyWebhook(tampered)).toEqual({ valid: false, reason: "bad_signature" })
  })
})
