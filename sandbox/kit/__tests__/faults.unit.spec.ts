import axios, { type AxiosResponse } from "axios"
import { ACME_KEY, type AcmeHarness, startAcme } from "./test-platform"

/** Faults, Retry-After and the steady rate limit, on a platform built only on the kit. */
describe("sandbox kit faults", () => {
  let h: AcmeHarness
  const SHOP = 42

  beforeEach(async () => {
    h = await startAcme()
  })

  afterEach(() => h.close())

  const shopInfo = (options: { responseType?: "json" | "text"; timeoutMs?: number; shop?: number } = {}): Promise<AxiosResponse> =>
    axios.get(`${h.sandbox.url}/acme/v1/shop`, {
      params: { key: ACME_KEY, shop: options.shop ?? SHOP },
      validateStatus: () => true,
      responseType: options.responseType ?? "json",
      timeout: options.timeoutMs ?? 10000,
    })
  const control = (method: string, path: string, body?: unknown): Promise<AxiosResponse> =>
    axios.request({ url: `${h.sandbox.url}${path}`, method, data: body, validateStatus: () => true })

  it("answers a correct call in the platform's envelope", async () => {
    const res = await shopInfo()
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ code: "0", data: { shop: SHOP } })
    expect(h.sandbox.calls[0]).toMatchObject({ path: "/acme/v1/shop", shop_id: SHOP, status: 200, error: "", query: { key: "***", shop: String(SHOP) } })
  })

  it("injects faults for the next N matching calls, then recovers", async () => {
    const created = await control("POST", "/sandbox/faults", { path: "/acme/v1/shop", kind: "rate_limit", count: 2 })
    expect(created.status).toBe(201)
    const limited = await shopInfo()
    expect(limited.status).toBe(429)
    expect(limited.data).toMatchObject({ code: "too_many_requests", msg: "Slow down" })
    expect(limited.headers["retry-after"]).toBeUndefined()
    expect((await shopInfo()).status).toBe(429)
    expect((await shopInfo()).status).toBe(200)

    h.sandbox.addFault({ kind: "server_error", count: 1 })
    const broken = await shopInfo()
    expect(broken.status).toBe(500)
    expect(broken.data.code).toBe("internal")

    h.sandbox.addFault({ kind: "http_503", count: 1, shop_id: SHOP })
    const unavailable = await shopInfo({ responseType: "text" })
    expect(unavailable.status).toBe(503)
    expect(String(unavailable.data)).toContain("503")

    h.sandbox.addFault({ kind: "http_500", count: 1 })
    expect((await shopInfo({ responseType: "text" })).status).toBe(500)

    // A fault for another shop or path does not fire here.
    h.sandbox.addFault({ kind: "rate_limit", count: 1, shop_id: 1 })
    h.sandbox.addFault({ kind: "rate_limit", count: 1, path: "/acme/v1/ping" })
    expect((await shopInfo()).status).toBe(200)

    expect((await control("DELETE", "/sandbox/faults")).status).toBe(204)
    expect(h.sandbox.core.state.faults).toHaveLength(0)
    const failures = h.sandbox.calls.filter((c) => c.path === "/acme/v1/shop").map((c) => c.error)
    expect(failures).toEqual(["rate_limit", "rate_limit", "", "server_error", "http_503", "http_500", ""])
  })

  it("answers a rate-limit fault with Retry-After and the platform's body when asked", async () => {
    const created = await control("POST", "/sandbox/faults", { kind: "rate_limit", count: 1, retry_after: 7 })
    expect(created.status).toBe(201)
    expect(created.data.fault).toMatchObject({ kind: "rate_limit", remaining: 1, retry_after: 7 })
    const limited = await shopInfo()
    expect(limited.status).toBe(429)
    expect(limited.headers["retry-after"]).toBe("7")
    expect(limited.data).toMatchObject({ code: "too_many_requests", msg: "Slow down" })
    expect(typeof limited.data.request_id).toBe("string")

    // Only the faulty answer carries it.
    const next = await shopInfo()
    expect(next.status).toBe(200)
    expect(next.headers["retry-after"]).toBeUndefined()

    // A bare gateway 503 can carry it too; 0 is a valid value ("now").
    h.sandbox.addFault({ kind: "http_503", count: 1, retry_after: 0 })
    const unavailable = await shopInfo({ responseType: "text" })
    expect(unavailable.status).toBe(503)
    expect(unavailable.headers["retry-after"]).toBe("0")
  })

  it("refuses a Retry-After on a fault that never answers, and bad fault input", async () => {
    expect((await control("POST", "/sandbox/faults", { kind: "timeout", count: 1, retry_after: 3 })).status).toBe(400)
    expect((await control("POST", "/sandbox/faults", { kind: "rate_limit", retry_after: -1 })).status).toBe(400)
    expect((await control("POST", "/sandbox/faults", { kind: "meltdown", count: 1 })).status).toBe(400)
    // Fault paths are the platform's API paths.
    expect((await control("POST", "/sandbox/faults", { kind: "rate_limit", path: "/api/v2/shop/get_shop_info" })).status).toBe(400)
    expect(() => h.sandbox.addFault({ kind: "timeout", retry_after: 3 })).toThrow(/Retry-After/)
    expect(h.sandbox.core.state.faults).toHaveLength(0)
  })

  it("holds the connection on a timeout fault", async () => {
    h.sandbox.addFault({ kind: "timeout", count: 1 })
    await expect(shopInfo({ timeoutMs: 300 })).rejects.toThrow(/timeout/i)
    expect((await shopInfo()).status).toBe(200)
  })

  it("applies a steady per-shop rate limit", async () => {
    expect((await control("POST", "/sandbox/rate-limit", { per_second: 2 })).status).toBe(200)
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await shopInfo()).status)
    expect(statuses).toEqual([200, 200, 429, 429])
    // Another shop has its own budget; public routes have none.
    expect((await shopInfo({ shop: 43 })).status).toBe(200)
    h.clock.now += 1000
    expect((await shopInfo()).status).toBe(200)
    h.sandbox.setRateLimit(null)
  })

  it("answers unknown paths, wrong methods and bad bodies in the platform's shape", async () => {
    const unknown = await axios.get(`${h.sandbox.url}/acme/v1/nope`, { params: { key: ACME_KEY }, validateStatus: () => true })
    expect(unknown.status).toBe(404)
    expect(unknown.data.code).toBe("no_such_api")
    const wrong = await axios.post(`${h.sandbox.url}/acme/v1/ping?key=${ACME_KEY}`, {}, { validateStatus: () => true })
    expect(wrong.status).toBe(405)
    expect(wrong.data.code).toBe("bad_method")
    const bad = await axios.post(`${h.sandbox.url}/acme/v1/orders/advance?key=${ACME_KEY}&shop=${SHOP}`, "[1]", {
      headers: { "Content-Type": "application/json" },
      validateStatus: () => true,
    })
    expect(bad.status).toBe(400)
    expect(bad.data.code).toBe("bad_body")
    const outside = await axios.get(`${h.sandbox.url}/elsewhere`, { validateStatus: () => true })
    expect(outside.status).toBe(404)
    expect(outside.data.message).toBe("Not found: Acme Marketplace API lives under /acme/v1, the control API under /sandbox")
  })

  it("describes itself at GET /sandbox with the platform's routes and the kit's", async () => {
    const res = await control("GET", "/sandbox")
    expect(res.data.platform).toBe("acme")
    expect(res.data.api).toEqual(["GET /acme/v1/ping", "GET /acme/v1/shop", "POST /acme/v1/orders/advance"])
    expect(res.data.control).toEqual(expect.arrayContaining(["POST /sandbox/shops/:id/orders", "POST /sandbox/faults", "POST /sandbox/pushes/redeliver", "POST /sandbox/reset"]))
  })
})
