import { createServer, IncomingMessage, Server, ServerResponse } from "http"
import { AddressInfo } from "net"
import { MarketplaceApiError } from "../../errors"
import type { ShopSession } from "../../types"
import { signShop } from "../signing"
import { fixture, makeProvider, PARTNER_KEY } from "./helpers"
import type { ShopeeProvider } from "../provider"

interface Call {
  method: string
  path: string
  query: URLSearchParams
  body: string
}
type Handler = (call: Call, res: ServerResponse) => void

/** A throw-away HTTP server standing in for Shopee: each test decides the answers. */
let server: Server
let baseUrl: string
let calls: Call[] = []
let handler: Handler = (_, res) => res.end("{}")

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x")
      const call = { method: req.method ?? "", path: url.pathname, query: url.searchParams, body }
      calls.push(call)
      handler(call, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections?.()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  calls = []
})

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(typeof body === "string" ? body : JSON.stringify(body))
}

const session: ShopSession = { connection_id: "conn_1", shop_id: "600000", access_token: "token-abc", region: "VN" }
const NOW = 1713140000_000
const WINDOW = { updated_from: new Date(NOW - 3600_000), updated_to: new Date(NOW) }

function provider(extra: Parameters<typeof makeProvider>[0] = {}): { p: ShopeeProvider; sleeps: number[] } {
  const sleeps: number[] = []
  const p = makeProvider({
    baseUrl,
    now: () => NOW,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    maxRetries: 3,
    retryBaseMs: 100,
    timeoutMs: 300,
    ...extra,
  })
  return { p, sleeps }
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

const orderPage = { error: "", message: "", request_id: "r1", response: { more: false, next_cursor: "", order_list: [{ order_sn: "A1", order_status: "READY_TO_SHIP" }] } }

describe("Shopee client", () => {
  it("signs shop calls with the common parameters in the query", async () => {
    handler = (_, res) => json(res, orderPage)
    const { p } = provider()
    const page = await p.listChangedOrders(session, WINDOW)
    expect(page).toEqual({ items: [{ external_id: "A1", external_status: "READY_TO_SHIP" }], next_page_token: null })
    const [call] = calls
    expect(call.path).toBe("/api/v2/order/get_order_list")
    const ts = Number(call.query.get("timestamp"))
    expect(ts).toBe(NOW / 1000)
    expect(call.query.get("sign")).toBe(signShop(PARTNER_KEY, "2001887", call.path, ts, "token-abc", "600000"))
    expect(call.query.get("time_range_field")).toBe("update_time")
    expect(call.query.get("page_size")).toBe("100")
    expect(call.query.get("shop_id")).toBe("600000")
  })

  it("refuses an order window longer than 15 days without calling", async () => {
    const { p } = provider()
    const error = await failure(p.listChangedOrders(session, { updated_from: new Date(NOW - 16 * 86400_000), updated_to: new Date(NOW) }))
    expect(error.kind).toBe("validation")
    expect(calls).toHaveLength(0)
  })

  it("names the field when the answer does not match the schema", async () => {
    handler = (_, res) => json(res, { error: "", message: "", response: { next_cursor: "", order_list: [] } })
    const { p } = provider()
    const error = await failure(p.listChangedOrders(session, WINDOW))
    expect(error.kind).toBe("validation")
    expect(error.message).toContain("response.more")
    expect(calls).toHaveLength(1)
  })

  it("retries a 429 honouring Retry-After, then succeeds", async () => {
    handler = (_, res) => (calls.length === 1 ? json(res, { error: "error_rate_limit", message: "Too many requests" }, 429, { "retry-after": "2" }) : json(res, orderPage))
    const { p, sleeps } = provider()
    await p.listChangedOrders(session, WINDOW)
    expect(calls).toHaveLength(2)
    expect(sleeps[0]).toBeGreaterThanOrEqual(2000)
  })

  it("retries 5xx with exponential backoff and full jitter, bounded by maxRetries", async () => {
    handler = (_, res) => json(res, "<html>busy</html>", 503)
    const { p, sleeps } = provider()
    const error = await failure(p.listChangedOrders(session, WINDOW))
    expect(error.kind).toBe("server")
    expect(error.http_status).toBe(503)
    expect(calls).toHaveLength(4)
    expect(sleeps).toEqual([50, 100, 200]) // random 0.5 x 100, 200, 400
  })

  it("does not retry other 4xx / error_param", async () => {
    handler = (_, res) => json(res, { error: "error_param", message: "Wrong parameters, detail: order_sn_list.", request_id: "rq" }, 400)
    const { p } = provider()
    const error = await failure(p.getOrders(session, ["A1"]))
    expect(error).toMatchObject({ kind: "validation", code: "error_param", request_id: "rq" })
    expect(calls).toHaveLength(1)
  })

  it("maps an invalid access token to auth", async () => {
    handler = (_, res) => json(res, { error: "invalid_acceess_token", message: "Invalid access_token, please have a check." }, 403)
    const { p } = provider()
    expect((await failure(p.getOrders(session, ["A1"]))).kind).toBe("auth")
    handler = (_, res) => json(res, { error: "error_sign", message: "Wrong sign." }, 403)
    expect((await failure(p.getOrders(session, ["A1"]))).kind).toBe("signature")
  })

  it("does not repeat a write whose outcome is unknown (timeout after sending)", async () => {
    handler = () => undefined // never answers
    const { p } = provider()
    const error = await failure(p.cancelOrder(session, { external_order_id: "A1", reason: "customer_request" }))
    expect(error.kind).toBe("network")
    expect(calls).toHaveLength(1)
  })

  it("repeats a read that timed out", async () => {
    handler = (_, res) => (calls.length < 2 ? undefined : json(res, orderPage))
    const { p } = provider()
    await p.listChangedOrders(session, WINDOW)
    expect(calls).toHaveLength(2)
  })

  it("treats '-' and ' ' in error as success, as the reference samples do", async () => {
    handler = (_, res) => json(res, { error: " ", message: " ", response: { return_sn: "R1" } })
    const { p } = provider()
    await expect(p.acceptReturn(session, "R1")).resolves.toBeUndefined()
    expect(JSON.parse(calls[0].body)).toEqual({ return_sn: "R1" })
  })

  it("sends OUT_OF_STOCK cancellations with the item list as numbers", async () => {
    handler = (_, res) => json(res, { error: "", message: "", response: { update_time: 1 } })
    const { p } = provider()
    await p.cancelOrder(session, { external_order_id: "A1", reason: "out_of_stock", items: [{ external_item_id: "23620853561", external_model_id: "0" }] })
    expect(calls[0].body).toBe('{"order_sn":"A1","cancel_reason":"OUT_OF_STOCK","item_list":[{"item_id":23620853561,"model_id":0}]}')
    handler = (_, res) => json(res, { error: "error_status", message: "Can not cancel this order" })
    expect((await failure(p.cancelOrder(session, { external_order_id: "A1", reason: "customer_request" }))).kind).toBe("not_allowed")
  })

  it("pushes stock per item, 50 models per call, one result per unit", async () => {
    handler = (call, res) => {
      const body = JSON.parse(call.body) as { stock_list: { model_id: number }[] }
      const models = body.stock_list.map((s) => s.model_id)
      json(res, {
        error: "",
        message: "",
        response: {
          success_list: models.filter((m) => m !== 7).map((m) => ({ model_id: m, stock: 1 })),
          failure_list: models.includes(7) ? [{ model_id: 7, failed_reason: "Stock should be larger than reserved stock." }] : [],
        },
      })
    }
    const { p } = provider()
    const updates = [
      ...Array.from({ length: 60 }, (_, i) => ({ external_item_id: "111", external_model_id: String(i + 1), quantity: 5 })),
      { external_item_id: "222", external_model_id: "0", quantity: 3 },
    ]
    const results = await p.pushStock(session, updates)
    expect(calls.map((c) => JSON.parse(c.body).stock_list.length)).toEqual([50, 10, 1])
    expect(results).toHaveLength(61)
    expect(results.filter((r) => !r.ok)).toEqual([
      { external_item_id: "111", external_model_id: "7", ok: false, retryable: false, error: "Stock should be larger than reserved stock." },
    ])
    expect(JSON.parse(calls[2].body)).toEqual({ item_id: 222, stock_list: [{ model_id: 0, seller_stock: [{ stock: 3 }] }] })
  })

  it("does not take a stock business rule sent as error_auth for a token problem", async () => {
    handler = (_, res) => json(res, { error: "error_auth", message: "Total stock must be more than reserved stock." })
    const { p } = provider()
    const [result] = await p.pushStock(session, [{ external_item_id: "1", external_model_id: "0", quantity: 0 }])
    expect(result).toMatchObject({ ok: false, retryable: false })
  })

  it("pushes prices as exact literals", async () => {
    handler = (_, res) => json(res, { error: "", message: "", response: { success_list: [{ model_id: 0, original_price: 12.5 }], failure_list: [] } })
    const { p } = provider()
    const results = await p.pushPrice(session, [
      { external_item_id: "1", external_model_id: "0", price: "12.50" },
      { external_item_id: "2", external_model_id: "0", price: "oops" },
    ])
    expect(calls[0].body).toBe('{"item_id":1,"price_list":[{"model_id":0,"original_price":12.50}]}')
    expect(results.map((r) => r.ok)).toEqual([true, false])
  })

  it("lists lost pushes with the same idempotency key as the live push and acknowledges them", async () => {
    const lost = fixture("lost_push_message.json")
    handler = (call, res) => json(res, call.path.endsWith("get_lost_push_message") ? lost : { error: "", message: "" })
    const { p } = provider()
    const { events, ack_token } = await p.listMissedEvents()
    expect(ack_token).toBe("176610")
    expect(events).toHaveLength(1)
    const live = (lost as { response: { push_message_list: { data: unknown }[] } }).response.push_message_list[0].data
    const [liveEvent] = p.parseWebhook({ raw_body: Buffer.from(JSON.stringify(live)), headers: {}, url: "x" })
    expect(events[0].idempotency_key).toBe(liveEvent.idempotency_key)
    expect(calls[0].query.has("access_token")).toBe(false)
    await p.ackMissedEvents(ack_token as string)
    expect(calls[1].body).toBe('{"last_message_id":176610}')
  })
})
