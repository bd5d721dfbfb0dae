import { signTiktokRequest, signTiktokWebhook, tiktokSignBase } from "../signing"

// Expected values from the docs' worked examples (MARKETPLACE-APIS.md, TikTok Shop), recomputed outside node:
//   printf '%s' "<base>" | openssl dgst -sha256 -hmac "<app secret>"
describe("TikTok Shop signing", () => {
  it("signs a request as the 'Sign your API request' example: b596b73e...", () => {
    const query = { app_key: "29a39d", timestamp: "1623812664" }
    expect(tiktokSignBase("e59af819cc", "/authorization/202309/shops", query, undefined)).toBe(
      "e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc"
    )
    expect(signTiktokRequest("e59af819cc", "/authorization/202309/shops", query, undefined)).toBe(
      "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
    )
  })

  it("leaves sign and access_token out, sorts the keys, and skips parameters not sent", () => {
    const base = tiktokSignBase(
      "s",
      "/p",
      { timestamp: 2, sign: "x", access_token: "tok", app_key: "k", shop_cipher: "C", page_token: undefined },
      undefined
    )
    expect(base).toBe("s/papp_keykshop_cipherCtimestamp2s")
  })

  it("appends the raw body, except for multipart", () => {
    expect(tiktokSignBase("s", "/p", { a: "1" }, '{"x":1}')).toBe('s/pa1{"x":1}s')
    expect(tiktokSignBase("s", "/p", { a: "1" }, "--boundary", true)).toBe("s/pa1s")
  })

  it("signs a webhook as the docs' example: 5dec0f11...", () => {
    const body =
      '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}'
    expect(signTiktokWebhook("abcdef", "123", body)).toBe("5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05")
  })
})
