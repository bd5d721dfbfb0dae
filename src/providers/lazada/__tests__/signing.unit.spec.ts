import { lazadaPushSignature, lazadaSignBase, signLazada } from "../signing"

// Expected values computed outside node: printf '%s' "<base>" | openssl dgst -sha256 -hmac "<secret>"
describe("Lazada signing", () => {
  const params = { access_token: "test", app_key: "123456", order_id: "1234", sign_method: "sha256", timestamp: "1517820392000" }

  it("builds the base string: API path, then the parameters sorted by name as name+value", () => {
    expect(lazadaSignBase("/order/get", { ...params, sign: "ignored" })).toBe(
      "/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000"
    )
  })

  it("matches the official example (docId 108068): secret helloworld, /order/get", () => {
    expect(signLazada("helloworld", "/order/get", params)).toBe("4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A")
  })

  it("leaves out parameters with empty values and appends the body", () => {
    expect(lazadaSignBase("/order/get", { ...params, status: "", offset: undefined }, '{"a":1}')).toBe(
      '/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000{"a":1}'
    )
    expect(signLazada("helloworld", "/order/get", { ...params, status: "" })).toBe(signLazada("helloworld", "/order/get", params))
  })

  it("signs a push as hex HMAC-SHA256(app_secret, app_key + body), the push guide's sample credentials", () => {
    const body =
      '{"seller_id":"1234567","message_type":0,"data":{"order_status":"unpaid","status_update_time":1603698638,"trade_order_id":"260422900198363","trade_order_line_id":"260422900298363"},"timestamp":1603766859530,"site":"lazada_vn"}'
    expect(lazadaPushSignature("123456", "3412gyo124goi3124", body)).toBe("64ffc8b10a9921ded17f88bb861dd1c2d879514c51c6731946becba319ec6b63")
  })
})
