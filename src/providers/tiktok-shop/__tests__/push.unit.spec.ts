import { MarketplaceApiError } from "../../errors"
import { parseTiktokWebhook, verifyTiktokWebhook } from "../push"
import { signTiktokWebhook } from "../signing"

const KEY = "abcdef"
const SECRET = "123"
const DOC_BODY =
  '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}'

const request = (body: string | object, signature?: string | null) => {
  const raw = Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8")
  const headers: Record<string, string> = {}
  const sig = signature === undefined ? signTiktokWebhook(KEY, SECRET, raw) : signature
  if (sig !== null) headers.authorization = sig
  return { raw_body: raw, headers, url: "https://shop.example.com/hooks/marketplace/tiktok-shop" }
}

const envelope = (type: number, data: unknown, id = "7380066284010030891") => ({
  type,
  tts_notification_id: id,
  shop_id: "7495540735365777507",
  timestamp: 1718305600,
  data,
})

describe("TikTok Shop webhook verification", () => {
  it("accepts the docs' example", () => {
    expect(verifyTiktokWebhook(request(DOC_BODY), KEY, SECRET)).toEqual({ valid: true })
  })
  it("refuses a missing, wrong or partial signature, and a re-serialized body", () => {
    expect(verifyTiktokWebhook(request(DOC_BODY, null), KEY, SECRET)).toEqual({ valid: false, reason: "missing_signature" })
    expect(verifyTiktokWebhook(request(DOC_BODY, "0".repeat(64)), KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
    const good = signTiktokWebhook(KEY, SECRET, DOC_BODY)
    expect(verifyTiktokWebhook(request(DOC_BODY, good.slice(0, 32)), KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
    const respaced = request(JSON.stringify(JSON.parse(DOC_BODY), null, 1), good)
    expect(verifyTiktokWebhook(respaced, KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
  })
  it("refuses another app's key", () => {
    expect(verifyTiktokWebhook(request(DOC_BODY), "other", SECRET)).toEqual({ valid: false, reason: "bad_signature" })
  })
})

describe("TikTok Shop webhook parsing", () => {
  it("reads an order status message, keyed on tts_notification_id", () => {
    const [event] = parseTiktokWebhook(request(DOC_BODY))
    expect(event).toMatchObject({
      idempotency_key: "7380066284010030890",
      external_shop_id: "7495540735365777507",
      type: "order.status_changed",
      external_type: "1",
      supported: true,
      external_order_id: "576653688135258178",
      external_status: "UNPAID",
    })
    expect(event.order_updated_at?.getTime()).toBe(1718305585_000)
    expect(event.sent_at?.getTime()).toBe(1718305585_000)
  })

  it("says CANCELLED where the webhook says CANCEL", () => {
    const [event] = parseTiktokWebhook(request(envelope(1, { order_id: "1", order_status: "CANCEL", update_time: 1718305590 })))
    expect(event.external_status).toBe("CANCELLED")
  })

  it("turns a combined package update into one event per order", () => {
    const events = parseTiktokWebhook(
      request(envelope(4, { package_id: "p1", sc_type: "COMBINE", update_time: 1718305590, package_list: [{ package_id: "p1", order_id_list: ["o1", "o2"] }] }))
    )
    expect(events.map((e) => [e.type, e.external_order_id, e.idempotency_key])).toEqual([
      ["order.tracking_updated", "o1", "7380066284010030891:o1"],
      ["order.tracking_updated", "o2", "7380066284010030891:o2"],
    ])
  })

  it("maps deauthorization, expiring authorization, cancellation and return messages", () => {
    const types = [
      parseTiktokWebhook(request(envelope(6, { message: "revoked" })))[0],
      parseTiktokWebhook(request(envelope(7, { message: "soon", expiration_time: 1720000000 })))[0],
      parseTiktokWebhook(request(envelope(11, { order_id: "o1", cancel_status: "CANCELLATION_REQUEST_PENDING", update_time: 1718305590 })))[0],
      parseTiktokWebhook(request(envelope(12, { order_id: "o1", return_id: "r1", return_status: "RETURN_OR_REFUND_REQUEST_PENDING", update_time: 1718305590 })))[0],
    ]
    expect(types.map((e) => e.type)).toEqual(["shop.deauthorized", "shop.authorization_expiring", "order.status_changed", "return.updated"])
    expect(types[2].order_updated_at ?? null).toBeNull()
    expect(types[3]).toMatchObject({ external_return_id: "r1", external_order_id: "o1" })
  })

  it("stores an unknown type (35, Tokopedia mirror) as unsupported", () => {
    const [event] = parseTiktokWebhook(request({ ...envelope(35, { seller_open_id: "x" }), shop_id: undefined }))
    expect(event).toMatchObject({ type: "unsupported", supported: false, external_type: "35", external_shop_id: null })
  })

  it("keeps a known type whose data does not fit as malformed", () => {
    const [event] = parseTiktokWebhook(request(envelope(1, { order_status: "UNPAID" })))
    expect(event.malformed).toMatch(/^data\.order_id/)
  })

  it("throws a validation error for a body that is no TikTok Shop webhook", () => {
    expect(() => parseTiktokWebhook(request("not json"))).toThrow(MarketplaceApiError)
    expect(() => parseTiktokWebhook(request({ hello: "world" }))).toThrow(/Malformed TikTok Shop webhook/)
  })
})
