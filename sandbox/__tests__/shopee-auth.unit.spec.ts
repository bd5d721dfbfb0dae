import axios from "axios"
import { call, control, type Harness, startHarness } from "./shopee-test-client"

describe("Shopee sandbox OAuth and tokens", () => {
  let h: Harness

  beforeEach(async () => {
    h = await startHarness()
    h.sandbox.createShop({ shop_id: 500001, shop_name: "Kopi & Co", region: "MY" })
    h.sandbox.createShop({ shop_id: 500002, shop_name: "Other Shop", region: "SG" })
  })

  afterEach(() => h.close())

  /** auth_partner page -> confirm link -> 302 back with code & shop_id -> token/get. */
  async function authorize(shopId: number): Promise<{ code: string; location: URL }> {
    const redirect = "https://admin.example.com/app/marketplaces/callback?state=abc123&platform=shopee"
    const page = await call(h, "/api/v2/shop/auth_partner", { query: { redirect }, responseType: "text" })
    expect(page.status).toBe(200)
    expect(page.headers["content-type"]).toContain("text/html")
    const links = [...String(page.data).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"))
    const link = links.find((l) => l.includes(`shop_id=${shopId}`))
    expect(link).toBeDefined()
    const confirm = await axios.get(`${h.sandbox.url}${link}`, { maxRedirects: 0, validateStatus: () => true })
    expect(confirm.status).toBe(302)
    const location = new URL(confirm.headers.location)
    return { code: location.searchParams.get("code") ?? "", location }
  }

  it("completes the round trip and keeps the redirect's own query", async () => {
    const { code, location } = await authorize(500001)
    expect(location.origin + location.pathname).toBe("https://admin.example.com/app/marketplaces/callback")
    expect(location.searchParams.get("state")).toBe("abc123")
    expect(location.searchParams.get("platform")).toBe("shopee")
    expect(location.searchParams.get("shop_id")).toBe("500001")
    expect(code).toMatch(/^[0-9a-f]{32}$/)

    const token = await call(h, "/api/v2/auth/token/get", { body: { code, partner_id: 2001887, shop_id: 500001 } })
    expect(token.status).toBe(200)
    // Documented shape: tokens at the top level, no `response`.
    expect(token.data).toMatchObject({ error: "", message: "", expire_in: 14400 })
    expect(token.data.access_token).toMatch(/^[0-9a-f]{32}$/)
    expect(token.data.refresh_token).toMatch(/^[0-9a-f]{32}$/)
    expect(token.data.response).toBeUndefined()

    const info = await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: token.data.access_token, shopId: 500001 } })
    expect(info.status).toBe(200)
    expect(info.data).toMatchObject({ error: "", shop_name: "Kopi & Co", region: "MY", status: "NORMAL" })

    // The code is single use.
    const again = await call(h, "/api/v2/auth/token/get", { body: { code, partner_id: 2001887, shop_id: 500001 } })
    expect(again.status).toBe(403)
    expect(again.data.error).toBe("invalid_code")
  })

  it("refuses a code older than 10 minutes and a code for another shop", async () => {
    const { code } = await authorize(500001)
    const wrongShop = await call(h, "/api/v2/auth/token/get", { body: { code, partner_id: 2001887, shop_id: 500002 } })
    expect(wrongShop.data.error).toBe("invalid_shop_id")
    h.clock.now += 10 * 60 * 1000 + 1000
    const late = await call(h, "/api/v2/auth/token/get", { body: { code, partner_id: 2001887, shop_id: 500001 } })
    expect(late.status).toBe(403)
    expect(late.data.error).toBe("invalid_code")
  })

  it("rotates tokens: new pair, old refresh token single use, old access token 5 more minutes", async () => {
    const first = h.sandbox.issueTokens(500001)
    const refreshed = await call(h, "/api/v2/auth/access_token/get", {
      body: { refresh_token: first.refresh_token, partner_id: 2001887, shop_id: 500001 },
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.data).toMatchObject({ error: "", partner_id: 2001887, shop_id: 500001, expire_in: 14400 })
    expect(refreshed.data.access_token).not.toBe(first.access_token)
    expect(refreshed.data.refresh_token).not.toBe(first.refresh_token)
    expect(h.sandbox.refreshCount(500001)).toBe(1)
    expect(h.sandbox.calls.filter((c) => c.path === "/api/v2/auth/access_token/get" && c.shop_id === 500001 && c.error === "")).toHaveLength(1)

    const reused = await call(h, "/api/v2/auth/access_token/get", {
      body: { refresh_token: first.refresh_token, partner_id: 2001887, shop_id: 500001 },
    })
    expect(reused.status).toBe(403)
    expect(reused.data).toMatchObject({ error: "error_auth", message: "Invalid refresh_token." })

    const oldAuth = { accessToken: first.access_token, shopId: 500001 }
    h.clock.now += 4 * 60 * 1000
    expect((await call(h, "/api/v2/shop/get_shop_info", { auth: oldAuth })).data.error).toBe("")
    h.clock.now += 2 * 60 * 1000
    const expired = await call(h, "/api/v2/shop/get_shop_info", { auth: oldAuth })
    expect(expired.status).toBe(403)
    expect(expired.data.error).toBe("invalid_acceess_token")
    const fresh = await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: refreshed.data.access_token, shopId: 500001 } })
    expect(fresh.data.error).toBe("")
  })

  it("expires access tokens after 4 hours and refresh tokens after 30 days", async () => {
    const pair = h.sandbox.issueTokens(500001)
    h.clock.now += 4 * 3600 * 1000 + 1000
    const res = await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: pair.access_token, shopId: 500001 } })
    expect(res.status).toBe(403)
    expect(res.data.error).toBe("invalid_acceess_token")
    h.clock.now += 30 * 86400 * 1000
    const refresh = await call(h, "/api/v2/auth/access_token/get", { body: { refresh_token: pair.refresh_token, partner_id: 2001887, shop_id: 500001 } })
    expect(refresh.data.error).toBe("refresh_token_expired")
  })

  it("expires a shop's token on demand through the control API", async () => {
    const pair = h.sandbox.issueTokens(500001)
    const auth = { accessToken: pair.access_token, shopId: 500001 }
    expect((await call(h, "/api/v2/shop/get_shop_info", { auth })).data.error).toBe("")
    const res = await control(h, "POST", "/sandbox/shops/500001/expire-token", {})
    expect(res.data).toEqual({ expired: 1 })
    expect((await call(h, "/api/v2/shop/get_shop_info", { auth })).data.error).toBe("invalid_acceess_token")
  })

  it("refuses a token used for another shop", async () => {
    const pair = h.sandbox.issueTokens(500001)
    const res = await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: pair.access_token, shopId: 500002 } })
    expect(res.status).toBe(403)
    expect(res.data).toMatchObject({ error: "error_auth", message: "Invalid partner_id or shopid." })
  })

  it("masks tokens and codes in the call log", async () => {
    const pair = h.sandbox.issueTokens(500001)
    await call(h, "/api/v2/shop/get_shop_info", { auth: { accessToken: pair.access_token, shopId: 500001 } })
    await call(h, "/api/v2/auth/access_token/get", { body: { refresh_token: pair.refresh_token, partner_id: 2001887, shop_id: 500001 } })
    const log = JSON.stringify(h.sandbox.calls)
    expect(log).not.toContain(pair.access_token)
    expect(log).not.toContain(pair.refresh_token)
  })
})
