import { kindOfCode } from "../errors"
import { resolveTiktokShopOptions, validateTiktokShopOptions } from "../options"
import { TiktokShopProvider } from "../provider"

describe("TikTok Shop options and error codes", () => {
  it("names the missing option and its env variable", () => {
    expect(() => validateTiktokShopOptions({ appKey: "k", appSecret: "s" })).toThrow(/serviceId.*TIKTOK_SHOP_SERVICE_ID/)
    expect(() => validateTiktokShopOptions({ appKey: "k", appSecret: "", serviceId: "1" })).toThrow(/appSecret/)
    expect(() => validateTiktokShopOptions({ appKey: "k", appSecret: "s", serviceId: "1", baseUrl: "ftp://x" })).toThrow(/baseUrl/)
  })
  it("fills the documented hosts by default", () => {
    const o = resolveTiktokShopOptions({ appKey: "k", appSecret: "s", serviceId: "1" })
    expect([o.baseUrl, o.authBaseUrl, o.authorizeBaseUrl]).toEqual([
      "https://open-api.tiktokglobalshop.com",
      "https://auth.tiktok-shops.com",
      "https://services.tiktokshop.com",
    ])
  })
  it("links an order to the region's Seller Center", () => {
    const provider = new TiktokShopProvider({ logger: { info() {}, warn() {}, error() {}, debug() {} } }, { appKey: "k", appSecret: "s", serviceId: "1" })
    expect(provider.orderUrl({ shop_id: "1", region: "MY" }, "576461")).toBe("https://seller-my.tiktok.com/order/detail?order_no=576461")
    expect(provider.orderUrl({ shop_id: "1", region: null }, "576461")).toBeNull()
  })

  it("maps the common error codes to kinds", () => {
    expect(kindOfCode("106001", 200)).toBe("signature")
    expect(kindOfCode("105002", 200)).toBe("auth")
    expect(kindOfCode("105005", 200)).toBe("not_allowed")
    expect(kindOfCode("36009002", 429)).toBe("rate_limit")
    expect(kindOfCode("12345", 429)).toBe("rate_limit")
    expect(kindOfCode("12345", 503)).toBe("server")
    expect(kindOfCode("12345", 400)).toBe("validation")
    expect(kindOfCode("12345", 403)).toBe("not_allowed")
  })
})
