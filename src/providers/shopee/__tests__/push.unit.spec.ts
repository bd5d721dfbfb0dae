import { MarketplaceApiError } from "../../errors"
import type { WebhookRequest } from "../../types"
import { hmacSha256Hex } from "../signing"
import { fixture, makeProvider, PUSH_KEY } from "./helpers"

const URL_ = "https://shop.example.com/hooks/marketplace/shopee"
const BODY =
  '{"msg_id":"3a6f1c2e9b","data":{"ordersn":"2404098R48U37H","status":"READY_TO_SHIP","completed_scenario":"","update_time":1713139948},"shop_id":600000,"code":3,"timestamp":1713139950}'
// printf '%s' "$URL|$BODY" | openssl dgst -sha256 -hmac "push-key-for-tests"
const SIGNATURE = "4ee4a6f2eab70f878ba88c997c72570a7019ee6b928def133e68468b16f21f50"

function push(body: string | object, signature?: string | null, url = URL_): WebhookRequest {
  const raw = Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8")
  const sig = signature === undefined ? hmacSha256Hex(PUSH_KEY, Buffer.concat([Buffer.from(`${url}|`), raw])) : signature
  return { raw_body: raw, url, headers: sig === null ? {} : { authorization: sig } }
}

describe("Shopee push verification", () => {
  const provider = makeProvider()

  it("accepts the documented signature (fixed vector)", () => {
    expect(provider.verifyWebhook(push(BODY, SIGNATURE))).toEqual({ valid: true })
  })

  it("refuses a signature made with another key", () => {
    const other = hmacSha256Hex("another-key", `${URL_}|${BODY}`)
    expect(provider.verifyWebhook(push(BODY, other))).toEqual({ valid: false, reason: "bad_signature" })
  })

  it("refuses a tampered body", () => {
    const tampered = BODY.replace("READY_TO_SHIP", "CANCELLED")
    expect(provider.verifyWebhook(push(tampered, SIGNATURE))).toEqual({ valid: false, reason: "bad_signature" })
  })

  it("refuses the same data re-serialized (other spacing and key order)", () => {
    const reserialized = JSON.stringify({ code: 3, shop_id: 600000, timestamp: 1713139950, msg_id: "3a6f1c2e9b", data: JSON.parse(BODY).data }, null, 1)
    expect(JSON.parse(reserialized)).toEqual(JSON.parse(BODY))
    expect(provider.verifyWebhook(push(reserialized, SIGNATURE))).toEqual({ valid: false, reason: "bad_signature" })
  })

  it("refuses another callback URL, a truncated signature and a missing header", () => {
    expect(provider.verifyWebhook(push(BODY, SIGNATURE, "https://evil.example.com/hooks"))).toEqual({ valid: false, reason: "bad_signature" })
    expect(provider.verifyWebhook(push(BODY, SIGNATURE.slice(0, 40)))).toEqual({ valid: false, reason: "bad_signature" })
    expect(provider.verifyWebhook(push(BODY, null))).toEqual({ valid: false, reason: "missing_signature" })
  })

  it("falls back to the partner key when no push key is set", () => {
    const noPushKey = makeProvider({ pushKey: undefined, partnerKey: "partner-key" })
    const sig = hmacSha256Hex("partner-key", `${URL_}|${BODY}`)
    expect(noPushKey.verifyWebhook(push(BODY, sig))).toEqual({ valid: true })
  })
})

