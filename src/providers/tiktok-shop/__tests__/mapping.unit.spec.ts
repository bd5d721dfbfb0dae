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
      // The fixture's lines carry no status: the package follows the order.
      { external_id: "1152921519587781937", status: null, stage: null, carrier: "J&T Express", tracking_number: null, items: [] },
    ])
    expect(mapped.updated_at.toISOString()).toBe(new Date(1719830400_000).toISOString())
  })

  it("maps a split order's packages each with its units' stage, tracking number and lines", () => {
    const [a1, a2, b] = fixture.line_items
    const shipped = { package_id: "P1", display_status: "IN_TRANSIT", package_status: "FULFILLING", tracking_number: "JX1", shipping_provider_name: "SiCepat" }
    const waiting = { package_id: "P2", display_status: "AWAITING_SHIPMENT", package_status: "TO_FULFILL" }
    const mapped = toMarketplaceOrder(
      order({
        status: "PARTIALLY_SHIPPING",
        tracking_number: "JX1",
        packages: [{ id: "P1" }, { id: "P2" }],
        line_items: [{ ...a1, ...shipped }, { ...a2, ...shipped }, { ...b, ...waiting }],
      })
    )
    expect(mapped.status).toBe("processed")
    expect(mapped.packages).toEqual([
      { external_id: "P1", status: "FULFILLING", stage: "shipped", carrier: "SiCepat", tracking_number: "JX1", items: [{ line_id: a1.id, quantity: 2 }] },
      { external_id: "P2", status: "TO_FULFILL", stage: "pending", carrier: "J&T Express", tracking_number: null, items: [{ line_id: b.id, quantity: 1 }] },
    ])
  })

  it("reads delivered, completed and cancelled units, and a status it does not know as no stage", () => {
    const lines = (patch: Record<string, unknown>) => fixture.line_items.map((l) => ({ ...l, ...patch }))
    const stage = (patch: Record<string, unknown>) => toMarketplaceOrder(order({ line_items: lines(patch) })).packages[0].stage
    expect(stage({ display_status: "DELIVERED", package_status: "COMPLETED" })).toBe("delivered")
    expect(stage({ display_status: "COMPLETED" })).toBe("delivered")
    expect(stage({ display_status: "AWAITING_COLLECTION", package_status: "PROCESSING" })).toBe("pending")
    expect(stage({ display_status: "CANCELLED", package_status: "CANCELLED" })).toBe("cancelled")
    expect(stage({ display_status: "SOMEWHERE_ELSE" })).toBeNull()
    // One unit cancelled, the others in transit: the package ships with the live units.
    const [x, y, z] = fixture.line_items
    const mixed = [{ ...x, display_status: "CANCELLED" }, { ...y, display_status: "IN_TRANSIT" }, { ...z, display_status: "IN_TRANSIT" }]
    expect(toMarketplaceOrder(order({ line_items: mixed })).packages[0].stage).toBe("shipped")
  })

  it("maps a combined package on each of its orders with that order's lines only", () => {
    const combined = { package_id: "C1", display_status: "AWAITING_COLLECTION", package_status: "PROCESSING", tracking_number: "JXC1" }
    const first = toMarketplaceOrder(order({ packages: [{ id: "C1" }], split_or_combine_tag: "COMBINED", line_items: fixture.line_items.map((l) => ({ ...l, ...combined })) }))
    const second = toMarketplaceOrder(
      order({ id: "576461413038785999", packages: [{ id: "C1" }], split_or_combine_tag: "COMBINED", line_items: [{ ...fixture.line_items[2], id: "577087614418529999", ...combined }] })
    )
    for (const mapped of [first, second]) {
      expect(mapped.packages).toEqual([{ external_id: "C1", status: "PROCESSING", stage: "pending", carrier: "J&T Express", tracking_number: "JXC1", items: [] }])
    }
    expect(second.items).toHaveLength(1)
  })
})
