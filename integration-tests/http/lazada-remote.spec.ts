import { createServer, type IncomingMessage, type Server } from "http"
import type { AddressInfo } from "net"
import { tmpdir } from "os"
import { join } from "path"
import { lazadaPushAuthorization } from "../../sandbox/lazada"
import { LAZADA_APP_KEY, LAZADA_APP_SECRET, lazadaDriver } from "../platforms/lazada/driver"
import { freePort } from "../platforms/remote"
import type { RemoteSandbox } from "../platforms/types"
import { LazadaProvider } from "../../src/providers/lazada/provider"

jest.setTimeout(120000)

type Received = { body: string; authorization: string | undefined }

async function until<T>(read: () => T | undefined, ms = 10000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error("timed out")
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * The Lazada sandbox as a process of its own (the sandbox CLI) behind the driver's RemoteSandbox: everything
 * bench/chaos.ts asks of it, and the pushes it sends, checked with the sandbox's own signing code.
 */
describe("Lazada sandbox process (driver.startProcess)", () => {
  const driver = lazadaDriver()
  let remote: RemoteSandbox
  let hook: Server
  let hookUrl: string
  const received: Received[] = []

  beforeAll(async () => {
    remote = await driver.startProcess({ port: await freePort(), logFile: join(tmpdir(), `lazada-remote-spec-${process.pid}.log`), seed: 7 })
    hook = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), authorization: req.headers.authorization })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve))
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/marketplace/lazada`
  })
  /** The provider pointed at the sandbox process, and a session of one of its SG shops. */
  const providerFor = (shopId: string, accessToken: string) => ({
    provider: new LazadaProvider({ logger: { info() {}, warn() {}, error() {}, debug() {} } } as never, {
      appKey: remote.appEnv.LAZADA_APP_KEY,
      appSecret: remote.appEnv.LAZADA_APP_SECRET,
      authUrl: remote.appEnv.LAZADA_AUTH_URL,
      apiUrlTemplate: remote.appEnv.LAZADA_API_URL_TEMPLATE,
      maxRetries: 0,
    } as never),
    session: { connection_id: "conn_remote", shop_id: shopId, region: "sg", access_token: accessToken, metadata: { country: "sg" } },
  })

  afterAll(async () => {
    await remote?.stop()
    await new Promise((resolve) => hook?.close(resolve))
  })

  it("serves the app's environment, shops, tokens, listings and orders over its control API", async () => {
    expect(remote.pid).toEqual(expect.any(Number))
    expect(remote.appEnv).toEqual({
      LAZADA_APP_KEY,
      LAZADA_APP_SECRET,
      LAZADA_AUTH_URL: `${remote.url}/lazada/auth`,
      LAZADA_API_URL_TEMPLATE: `${remote.url}/lazada/{country}/rest`,
    })
    const shop = await remote.createShop({ name: "Remote shop" })
    expect(shop).toEqual({ id: expect.stringMatching(/^\d+$/), name: "Remote shop", metadata: { country: "sg" } })
    const tokens = await remote.issueTokens(shop.id)
    expect(tokens).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in_seconds: 7 * 24 * 3600 })
    await remote.createListings(shop.id, [{ name: "Remote tee", sku: "REMOTE-A", price: 12.5, stock: 100 }])

    const order = await remote.createOrder(shop.id, { status: "unpaid", items: [{ sku: "remote-a", quantity: 2 }] })
    expect(order).toEqual(expect.objectContaining({ shop_id: shop.id, status: "unpaid", external_status: "unpaid", total: 25 }))
    expect(order.lines).toEqual([expect.objectContaining({ sku: "REMOTE-A", quantity: 2 })])

    // Forward through every step between (a package and a tracking code on the way), then as far as it goes.
    const processed = await remote.advanceOrder(order.id, "processed")
    expect(processed).toEqual(expect.objectContaining({ status: "processed", external_status: "ready_to_ship", tracking_number: expect.stringMatching(/^LZ/) }))
    expect(processed.updated_at).toBeGreaterThan(order.updated_at)
    const delivered = await remote.advanceOrder(order.id, "delivered")
    expect(delivered.status).toBe("delivered")
    // Lazada has no "completed": the order stays delivered, unchanged.
    expect(await remote.advanceOrder(order.id, "completed")).toEqual(delivered)
    expect(await remote.order(order.id)).toEqual(delivered)

    // A buyer's cancellation request, then the cancellation.
    const other = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "REMOTE-A", quantity: 1 }] })
    expect((await remote.advanceOrder(other.id, "cancel_requested")).status).toBe("cancel_requested")
    const cancelled = await remote.advanceOrder(other.id, "cancelled")
    expect(cancelled).toEqual(expect.objectContaining({ status: "cancelled", external_status: "canceled" }))
  })

  it("pushes each order line's change, signed, and the driver signs the same push", async () => {
    const shop = await remote.createShop({ name: "Push shop" })
    await remote.createListings(shop.id, [{ name: "Push tee", sku: "PUSH-A", price: 9, stock: 10 }])
    const res = await fetch(`${remote.url}/sandbox/push-config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callback_url: hookUrl }),
    })
    expect(res.status).toBe(200)
    const order = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "PUSH-A", quantity: 1 }] })
    const shipped = await remote.advanceOrder(order.id, "shipped")

    // One push on creation, then one per step: packed, ready_to_ship, shipped.
    const pushes = await until(() => (received.length >= 4 ? received.slice(0, 4) : undefined))
    for (const push of pushes) expect(push.authorization).toBe(lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, push.body))
    const bodies = pushes.map((p) => JSON.parse(p.body)).sort((a, b) => a.data.status_update_time - b.data.status_update_time)
    expect(bodies.map((b) => [b.message_type, b.seller_id, b.data.trade_order_id, b.data.order_status])).toEqual([
      [0, shop.id, order.id, "pending"],
      [0, shop.id, order.id, "packed"],
      [0, shop.id, order.id, "ready_to_ship"],
      [0, shop.id, order.id, "shipped"],
    ])
    expect(bodies[3].data.status_update_time).toBe(shipped.updated_at)

    // What the chaos bench delivers: the driver's push for the order as read back, signed as the sandbox signs.
    const push = driver.orderStatusPush(hookUrl, { shopId: shop.id, orderId: order.id, status: shipped.status, time: shipped.updated_at })
    const body = JSON.parse(push.body)
    expect(body).toEqual(expect.objectContaining({ seller_id: shop.id, message_type: 0 }))
    expect(body.data).toEqual({ order_status: "shipped", trade_order_id: order.id, trade_order_line_id: bodies[3].data.trade_order_line_id, status_update_time: shipped.updated_at })
    expect(push.headers.authorization).toBe(lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, push.body))
  })

  it("serves the seller's cancellation to the provider: validated, cancelled per unit, each line pushed; faults by operation", async () => {
    const shop = await remote.createShop({ name: "Cancel shop" })
    const tokens = await remote.issueTokens(shop.id)
    await remote.createListings(shop.id, [{ name: "Cancel tee", sku: "CANCEL-A", price: 9, stock: 10 }])
    await fetch(`${remote.url}/sandbox/push-config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ callback_url: hookUrl }) })
    const order = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "CANCEL-A", quantity: 2 }] })
    const { provider, session } = providerFor(shop.id, tokens.access_token)

    await remote.addFault({ operation: "cancel_order", kind: "server_error", count: 1 })
    await expect(provider.cancelOrder(session, { external_order_id: order.id, reason: "out_of_stock" })).rejects.toMatchObject({ kind: "server" })
    expect((await remote.order(order.id)).status).toBe("paid")

    await provider.cancelOrder(session, { external_order_id: order.id, reason: "out_of_stock" })
    const cancelled = await remote.order(order.id)
    expect(cancelled).toEqual(expect.objectContaining({ status: "cancelled", external_status: "canceled" }))
    const pushes = await until(() => {
      const mine = received.map((r) => ({ ...r, json: JSON.parse(r.body) })).filter((r) => r.json.data.trade_order_id === order.id && r.json.data.order_status === "canceled")
      return mine.length >= 2 ? mine : undefined
    })
    expect(new Set(pushes.map((p) => p.json.data.trade_order_line_id)).size).toBe(2)
    for (const push of pushes) expect(push.authorization).toBe(lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, push.body))
  })

  it("serves returns (reverse orders): created for the delivered units, moved through the plugin's statuses, each line pushed; the provider reads them", async () => {
    const shop = await remote.createShop({ name: "Return shop" })
    const tokens = await remote.issueTokens(shop.id)
    await remote.createListings(shop.id, [{ name: "Return tee", sku: "RETURN-A", price: 12.5, stock: 10 }])
    await fetch(`${remote.url}/sandbox/push-config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ callback_url: hookUrl }) })
    const order = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "RETURN-A", quantity: 2 }] })
    await remote.advanceOrder(order.id, "shipped")

    // The buyer received the shipped units, then asks for a return of both.
    const ret = await remote.createReturn(order.id)
    expect(ret).toEqual(expect.objectContaining({ order_id: order.id, status: "requested", external_status: "REQUEST_INITIATE", refund_amount: 25 }))
    expect((await remote.order(order.id)).status).toBe("delivered")
    expect((await remote.advanceReturn(ret.id, "processing")).external_status).toBe("BUYER_RETURN_ITEM")
    const refunded = await remote.advanceReturn(ret.id, "refunded")
    expect(refunded).toEqual(expect.objectContaining({ status: "refunded", external_status: "REFUND_SUCCESS" }))
    expect(refunded.updated_at).toBeGreaterThan(ret.updated_at)
    expect(await remote.return(ret.id)).toEqual(refunded)

    const pushes = await until(() => {
      const mine = received.map((r) => ({ ...r, json: JSON.parse(r.body) })).filter((r) => r.json.message_type === 10 && r.json.data.reverse_order_id === ret.id)
      return mine.length >= 6 ? mine : undefined
    })
    expect(pushes.map((p) => p.json.data.reverse_status).sort()).toEqual(["REFUND_SUCCESS", "REFUND_SUCCESS", "RTM_INIT", "RTM_INIT", "RTM_SHIPPING_BACK", "RTM_SHIPPING_BACK"])
    for (const push of pushes) expect(push.authorization).toBe(lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, push.body))

    const { provider, session } = providerFor(shop.id, tokens.access_token)
    const read = await provider.getReturn(session, ret.id)
    expect(read).toEqual(expect.objectContaining({ status: "refunded", refund_amount: "25", currency_code: "sgd", refunded: true }))
    expect(read.items).toEqual([expect.objectContaining({ sku: "RETURN-A", quantity: 2, refund_amount: "25" })])
  })

  it("serves settlement: transaction rows once delivered, an adjustment after settlement; the provider reads the escrow", async () => {
    const shop = await remote.createShop({ name: "Settlement shop" })
    const tokens = await remote.issueTokens(shop.id)
    await remote.createListings(shop.id, [{ name: "Settle tee", sku: "SETTLE-A", price: 20, stock: 10 }])
    const order = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "SETTLE-A", quantity: 2 }] })
    const { provider, session } = providerFor(shop.id, tokens.access_token)
    // Not delivered: no rows, not settled.
    expect(await provider.getEscrows(session, [order.id])).toEqual([])
    await expect(remote.settlement!(order.id)).rejects.toThrow(/not settled/)

    await remote.advanceOrder(order.id, "delivered")
    const settlement = await remote.settlement!(order.id)
    const [escrow] = await provider.getEscrows(session, [order.id])
    expect(escrow).toEqual(expect.objectContaining({ external_order_id: order.id, currency_code: "sgd", adjustments: [] }))
    expect(Number(escrow.net_payout)).toBeCloseTo(settlement.net_payout, 2)
    expect(Number(escrow.buyer_total)).toBeCloseTo(settlement.buyer_total, 2)
    for (const kind of ["commission", "service", "transaction", "shipping_actual"]) expect(Number(escrow.fees[kind])).toBeCloseTo(settlement.fees[kind], 2)

    await remote.addSettlementAdjustment!(order.id, { amount: -1.25, reason: "Logistic fee correction" })
    const after = await remote.settlement!(order.id)
    const [adjusted] = await provider.getEscrows(session, [order.id])
    expect(adjusted.adjustments).toEqual([expect.objectContaining({ amount: "-1.25", reason: "Logistic fee correction" })])
    expect(Number(adjusted.net_payout)).toBeCloseTo(after.net_payout_after_adjustments, 2)
    expect(after.net_payout).toBeCloseTo(settlement.net_payout, 2)
  })

  it("takes and clears faults by operation", async () => {
    await remote.addFault({ operation: "get_order", kind: "rate_limit", count: 3, retry_after: 1 })
    await remote.addFault({ operation: "list_orders", kind: "http_503", count: 1 })
    const listed = await (await fetch(`${remote.url}/sandbox/faults`)).json()
    expect(listed.faults.map((f: { path: string; kind: string }) => [f.path, f.kind])).toEqual([
      ["/lazada/sg/rest/orders/items/get", "rate_limit"],
      ["/lazada/sg/rest/orders/get", "http_503"],
    ])
    await remote.clearFaults()
    expect((await (await fetch(`${remote.url}/sandbox/faults`)).json()).faults).toEqual([])
  })
})
