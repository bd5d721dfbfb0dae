import { parseLazadaPush, pushTime, verifyLazadaPush } from "../push"
import { lazadaPushSignature } from "../signing"

const KEY = "123456"
const SECRET = "3412gyo124goi3124"

function request(body: string, signature?: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (signature !== null) headers.authorization = signature ?? lazadaPushSignature(KEY, SECRET, body)
  return { raw_body: Buffer.from(body, "utf8"), headers, url: "https://shop.example.com/hooks/marketplace/lazada" }
}

const trade = JSON.stringify({
  seller_id: "1234567",
  message_type: 0,
  data: { order_status: "shipped", trade_order_id: "260422900198363", trade_order_line_id: "260422900298363", status_update_time: 1603698638 },
  timestamp: 1603766859530,
  site: "lazada_vn",
})

describe("Lazada push verification", () => {
  it("accepts the app's signature over app key + raw body", () => {
    expect(verifyLazadaPush(request(trade), KEY, SECRET)).toEqual({ valid: true })
    expect(verifyLazadaPush(request(trade, lazadaPushSignature(KEY, SECRET, trade).toUpperCase()), KEY, SECRET)).toEqual({ valid: true })
  })

  it("refuses a missing, a wrong, or a re-serialized body's signature", () => {
    expect(verifyLazadaPush(request(trade, null), KEY, SECRET)).toEqual({ valid: false, reason: "missing_signature" })
    expect(verifyLazadaPush(request(trade, "00"), KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
    const spaced = JSON.stringify(JSON.parse(trade), null, 1)
    expect(verifyLazadaPush(request(spaced, lazadaPushSignature(KEY, SECRET, trade)), KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
    expect(verifyLazadaPush(request(trade, lazadaPushSignature("other", SECRET, trade)), KEY, SECRET)).toEqual({ valid: false, reason: "bad_signature" })
  })
})

describe("Lazada push parsing", () => {
  it("maps a trade order message per order line", () => {
    const [event] = parseLazadaPush(request(trade))
    expect(event).toMatchObject({
      type: "order.status_changed",
      external_type: "0",
      supported: true,
      external_shop_id: "1234567",
      external_order_id: "260422900198363",
      external_status: "shipped",
    })
    expect(event.order_updated_at?.toISOString()).toBe(new Date(1603698638000).toISOString())
    expect(event.sent_at?.getTime()).toBe(1603766859530)
  })

  it("gives a re-delivery the same key and another line or status another key", () => {
    const again = JSON.stringify({ ...JSON.parse(trade), timestamp: 1603768659530 })
    const other = JSON.stringify({ ...JSON.parse(trade), data: { ...JSON.parse(trade).data, trade_order_line_id: "260422900298364" } })
    const key = parseLazadaPush(request(trade))[0].idempotency_key
    expect(parseLazadaPush(request(again))[0].idempotency_key).toBe(key)
    expect(parseLazadaPush(request(other))[0].idempotency_key).not.toBe(key)
  })

  it("maps reverse orders and token expiry; keeps other types unsupported", () => {
    const reverse = JSON.stringify({
      seller_id: "12345",
      message_type: 10,
      data: { reverse_order_id: 658960600102006, reverse_status: "RTM_INIT", trade_order_id: 416557324702006, trade_order_line_id: 416557324802006, status_update_time: 1626767698 },
      timestamp: 1627889609,
      site: "lazada_sg",
    })
    expect(parseLazadaPush(request(reverse))[0]).toMatchObject({ type: "return.updated", external_return_id: "658960600102006", external_order_id: "416557324702006", external_status: "RTM_INIT" })
    const expiry = JSON.stringify({ seller_id: "null", message_type: 8, data: { app_key: "115527", auth_expiry_time: 1627542238, seller_id: "1000165972" }, timestamp: 1627416758, site: "lazada_ph" })
    expect(parseLazadaPush(request(expiry))[0]).toMatchObject({ type: "shop.authorization_expiring", external_shop_id: "1000165972" })
    const product = JSON.stringify({ seller_id: "1", message_type: 3, data: { item_id: 1 }, timestamp: 1627416758000, site: "lazada_sg" })
    expect(parseLazadaPush(request(product))[0]).toMatchObject({ type: "unsupported", supported: false })
  })

  it("reads a buyer's cancellation (reverse type CANCEL) as a change of its order, not a return", () => {
    const data = { reverse_order_id: 658960600102006, reverse_status: "CANCEL_INIT", trade_order_id: 416557324702006, extraParams: {}, trade_order_line_id: 416557324802006, buyer_id: 100112802006, seller_id: 1000143772, reverse_order_line_id: 663790000102006, status_update_time: 1626767698 }
    const push = (d: Record<string, unknown>) => JSON.stringify({ seller_id: "12345", message_type: 10, data: d, timestamp: 1627889609, site: "lazada_sg" })
    const [event] = parseLazadaPush(request(push(data)))
    expect(event).toMatchObject({ type: "order.status_changed", external_type: "10", supported: true, external_order_id: "416557324702006" })
    expect(event.external_return_id ?? null).toBeNull()
    expect(event.order_updated_at ?? null).toBeNull()
    expect(parseLazadaPush(request(push({ ...data, reverse_status: "CANCEL_SUCCESS" })))[0]).toMatchObject({ type: "order.status_changed", external_order_id: "416557324702006" })
    const { trade_order_id: _omitted, ...orderless } = data
    expect(parseLazadaPush(request(push(orderless)))[0]).toMatchObject({ supported: false, malformed: expect.stringContaining("trade_order_id") })
  })

  it("keeps a message whose data does not fit as malformed, and refuses what is no push", () => {
    const bad = JSON.stringify({ seller_id: "1", message_type: 0, data: { order_status: "shipped" }, timestamp: 1 })
    expect(parseLazadaPush(request(bad))[0]).toMatchObject({ supported: false, malformed: expect.stringContaining("trade_order_id") })
    expect(() => parseLazadaPush(request("not json"))).toThrow(/Malformed Lazada push/)
    expect(() => parseLazadaPush(request(JSON.stringify({ hello: 1 })))).toThrow(/Malformed Lazada push/)
  })

  it("reads push times in milliseconds or seconds", () => {
    expect(pushTime(1603766859530)?.getTime()).toBe(1603766859530)
    expect(pushTime(1627416758)?.getTime()).toBe(1627416758000)
    expect(pushTime(null)).toBeNull()
  })
})
