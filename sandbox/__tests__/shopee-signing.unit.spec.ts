import axios from "axios"
import { pushAuthorization, signShopeeRequest } from "../shopee/signing"
import { startShopeeSandbox, type ShopeeSandbox } from "../shopee/server"

/**
 * Fixed vectors computed once outside node with:
 *   printf '%s' "<base string>" | openssl dgst -sha256 -hmac "<key>"
 * The base strings use the docs' own example values (partner_id 2001887, timestamp 1655714431,
 * access_token 5977...4c6d, shop_id 14701711); the key is ours since the docs do not give one.
 */
const KEY = "sandbox-fixed-vector-key"
const PUBLIC_SIGN = "0905e85ec6cc5ab7a537f6000047e0923118ebab1328bfaf873fc1462a0a125b"
const SHOP_SIGN = "e31507aa22a79043e5b4aabc4699cfbc3ae9c5013991d9675e099ea0dd1ad7b6"
const PUSH_AUTH = "77ba0c28cd94b4f9e8ab173652cf6f34904566d2d30f31f9ef6168b9c5b0e43f"
const TIMESTAMP = 1655714431
const ACCESS_TOKEN = "59777174636562737266615546704c6d"
const SHOP_ID = 14701711

describe("Shopee sandbox signing (fixed vectors)", () => {
  let sandbox: ShopeeSandbox

  beforeAll(async () => {
    sandbox = await startShopeeSandbox({ port: 0, partnerId: 2001887, partnerKey: KEY, now: () => TIMESTAMP * 1000 + 30_000 })
    sandbox.createShop({ shop_id: SHOP_ID, shop_name: "Vector Shop" })
    // Plant the docs' example token so the shop-API vector can be sent as is.
    sandbox.core.state.tokens.access.set(ACCESS_TOKEN, { shop_id: SHOP_ID, expires_at_ms: TIMESTAMP * 1000 + 3600_000 })
  })

  afterAll(() => sandbox.close())

  it("the sandbox's signer yields the openssl vectors", () => {
    expect(signShopeeRequest({ partnerKey: KEY, partnerId: 2001887, path: "/api/v2/push/get_lost_push_message", timestamp: TIMESTAMP })).toBe(PUBLIC_SIGN)
    expect(
      signShopeeRequest({ partnerKey: KEY, partnerId: 2001887, path: "/api/v2/shop/get_shop_info", timestamp: TIMESTAMP, accessToken: ACCESS_TOKEN, shopId: SHOP_ID })
    ).toBe(SHOP_SIGN)
    expect(pushAuthorization("sandbox-push-key", "http://127.0.0.1:9999/hooks/marketplace/shopee", '{"code":3,"shop_id":14701711}')).toBe(PUSH_AUTH)
  })

  it("accepts the public-API vector", async () => {
    const res = await axios.get(`${sandbox.url}/api/v2/push/get_lost_push_message`, {
      params: { partner_id: 2001887, timestamp: TIMESTAMP, sign: PUBLIC_SIGN },
      validateStatus: () => true,
    })
    expect(res.status).toBe(200)
    expect(res.data.error).toBe("")
  })

  it("accepts the shop-API vector and refuses it once a character changes", async () => {
    const url = `${sandbox.url}/api/v2/shop/get_shop_info`
    const params = { partner_id: 2001887, timestamp: TIMESTAMP, access_token: ACCESS_TOKEN, shop_id: SHOP_ID }
    const good = await axios.get(url, { params: { ...params, sign: SHOP_SIGN }, validateStatus: () => true })
    expect(good.status).toBe(200)
    expect(good.data).toMatchObject({ error: "", shop_name: "Vector Shop", region: "SG", status: "NORMAL" })

    const bad = await axios.get(url, { params: { ...params, sign: SHOP_SIGN.replace(/^0/, "1").replace(/^e/, "f") }, validateStatus: () => true })
    expect(bad.status).toBe(403)
    expect(bad.data).toMatchObject({ error: "error_sign", message: "Wrong sign." })
  })
})
