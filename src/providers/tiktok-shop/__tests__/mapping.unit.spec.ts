import { addDecimals, multiplyDecimal } from "../../kit"
import { groupLineItems, ORDER_STATUS_MAP, toMarketplaceOrder } from "../mapping"
import { orderSchema, type TiktokOrder } from "../schemas"
import fixture from "./fixtures/tokopedia-order.json"

const order = (patch: Partial<Record<string, unknown>> = {}): TiktokOrder => orderSchema.parse({ ...fixture, ...patch })

describe("TikTok Shop order mapping", () => {
  it("maps every documented order status", () => {
    const documented = [
      "UNPAID",
      "ON_HOLD",
      "AWAITING_SHIPMENT",
      "PARTIALLY_SHIPPING",
      "AWAITING_COLLECTION",
      "IN_TRANSIT",
      "DELIVERED",
      "COMPLETED",
      "CANCELLED",
    ]
    expect(Object.keys(ORDER_STATUS_MAP).sort()).toEqual([...documented].sort())
    expect(documented.map((s) => toMarketplaceOrder(order({ status: s })).status)).toEqual([
      "unpaid",
      "paid",
      "paid",
      "processed",
      "processed",
      "shipped",
      "delivered",
      "completed",
      "cancelled",
    ])
  })

  it("a paid order with a buyer's cancellation request pending is cancel_requested; a shipped one keeps its status", () => {
    expect(toMarketplaceOrder(order({ status: "AWAITING_SHIPMENT", is_buyer_request_cancel: true })).status).toBe("cancel_requested")
    expect(toMarketplaceOrder(order({ status: "AWAITING_COLLECTION", is_buyer_request_cancel: true })).status).toBe("cancel_requested")
    expect(toMarketplaceOrder(order({ status: "AWAITING_SHIPMENT", is_buyer_request_cancel: false })).status).toBe("paid")
    expect(toMarketplaceOrder(order({ status: "IN_TRANSIT", is_buyer_request_cancel: true })).status).toBe("shipped")
  })

  it("refuses an unknown status instead of guessing", () => {
    expect(() => toMarketplaceOrder(order({ status: "LOST_IN_SPACE" }))).toThrow(/unknown status LOST_IN_SPACE/)
  })

  it("groups one-unit line items by SKU and price", () => {
    const items = groupLineItems(order().line_items)
    expect(items.map((i) => [i.external_model_id, i.sku, i.quantity, i.unit_price])).toEqual([
      ["1729582718312380001", "KOPI-250-B", 2, "50000"],
      ["1729582718312380002", "KOPI-250-S", 1, "50000"],
    ])
  })

  it("keeps a unit sold at another price on a line of its own", () => {
    const lines = [...fixture.line_items, { ...fixture.line_items[0], id: "577087614418520009", original_price: "40000", sale_price: "40000", seller_discount: "0" }]
    const items = groupLineItems(order({ line_items: lines }).line_items)
    expect(items.map((i) => [i.external_model_id, i.quantity, i.unit_price])).toEqual([
      ["1729582718312380001", 2, "50000"],
      ["1729582718312380002", 1, "50000"],
      ["1729582718312380001", 1, "40000"],
    ])
  })

  it("makes Medusa's total (lines + shipping - discounts) equal TikTok's total_amount", () => {
    const mapped = toMarketplaceOrder(order())
    const lines = addDecimals(...mapped.items.map((i) => multiplyDecimal(i.unit_price, i.quantity)))
    expect(mapped.discount_total).toBe("15000")
    expect(mapped.shipping.amount).toBe("12000")
    expect(addDecimals(lines, mapped.shipping.amount, multiplyDecimal(mapped.discount_total, -1))).toBe(mapped.total)
    expect(mapped.total).toBe("147000")
  })

  it("labels a Tokopedia order and reads buyer, address and package", () => {
    const mapped = toMarketplaceOrder(order())
    expect(mapped.channel).toBe("tokopedia")
    expect(toMarketplaceOrder(order({ commerce_platform: "TIKTOK_SHOP" })).channel).toBeNull()
    expect(mapped.currency_code).toBe("idr")
    expect(mapped.buyer).toEqual({ external_id: "7021436810468230477", username: null, email: null, phone: null })
    expect(mapped.shipping_address).toMatchObject({
      name: "Budi Santoso",
      city: "Jakarta Pusat",
      district: "Menteng",
      province: "DKI Jakarta",
      postal_code: "10310",
      country_code: "id",
    })
    expect(mapped.packages).toEqual([
      { external_id: "1152921519587781937", status: null, carrier: "J&T Express", tracking_number: null, items: [] },
    ])
    expect(mapped.updated_at.toISOString()).toBe(new Date(1719830400_000).toISOString())
  })
})