describe("Shopee push parsing", () => {
  const provider = makeProvider()

  it("maps code 3 to order.status_changed and uses msg_id as the key", () => {
    const [event] = provider.parseWebhook(push(BODY))
    expect(event).toMatchObject({
      idempotency_key: "3a6f1c2e9b",
      external_shop_id: "600000",
      type: "order.status_changed",
      external_type: "3",
      supported: true,
      external_order_id: "2404098R48U37H",
      external_status: "READY_TO_SHIP",
    })
    expect(event.occurred_at.toISOString()).toBe(new Date(1713139948 * 1000).toISOString())
    // The order's update time at the change: the processor skips the fetch when the imported order is newer.
    expect(event.order_updated_at?.toISOString()).toBe(new Date(1713139948 * 1000).toISOString())
  })

  it("maps code 4 to order.tracking_updated", () => {
    const [event] = provider.parseWebhook(
      push({ data: { ordersn: "2404098R48U37H", package_number: "OFG166300791210964", tracking_no: "SPXVN123" }, shop_id: 600000, code: 4, timestamp: 1713139999 })
    )
    expect(event).toMatchObject({ type: "order.tracking_updated", external_order_id: "2404098R48U37H", supported: true })
  })

  it("maps code 29 to return.updated", () => {
    const [event] = provider.parseWebhook(
      push({ data: { order_sn: "220614T9XV8JTN", return_sn: "2206140TA5PM808", updated_values: [{ update_field: "status", old_value: "REQUESTED", new_value: "ACCEPTED" }] }, shop_id: 600000, code: 29, timestamp: 1713139999 })
    )
    expect(event).toMatchObject({ type: "return.updated", external_return_id: "2206140TA5PM808", external_order_id: "220614T9XV8JTN" })
  })

  it.each([
    [1, "shop.authorized"],
    [2, "shop.deauthorized"],
    [12, "shop.authorization_expiring"],
  ])("maps code %i to %s", (code, type) => {
    const [event] = provider.parseWebhook(push({ shop_id: 600000, code, success: 1, extra: "x", data: {}, timestamp: 1470198856 }))
    expect(event).toMatchObject({ type, supported: true, external_shop_id: "600000" })
  })

  it("splits a partner-level message naming several shops into one event per shop", () => {
    const events = provider.parseWebhook(push({ code: 12, data: { shop_id_list: [1, 2], merchant_id_list: [] }, timestamp: 1470198856 }))
    expect(events.map((e) => e.external_shop_id)).toEqual(["1", "2"])
    expect(new Set(events.map((e) => e.idempotency_key)).size).toBe(2)
  })

  it.each([5, 8, 15, 30, 999])("keeps unknown or unhandled code %i as unsupported", (code) => {
    const [event] = provider.parseWebhook(push({ shop_id: 600000, code, data: { anything: true }, timestamp: 1713139999 }))
    expect(event).toMatchObject({ type: "unsupported", supported: false, external_type: String(code) })
  })

  it("gives identical deliveries without msg_id the same key, whatever the key order", () => {
    const a = { data: { ordersn: "X1", status: "SHIPPED", update_time: 100 }, shop_id: 600000, code: 3, timestamp: 101 }
    const b = { timestamp: 101, code: 3, shop_id: 600000, data: { update_time: 100, status: "SHIPPED", ordersn: "X1" } }
    const c = { ...a, data: { ...a.data, status: "COMPLETED" } }
    const [ea] = provider.parseWebhook(push(a))
    const [eb] = provider.parseWebhook(push(JSON.stringify(b, null, 2)))
    const [ec] = provider.parseWebhook(push(c))
    expect(ea.idempotency_key).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(ea.idempotency_key).toBe(eb.idempotency_key)
    expect(ec.idempotency_key).not.toBe(ea.idempotency_key)
  })

  it.each([
    ["not JSON", "{nope"],
    ["an array", "[1,2]"],
    ["no code", '{"shop_id":1,"data":{}}'],
  ])("throws a validation error for %s", (_, body) => {
    let thrown: unknown
    try {
      provider.parseWebhook(push(body))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(MarketplaceApiError)
    expect((thrown as MarketplaceApiError).kind).toBe("validation")
  })

  it("keeps a message whose data does not fit its code, marked malformed with the missing field", () => {
    const [event] = provider.parseWebhook(push('{"shop_id":1,"code":3,"timestamp":1,"data":{"status":"SHIPPED"}}'))
    expect(event).toMatchObject({ type: "order.status_changed", supported: false, external_shop_id: "1" })
    expect(event.malformed).toMatch(/data\.ordersn/)
  })

  it("carries the envelope's timestamp as the send time, for the replay window", () => {
    const [event] = provider.parseWebhook(push(BODY))
    expect(event.sent_at).toEqual(new Date(1713139950 * 1000))
  })

  it.each([
    ["a timestamp past year 9999", '{"shop_id":1,"code":3,"timestamp":1000000000000000,"data":{}}', /timestamp/],
    ["a negative timestamp", '{"shop_id":1,"code":3,"timestamp":-5,"data":{}}', /timestamp/],
    ["a shop id beyond 64 bits", '{"shop_id":123456789012345678901234567890,"code":3,"timestamp":1,"data":{}}', /shop_id/],
    ["a shop id that is text", '{"shop_id":"abc","code":3,"timestamp":1,"data":{}}', /shop_id/],
    ["a code that is text", '{"shop_id":1,"code":"3","timestamp":1,"data":{}}', /code/],
    ["a huge code", '{"shop_id":1,"code":1e400,"timestamp":1,"data":{}}', /code/],
    ["a message id with a NUL character", '{"msg_id":"a\\u0000b","shop_id":1,"code":3,"timestamp":1,"data":{}}', /msg_id/],
    ["a message id longer than an index row", `{"msg_id":"${"x".repeat(3000)}","shop_id":1,"code":3,"timestamp":1,"data":{}}`, /msg_id/],
  ])("refuses an envelope with %s (kind validation)", (_name, body, field) => {
    expect(() => provider.parseWebhook(push(body))).toThrow(field)
  })

  it.each([
    ["an order sn with a NUL character", '{"ordersn":"A\\u0000","status":"PAID"}', /data\.ordersn/],
    ["an update time past year 9999", '{"ordersn":"A1","status":"PAID","update_time":99999999999999}', /data\.update_time/],
    ["a status that is a number", '{"ordersn":"A1","status":5}', /data\.status/],
  ])("marks as malformed an order push with %s", (_name, data, field) => {
    const [event] = provider.parseWebhook(push(`{"shop_id":1,"code":3,"timestamp":1,"data":${data}}`))
    expect(event.supported).toBe(false)
    expect(event.malformed).toMatch(field)
  })

  it("gives a lost push the same key as its live delivery", () => {
    const lost = fixture<{ response: { push_message_list: { data: Record<string, unknown> }[] } }>("lost_push_message.json")
    const live = lost.response.push_message_list[0].data
    const [event] = provider.parseWebhook(push(live))
    expect(event).toMatchObject({ type: "order.status_changed", external_order_id: "220810QSK8S7BX", external_status: "PROCESSED" })
  })
})
