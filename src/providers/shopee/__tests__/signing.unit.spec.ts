import { signPublic, signShop } from "../signing"
import { makeProvider, PARTNER_ID, PARTNER_KEY } from "./helpers"

// Expected values computed outside node:
//   printf '%s' "<base string>" | openssl dgst -sha256 -hmac "<partner key>"
// Base strings follow the API call guide's examples (partner 2001887, timestamp 1655714431).
describe("Shopee request signing", () => {
  it("signs a public API: partner_id + path + timestamp", () => {
    expect(signPublic(PARTNER_KEY, String(PARTNER_ID), "/api/v2/auth/token/get", 1655714431)).toBe(
      "a04e209270a2b5ad27d10a237a3f4ba9715aa3f109de7c4d52973a17ddd932ee"
    )
  })

  it("signs a shop API: partner_id + path + timestamp + access_token + shop_id", () => {
    expect(
      signShop(
        PARTNER_KEY,
        String(PARTNER_ID),
        "/api/v2/shop/get_shop_info",
        1655714431,
        "59777174636562737266615546704c6d",
        "14701711"
      )
    ).toBe("b914bea03c13799deb036bb9d10e689f5a6bade160c44af568646f1ef7d796c1")
  })

  it("builds the auth_partner link with the state inside the redirect URL", async () => {
    const provider = makeProvider({ now: () => 1655714431_000, baseUrl: "https://openplatform.sandbox.test-stable.shopee.sg/" })
    const { url } = await provider.getAuthorizationUrl({
      redirect_url: "https://admin.example.com/app/marketplaces/callback?platform=shopee",
      state: "st_123",
    })
    const parsed = new URL(url)
    expect(parsed.origin + parsed.pathname).toBe(
      "https://openplatform.sandbox.test-stable.shopee.sg/api/v2/shop/auth_partner"
    )
    expect(parsed.searchParams.get("partner_id")).toBe("2001887")
    expect(parsed.searchParams.get("timestamp")).toBe("1655714431")
    expect(parsed.searchParams.get("sign")).toBe(
      signPublic(PARTNER_KEY, "2001887", "/api/v2/shop/auth_partner", 1655714431)
    )
    const redirect = new URL(parsed.searchParams.get("redirect") as string)
    expect(redirect.searchParams.get("state")).toBe("st_123")
    expect(redirect.searchParams.get("platform")).toBe("shopee")
    expect(provider.extractState({ code: "c", shop_id: "1", state: "st_123" })).toBe("st_123")
    expect(provider.extractState({ code: "c", shop_id: "1" })).toBeNull()
  })
})
