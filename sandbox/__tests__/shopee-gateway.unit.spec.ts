import { call, control, hmacHex, type Harness, PARTNER_ID, shopWithToken, startHarness } from "./shopee-test-client"

/** Common-parameter checks, error shapes, faults and rate limits. */
describe("Shopee sandbox gateway", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness()
    auth = (await shopWithToken(h)).auth
  })

  afterEach(() => h.close())

  const shopInfo = (options: Parameters<typeof call>[2] = {}) => call(h, "/api/v2/shop/get_shop_info", { auth, ...options })

  function expectShopeeError(res: { status: number; data: Record<string, unknown> }, status: number, error: string): void {
    expect(res.status).toBe(status)
    expect(res.data.error).toBe(error)
    expect(typeof res.data.message).toBe("string")
    expect(res.data.request_id).toMatch(/^[0-9a-f]{32}$/)
  }

  it("accepts a correctly signed shop call", async () => {
    const res = await shopInfo()
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ error: "", message: "", shop_name: "Test Shop" })
  })

  it("refuses a wrong sign with error_sign", async () => {
    expectShopeeError(await shopInfo({ sign: hmacHex("not-the-key", "anything") }), 403, "error_sign")
    // A signature computed over the public base string does not pass for a shop API.
    const ts = h.nowSec()
    expectShopeeError(await shopInfo({ timestamp: ts, sign: hmacHex("x", `${PARTNER_ID}/api/v2/shop/get_shop_info${ts}`) }), 403, "error_sign")
  })

  it("refuses a timestamp older than 5 minutes, and one far in the future", async () => {
    const stale = await shopInfo({ timestamp: h.nowSec() - 301 })
    expectShopeeError(stale, 400, "error_param")
    expect(stale.data.message).toBe("Timestamp is expired.")
    expect((await shopInfo({ timestamp: h.nowSec() - 299 })).data.error).toBe("")
    expectShopeeError(await shopInfo({ timestamp: h.nowSec() + 3600 }), 400, "error_param")
  })

  it("refuses an unknown partner id", async () => {
    const res = await shopInfo({ partnerId: 999999 })
    expectShopeeError(res, 403, "invalid_partner_id")
  })

  it("refuses a shop call without access token", async () => {
    const ts = h.nowSec()
    const res = await call(h, "/api/v2/shop/get_shop_info", { timestamp: ts, query: { shop_id: auth.shopId } })
    expectShopeeError(res, 400, "error_param")
    expect(res.data.message).toBe("There is no access_token in query.")
  })

  it("refuses an unknown access token with the documented invalid token error", async () => {
    expectShopeeError(await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: "0".repeat(32), shopId: auth.shopId } }), 403, "invalid_acceess_token")
  })

  it("answers an unknown /api/v2 path with 404 and the documented error", async () => {
    const res = await call(h, "/api/v2/order/does_not_exist", { auth })
    expectShopeeError(res, 404, "error_param")
  })

  it("refuses malformed JSON bodies with error_param", async () => {
    const res = await call(h, "/api/v2/order/cancel_order", { auth, body: "{not json", method: "POST" })
    expectShopeeError(res, 400, "error_param")
  })

  it("answers injected faults in Shopee's error shapes for the next N matching calls, then recovers", async () => {
    const created = await control(h, "POST", "/sandbox/faults", { path: "/api/v2/shop/get_shop_info", kind: "rate_limit", count: 2 })
    expect(created.status).toBe(201)
    const limited = await shopInfo()
    expectShopeeError(limited, 429, "error_rate_limit")
    expect((await shopInfo()).status).toBe(429)
    expect((await shopInfo()).status).toBe(200)

    h.sandbox.addFault({ kind: "server_error", count: 1 })
    expectShopeeError(await shopInfo(), 500, "error_server")

    h.sandbox.addFault({ kind: "http_503", count: 1, shop_id: auth.shopId })
    const unavailable = await shopInfo({ responseType: "text" })
    expect(unavailable.status).toBe(503)
    expect(String(unavailable.data)).toContain("503")

    h.sandbox.addFault({ kind: "http_500", count: 1 })
    expect((await shopInfo({ responseType: "text" })).status).toBe(500)

    // A fault for another shop or path does not fire here.
    h.sandbox.addFault({ kind: "rate_limit", count: 1, shop_id: 1 })
    h.sandbox.addFault({ kind: "rate_limit", count: 1, path: "/api/v2/order/get_order_list" })
    expect((await shopInfo()).status).toBe(200)

    expect((await control(h, "DELETE", "/sandbox/faults")).status).toBe(204)
    expect(h.sandbox.core.state.faults).toHaveLength(0)
    const failures = h.sandbox.calls.filter((c) => c.path === "/api/v2/shop/get_shop_info").map((c) => c.error)
    expect(failures).toEqual(["rate_limit", "rate_limit", "", "server_error", "http_503", "http_500", ""])
  })

  it("answers a rate-limit fault with Retry-After in Shopee's error shape", async () => {
    h.sandbox.addFault({ kind: "rate_limit", count: 1, retry_after: 2 })
    const limited = await shopInfo()
    expectShopeeError(limited, 429, "error_rate_limit")
    expect(limited.headers["retry-after"]).toBe("2")
    expect(limited.data.message).toBe("Too many requests. You have reached the rate limit. Please try again later.")
    expect((await shopInfo()).status).toBe(200)
  })

  it("refuses bad control input with 400", async () => {
    expect((await control(h, "POST", "/sandbox/faults", { kind: "meltdown", count: 1 })).status).toBe(400)
    expect((await control(h, "POST", "/sandbox/shops", { region: "Singapore" })).status).toBe(400)
    expect((await control(h, "POST", "/sandbox/shops/700001/orders", { count: 0 })).status).toBe(400)
    expect((await control(h, "POST", "/sandbox/orders/NOPE/advance", {})).status).toBe(404)
  })
})
