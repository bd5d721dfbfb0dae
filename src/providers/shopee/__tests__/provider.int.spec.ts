import axios from "axios"
import { createServer, IncomingMessage, Server } from "http"
import { AddressInfo } from "net"
import { startShopeeSandbox, type ShopeeSandbox } from "../../../../sandbox/shopee/server"
import { MarketplaceApiError } from "../../errors"
import type { ShopSession, WebhookRequest } from "../../types"
import { ShopeeProvider } from "../provider"
import { PARTNER_ID, PARTNER_KEY, PUSH_KEY, silentLogger } from "./helpers"

/**
 * The provider against the local Shopee sandbox (sandbox/shopee), endpoint by endpoint. The sandbox is written
 * from the Open Platform documentation independently of this provider.
 */
let sandbox: ShopeeSandbox
let provider: ShopeeProvider
let session: ShopSession
let shopId: number

const DAY = 86400_000

function window(): { updated_from: Date; updated_to: Date } {
  return { updated_from: new Date(Date.now() - DAY), updated_to: new Date(Date.now() + 60_000) }
}

function callsTo(path: string): { status: number; error: string; query: Record<string, string | string[]>; body: unknown }[] {
  return sandbox.calls.filter((c) => c.path === path)
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

function makeProvider(extra: Record<string, unknown> = {}): ShopeeProvider {
  return new ShopeeProvider(
    { logger: silentLogger },
    {
      partnerId: PARTNER_ID,
      partnerKey: PARTNER_KEY,
      pushKey: PUSH_KEY,
      baseUrl: sandbox.url,
      callsPerSecond: 1000,
      maxRetries: 3,
      retryBaseMs: 5,
      timeoutMs: 1500,
      trackingPollDelays: [20, 20, 20],
      documentPollDelays: [20, 20, 20],
      disputeEmail: "seller@example.com",
      ...extra,
    }
  )
}

beforeAll(async () => {
  sandbox = await startShopeeSandbox({
    port: 0,
    partnerId: PARTNER_ID,
    partnerKey: PARTNER_KEY,
    pushKey: PUSH_KEY,
    seed: 42,
    faultTimeoutMs: 3000,
  })
  provider = makeProvider()
  shopId = sandbox.createShop({ shop_name: "Provider test shop", region: "SG" }).shop_id
  sandbox.seedDemoCatalogue(shopId) // orders need listings in stock
})

afterAll(async () => {
  await sandbox?.close()
})

describe("OAuth", () => {
  it("follows the auth_partner page's confirm link and exchanges the code", async () => {
    const { url } = await provider.getAuthorizationUrl({ redirect_url: "http://admin.local/app/marketplaces/callback", state: "st_abc" })
    const page = await axios.get<string>(url, { responseType: "text" })
    const links = [...page.data.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#38;/g, "&").replace(/&amp;/g, "&"))
    const confirm = links.find((href) => href.includes(`shop_id=${shopId}`))
    expect(confirm).toBeDefined()
    const redirect = await axios.get(new URL(confirm as string, sandbox.url).toString(), { maxRedirects: 0, validateStatus: () => true })
    expect(redirect.status).toBe(302)
    const callback = new URL(redirect.headers.location as string)
    const params = Object.fromEntries(callback.searchParams.entries())
    expect(provider.extractState(params)).toBe("st_abc")

    const grant = await provider.exchangeCode({ params, redirect_url: "http://admin.local/app/marketplaces/callback" })
    // A Shopee grant covers exactly the one shop that authorized.
    expect(grant.shops).toHaveLength(1)
    const [shop] = grant.shops
    expect(shop).toMatchObject({ shop_id: String(shopId), name: "Provider test shop", region: "SG", currency_code: "sgd" })
    expect(grant.tokens.access_token).toBeTruthy()
    expect(grant.tokens.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000)
    session = {
      connection_id: "conn_int",
      shop_id: shop.shop_id,
      region: shop.region,
      access_token: grant.tokens.access_token,
      metadata: shop.metadata,
    }
    // the code is single use
    const again = await failure(provider.exchangeCode({ params, redirect_url: "http://admin.local/app/marketplaces/callback" }))
    expect(again.kind).toBe("auth")
    ;(session as ShopSession & { refresh_token?: string }).refresh_token = grant.tokens.refresh_token
  })

  it("refreshes into a new pair and refuses the old refresh token", async () => {
    const old = (session as ShopSession & { refresh_token?: string }).refresh_token as string
    const tokens = await provider.refreshToken({ shop_ids: [session.shop_id], refresh_token: old })
    expect(tokens.refresh_token).not.toBe(old)
    expect(tokens.access_token).not.toBe(session.access_token)
    session.access_token = tokens.access_token
    const error = await failure(provider.refreshToken({ shop_ids: [session.shop_id], refresh_token: old }))
    expect(error.kind).toBe("auth")
    expect(callsTo("/api/v2/auth/access_token/get")).toHaveLength(2) // not retried
  })
})

describe("orders", () => {
  let orderSns: string[] = []

  beforeAll(() => {
    orderSns = sandbox.createOrders(shopId, { count: 130, status: "READY_TO_SHIP" }).map((o) => o.order_sn)
  })

  it("lists more than 100 changed orders with cursor paging", async () => {
    sandbox.resetCalls()
    const seen: string[] = []
    let token: string | null = null
    let pages = 0
    const walk = window()
    do {
      const page = await provider.listChangedOrders(session, { ...walk, page_token: token })
      seen.push(...page.items.map((i) => i.external_id))
      token = page.next_page_token
      pages++
    } while (token && pages < 10)
    expect(new Set(seen)).toEqual(new Set(orderSns))
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(callsTo("/api/v2/order/get_order_list")).toHaveLength(pages)
    expect(callsTo("/api/v2/order/get_order_list")[0].query.page_size).toBe("100")
  })

  it("gets details in batches of 50", async () => {
    sandbox.resetCalls()
    const orders = await provider.getOrders(session, orderSns)
    expect(orders).toHaveLength(130)
    const batches = callsTo("/api/v2/order/get_order_detail").map((c) => String(c.query.order_sn_list).split(",").length)
    expect(batches).toEqual([50, 50, 30])
    const order = orders.find((o) => o.external_id === orderSns[0])!
    const truth = sandbox.getOrder(orderSns[0]) as Record<string, unknown>
    expect(order.status).toBe("paid")
    expect(order.currency_code).toBe(String(truth.currency).toLowerCase())
    expect(order.total).toBe(String(truth.total_amount))
    expect(order.items.length).toBeGreaterThan(0)
    expect(order.items.reduce((n, i) => n + i.quantity, 0)).toBeGreaterThan(0)
    expect(order.shipping_address?.country_code).toBe("sg")
  })

  it("reads the tracking numbers of 60 shipped orders in 2 calls, with no call per order", async () => {
    sandbox.seedItems(shopId, [{ item_name: "Tracking test item", item_sku: "TRACK-1", price: 10, stock: 1000 }])
    const created = sandbox.createOrders(shopId, { count: 60, status: "SHIPPED" })
    const shipped = created.map((o) => o.order_sn)
    const fresh = sandbox.createOrders(shopId, { count: 5, status: "READY_TO_SHIP" }).map((o) => o.order_sn)
    sandbox.resetCalls()
    const orders = await provider.getOrders(session, [...shipped, ...fresh, "", " ", shipped[0]])
    expect(orders).toHaveLength(65)
    expect(callsTo("/api/v2/order/get_order_detail").map((c) => String(c.query.order_sn_list).split(",").length)).toEqual([50, 15])
    const mass = callsTo("/api/v2/logistics/get_mass_tracking_number")
    expect(mass.map((c) => (c.body as { package_list: unknown[] }).package_list.length)).toEqual([50, 10])
    expect(callsTo("/api/v2/logistics/get_tracking_number")).toHaveLength(0)
    expect(sandbox.calls).toHaveLength(4)
    for (const truth of created) {
      const order = orders.find((o) => o.external_id === truth.order_sn)!
      expect(order.packages[0].tracking_number).toBe(truth.tracking_number)
      expect(truth.tracking_number).toMatch(/^SPX/)
    }
    expect(orders.filter((o) => fresh.includes(o.external_id)).every((o) => o.packages.every((p) => !p.tracking_number))).toBe(true)
  })

  it("leaves the tracking numbers out with { tracking: false } and fills them across orders with fillTrackingNumbers", async () => {
    const created = sandbox.createOrders(shopId, { count: 30, status: "SHIPPED" })
    const ids = created.map((o) => o.order_sn)
    sandbox.resetCalls()
    const first = await provider.getOrders(session, ids.slice(0, 20), { tracking: false })
    const second = await provider.getOrders(session, ids.slice(20), { tracking: false })
    expect(callsTo("/api/v2/logistics/get_mass_tracking_number")).toHaveLength(0)
    expect([...first, ...second].every((o) => o.packages.every((p) => p.tracking_number === null))).toBe(true)
    // The packages of both detail batches in one call.
    await provider.fillTrackingNumbers(session, [...first, ...second])
    const mass = callsTo("/api/v2/logistics/get_mass_tracking_number")
    expect(mass.map((c) => (c.body as { package_list: unknown[] }).package_list.length)).toEqual([30])
    for (const truth of created) {
      const order = [...first, ...second].find((o) => o.external_id === truth.order_sn)!
      expect(order.packages[0].tracking_number).toBe(truth.tracking_number)
    }
    // Nothing left to read: no call.
    await provider.fillTrackingNumbers(session, first)
    expect(callsTo("/api/v2/logistics/get_mass_tracking_number")).toHaveLength(1)
  })

  it("sends no call for an empty or blank id list", async () => {
    sandbox.resetCalls()
    expect(await provider.getOrders(session, [])).toEqual([])
    expect(await provider.getOrders(session, ["", "  "])).toEqual([])
    expect(await provider.getEscrows(session, [])).toEqual([])
    expect(sandbox.calls).toHaveLength(0)
  })

  it("leaves out unknown orders", async () => {
    const orders = await provider.getOrders(session, [orderSns[1], "NOPE0000000000"])
    expect(orders.map((o) => o.external_id)).toEqual([orderSns[1]])
  })

  it("reads escrow in a batch, with adjustments", async () => {
    const sn = orderSns[2]
    for (const status of ["PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"] as const) {
      sandbox.advanceOrder(sn, status)
    }
    sandbox.addEscrowAdjustment(sn, { amount: -1.5, reason: "logistic issue deduction" })
    sandbox.resetCalls()
    const escrows = await provider.getEscrows(session, [sn, orderSns[3]])
    expect(callsTo("/api/v2/payment/get_escrow_detail_batch")).toHaveLength(1)
    const escrow = escrows.find((e) => e.external_order_id === sn)!
    const truth = sandbox.getEscrow(sn) as { order_income: Record<string, unknown> }
    expect(escrow.currency_code).toBe("sgd")
    expect(escrow.adjustments).toEqual([expect.objectContaining({ amount: "-1.5", reason: "logistic issue deduction" })])
    expect(escrow.net_payout).toBe(String(truth.order_income.escrow_amount_after_adjustment))
    expect(escrow.fees.commission).toBe(String(truth.order_income.commission_fee))
  })

  it("arranges shipment, reads tracking and downloads the airway bill", async () => {
    const sn = orderSns[4]
    const parameters = await provider.getShippingParameters(session, sn)
    expect(parameters.methods.length).toBeGreaterThan(0)
    await provider.shipOrder(session, { external_order_id: sn })
    const [order] = await provider.getOrders(session, [sn])
    expect(order.status).toBe("processed")
    const shipment = await provider.getShipment(session, sn)
    expect(shipment.tracking_number).toBeTruthy()
    const document = await provider.getShippingDocument(session, sn)
    expect(document).not.toBeNull()
    expect(document!.content.subarray(0, 4).toString()).toBe("%PDF")
  })

  it("cancels before shipping and refuses after", async () => {
    await provider.cancelOrder(session, { external_order_id: orderSns[5], reason: "customer_request" })
    const [cancelled] = await provider.getOrders(session, [orderSns[5]])
    expect(["cancelled", "cancel_requested"]).toContain(cancelled.status)
    const [line] = (await provider.getOrders(session, [orderSns[6]]))[0].items
    await provider.cancelOrder(session, {
      external_order_id: orderSns[6],
      reason: "out_of_stock",
      items: [{ external_item_id: line.external_item_id, external_model_id: line.external_model_id }],
    })
    // "This action can only be performed before the order has been shipped."
    sandbox.advanceOrder(orderSns[7], "PROCESSED")
    sandbox.advanceOrder(orderSns[7], "SHIPPED")
    sandbox.resetCalls()
    const error = await failure(provider.cancelOrder(session, { external_order_id: orderSns[7], reason: "customer_request" }))
    expect(error.kind).toBe("not_allowed")
    expect(callsTo("/api/v2/order/cancel_order")).toHaveLength(1)
  })

  it("fails with auth when the access token expired", async () => {
    sandbox.expireToken(shopId)
    const error = await failure(provider.getOrders(session, [orderSns[0]]))
    expect(error.kind).toBe("auth")
    const issued = sandbox.issueTokens(shopId)
    session.access_token = issued.access_token
  })
})

describe("returns", () => {
  let returnSn: string
  let otherSn: string

  beforeAll(() => {
    const [a, b] = sandbox.createOrders(shopId, { count: 2, status: "COMPLETED" })
    returnSn = sandbox.createReturn(a.order_sn, {}).return_sn
    otherSn = sandbox.createReturn(b.order_sn, {}).return_sn
  })

  it("lists returns by update time with page numbers", async () => {
    const page = await provider.listReturns(session, window())
    expect(page.items.map((r) => r.external_id)).toEqual(expect.arrayContaining([String(returnSn), String(otherSn)]))
    expect(page.items.every((r) => r.status === "requested")).toBe(true)
  })

  it("pages over more than 100 returns with the next page number as token", async () => {
    sandbox.seedItems(shopId, [{ item_name: "Plenty", item_sku: "PLENTY", price: 5, stock: 100000 }])
    const orders = sandbox.createOrders(shopId, { count: 105, status: "COMPLETED" })
    const created = orders.map((o) => String(sandbox.createReturn(o.order_sn, {}).return_sn))
    sandbox.resetCalls()
    const seen: string[] = []
    let token: string | null = null
    const walk = window()
    do {
      const page = await provider.listReturns(session, { ...walk, page_token: token })
      seen.push(...page.items.map((r) => r.external_id))
      token = page.next_page_token
    } while (token)
    expect(seen).toEqual(expect.arrayContaining(created))
    expect(new Set(seen).size).toBe(seen.length)
    expect(callsTo("/api/v2/returns/get_return_list").map((c) => c.query.page_no)).toEqual(["0", "1"])
  })

  it("gets, accepts and disputes returns", async () => {
    const ret = await provider.getReturn(session, String(returnSn))
    expect(ret).toMatchObject({ external_id: String(returnSn), status: "requested" })
    await provider.acceptReturn(session, String(returnSn))
    expect((await provider.getReturn(session, String(returnSn))).status).toBe("accepted")
    await provider.disputeReturn(session, String(otherSn), { reason: "1", text: "Parcel arrived empty" })
    expect((await provider.getReturn(session, String(otherSn))).status).toBe("disputed")
  })

  it("does not retry a refused request: exactly one call", async () => {
    sandbox.resetCalls()
    const error = await failure(provider.getReturn(session, "999999999999"))
    expect(["not_found", "validation"]).toContain(error.kind)
    expect(callsTo("/api/v2/returns/get_return_detail")).toHaveLength(1)
  })
})

describe("listings, stock and prices", () => {
  let bigItemId: string

  beforeAll(() => {
    const [big] = sandbox.seedItems(shopId, [
      {
        item_name: "Sixty-model item",
        item_sku: "BIG",
        tier_variation: [{ name: "Number", options: Array.from({ length: 60 }, (_, i) => `N${i + 1}`) }],
        models: Array.from({ length: 60 }, (_, i) => ({ model_sku: `BIG-${i + 1}`, tier_index: [i], price: 10, stock: 5 })),
      },
    ])
    bigItemId = String(big.item_id)
  })

  it("lists every item and model, model 0 for items without variations", async () => {
    const listings = []
    let token: string | null = null
    do {
      const page = await provider.listListings(session, { page_token: token })
      listings.push(...page.items)
      token = page.next_page_token
    } while (token)
    const expected = sandbox.listItems(shopId).reduce((n, item) => n + Math.max(1, item.models?.length ?? 0), 0)
    expect(listings).toHaveLength(expected)
    expect(listings.filter((l) => l.external_item_id === bigItemId)).toHaveLength(60)
    expect(listings.every((l) => l.price === null || /^\d+(\.\d+)?$/.test(l.price))).toBe(true)
    const simple = sandbox.listItems(shopId).find((i) => !i.has_model)
    expect(simple).toBeDefined()
    expect(listings.find((l) => l.external_item_id === String(simple!.item_id))?.external_model_id).toBe("0")
  })

  it("pushes stock for 60 models of one item in two calls", async () => {
    const models = sandbox.listItems(shopId).find((i) => String(i.item_id) === bigItemId)!.models
    sandbox.resetCalls()
    const results = await provider.pushStock(
      session,
      models.map((m, i) => ({ external_item_id: bigItemId, external_model_id: String(m.model_id), quantity: 100 + i }))
    )
    expect(callsTo("/api/v2/product/update_stock")).toHaveLength(2)
    expect(results).toHaveLength(60)
    expect(results.every((r) => r.ok)).toBe(true)
    const after = sandbox.listItems(shopId).find((i) => String(i.item_id) === bigItemId)!.models
    expect(after.map((m) => m.stock)).toEqual(models.map((_, i) => 100 + i))
  })

  it("pushes prices for 60 models of one item in two calls", async () => {
    const models = sandbox.listItems(shopId).find((i) => String(i.item_id) === bigItemId)!.models
    sandbox.resetCalls()
    const results = await provider.pushPrice(
      session,
      models.map((m) => ({ external_item_id: bigItemId, external_model_id: String(m.model_id), price: "12.50" }))
    )
    expect(callsTo("/api/v2/product/update_price")).toHaveLength(2)
    expect(results.every((r) => r.ok)).toBe(true)
    const after = sandbox.listItems(shopId).find((i) => String(i.item_id) === bigItemId)!.models
    expect(after.every((m) => m.original_price === 12.5)).toBe(true)
  })
})

describe("retries", () => {
  const LIST = "/api/v2/order/get_order_list"

  afterEach(() => sandbox.clearFaults())

  it.each(["rate_limit", "server_error", "http_500", "http_503"] as const)("retries %s and succeeds once the faults clear", async (kind) => {
    sandbox.resetCalls()
    sandbox.addFault({ path: LIST, kind, count: 2 })
    await provider.listChangedOrders(session, window())
    expect(callsTo(LIST)).toHaveLength(3)
  })

  it("gives up after maxRetries when the faults do not clear", async () => {
    sandbox.resetCalls()
    sandbox.addFault({ path: LIST, kind: "http_503", count: 50 })
    const error = await failure(provider.listChangedOrders(session, window()))
    expect(error.kind).toBe("server")
    expect(callsTo(LIST)).toHaveLength(4)
  })

  it("gives up on a rate limit that does not clear", async () => {
    sandbox.resetCalls()
    sandbox.addFault({ path: LIST, kind: "rate_limit", count: 50 })
    const error = await failure(provider.listChangedOrders(session, window()))
    expect(error.kind).toBe("rate_limit")
    expect(callsTo(LIST)).toHaveLength(4)
  })

  it("repeats a read that timed out, not a write", async () => {
    const quick = makeProvider({ timeoutMs: 300 })
    sandbox.resetCalls()
    sandbox.addFault({ path: LIST, kind: "timeout", count: 1 })
    await quick.listChangedOrders(session, window())
    expect(callsTo(LIST)).toHaveLength(2)

    const [order] = sandbox.createOrders(shopId, { count: 1, status: "READY_TO_SHIP" })
    sandbox.addFault({ path: "/api/v2/order/cancel_order", kind: "timeout", count: 1 })
    const error = await failure(quick.cancelOrder(session, { external_order_id: order.order_sn, reason: "customer_request" }))
    expect(error.kind).toBe("network")
    expect(callsTo("/api/v2/order/cancel_order")).toHaveLength(1)
  })
})

describe("push", () => {
  let receiver: Server
  let received: WebhookRequest[] = []
  let callbackUrl: string

  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({
          raw_body: Buffer.concat(chunks),
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
          url: callbackUrl,
        })
        res.writeHead(200)
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/marketplace/shopee`
  })

  afterAll(async () => {
    sandbox.setPushConfig(null)
    await new Promise((resolve) => receiver.close(resolve))
  })

  it("verifies and parses live pushes signed by the sandbox", async () => {
    received = []
    sandbox.setPushConfig(callbackUrl)
    const [order] = sandbox.createOrders(shopId, { count: 1, status: "READY_TO_SHIP" })
    sandbox.advanceOrder(order.order_sn, "PROCESSED")
    await sandbox.flushPushes()
    expect(received.length).toBeGreaterThan(0)
    const events = received.flatMap((request) => {
      expect(provider.verifyWebhook(request)).toEqual({ valid: true })
      return provider.parseWebhook(request)
    })
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "order.status_changed", external_order_id: order.order_sn, external_status: "PROCESSED" }),
      ])
    )
    const tampered = { ...received[0], raw_body: Buffer.from(received[0].raw_body.toString().replace(/}$/, ' }')) }
    expect(provider.verifyWebhook(tampered)).toEqual({ valid: false, reason: "bad_signature" })
  })

  it("lists and acknowledges lost pushes", async () => {
    sandbox.setPushConfig("http://127.0.0.1:1/unreachable")
    const [order] = sandbox.createOrders(shopId, { count: 1, status: "READY_TO_SHIP" })
    sandbox.advanceOrder(order.order_sn, "PROCESSED")
    await sandbox.flushPushes()
    const { events, ack_token } = await provider.listMissedEvents()
    expect(ack_token).not.toBeNull()
    expect(events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "order.status_changed", external_order_id: order.order_sn })])
    )
    const lost = sandbox.pushes.find((p) => !p.ok && p.body.includes(order.order_sn))!
    expect(events.find((e) => e.external_order_id === order.order_sn)!.idempotency_key).toBe(lost.msg_id)
    await provider.ackMissedEvents(ack_token as string)
    const after = await provider.listMissedEvents()
    expect(after.events.filter((e) => e.external_order_id === order.order_sn)).toHaveLength(0)
  })
})
