import { externalStatusOf, foldLines, orderStatusOf, packagesOf, packageStageOf, toGrant, toMarketplaceOrder, totalsOf } from "../mapping"
import { orderItemSchema, orderSchema, parseLazadaTime, tokenSchema, type LazadaOrderItem } from "../schemas"

let seq = 0
function item(status: string, extra: Record<string, unknown> = {}): LazadaOrderItem {
  seq += 1
  return orderItemSchema.parse({
    order_item_id: 900000 + seq,
    order_id: 555,
    status,
    sku: "MUG-01",
    shop_sku: "2234567_SGAMZ-4567",
    sku_id: "4567",
    name: "Mug",
    item_price: "12.50",
    currency: "SGD",
    buyer_id: 42,
    ...extra,
  })
}

const order = orderSchema.parse({
  order_id: 555,
  created_at: "2025-06-01 20:00:00 +0800",
  updated_at: "2025-06-01 21:00:00 +0800",
  price: "1,037.50",
  shipping_fee: "3.00",
  voucher: "5.50",
  customer_first_name: "Tan",
  customer_last_name: "Mei Ling",
  payment_method: "COD",
  address_shipping: { first_name: "Tan", last_name: "Mei Ling", phone: "6591234567", address1: "1 Road", address3: "Singapore", city: "Singapore", post_code: 49123, country: "Singapore" },
})

describe("Lazada order status from item statuses", () => {
  it("is the least advanced remaining item's stage", () => {
    expect(orderStatusOf([item("pending"), item("shipped")])).toBe("paid")
    expect(orderStatusOf([item("packed"), item("ready_to_ship")])).toBe("processed")
    expect(orderStatusOf([item("shipped"), item("delivered")])).toBe("shipped")
    expect(orderStatusOf([item("delivered"), item("returned")])).toBe("delivered")
    expect(orderStatusOf([item("returned"), item("returned")])).toBe("in_return")
    expect(orderStatusOf([item("unpaid"), item("unpaid")])).toBe("unpaid")
    // GetOrders lists "shipping" among the item statuses: the carrier has the unit.
    expect(orderStatusOf([item("shipping"), item("delivered")])).toBe("shipped")
  })

  it("ignores cancelled items unless every item is cancelled", () => {
    expect(orderStatusOf([item("canceled"), item("shipped")])).toBe("shipped")
    expect(orderStatusOf([item("canceled"), item("canceled")])).toBe("cancelled")
    expect(orderStatusOf([item("canceled"), item("lost"), item("delivered")])).toBe("delivered")
  })

  it("is cancel_requested while the seller must answer a buyer's cancellation", () => {
    expect(orderStatusOf([item("pending", { need_cancel_confirm: true }), item("pending")])).toBe("cancel_requested")
  })

  it("counts an unknown item status as paid, never further", () => {
    expect(orderStatusOf([item("some_new_status"), item("delivered")])).toBe("paid")
  })

  it("names the distinct item statuses as the external status", () => {
    expect(externalStatusOf([item("shipped"), item("canceled"), item("shipped")])).toBe("canceled,shipped")
  })
})

describe("Lazada lines and totals", () => {
  it("folds one item per unit into one line per SKU and price", () => {
    const items = [item("pending"), item("pending"), item("pending", { item_price: "10.00" }), item("pending", { sku: "CAP", sku_id: "77", shop_sku: "88_SGAMZ-77" })]
    const lines = foldLines(items)
    expect(lines.map((l) => [l.line_id, l.external_item_id, l.external_model_id, l.quantity, l.unit_price])).toEqual([
      ["4567@12.5", "2234567", "4567", 2, "12.5"],
      ["4567@10", "2234567", "4567", 1, "10"],
      ["77@12.5", "88", "77", 1, "12.5"],
    ])
  })

  it("keeps the folded line id when the units change status", () => {
    const before = foldLines([item("pending"), item("pending")])
    const after = foldLines([item("canceled"), item("shipped")])
    expect(after.map((l) => l.line_id)).toEqual(before.map((l) => l.line_id))
  })

  it("counts the units cancelled on Lazada in the line's quantity and its cancelled quantity", () => {
    const lines = foldLines([item("canceled"), item("shipped"), item("lost_by_3pl"), item("delivered", { sku: "CAP", sku_id: "77", shop_sku: "88_SGAMZ-77" })])
    expect(lines.map((l) => [l.line_id, l.quantity, l.cancelled_quantity])).toEqual([
      ["4567@12.5", 3, 2],
      ["77@12.5", 1, 0],
    ])
  })

  it("makes the total price + shipping - vouchers, with commas read", () => {
    expect(totalsOf(order)).toEqual({ shipping: "3", discount: "5.5", total: "1035" })
    const parts = orderSchema.parse({ ...order, created_at: "2025-06-01T12:00:00Z", updated_at: "2025-06-01T12:00:00Z", voucher: undefined, voucher_seller: "1.25", voucher_platform: "2", price: "20" })
    expect(totalsOf(parts).total).toBe(String(20 + 3 - 3.25))
  })

  it("maps an order: buyer, address, packages, status, Lazada times", () => {
    const items = [item("packed", { package_id: "FP1", tracking_code: "LZ1", shipment_provider: "LEX SG" }), item("packed", { package_id: "FP1" }), item("canceled", { reason: "Out of stock" })]
    const mapped = toMarketplaceOrder(order, items, "SG")
    expect(mapped.status).toBe("processed")
    expect(mapped.currency_code).toBe("sgd")
    expect(mapped.country_code).toBe("sg")
    expect(mapped.created_at.toISOString()).toBe("2025-06-01T12:00:00.000Z")
    expect(mapped.buyer).toEqual({ external_id: "42", username: "Tan Mei Ling", email: null, phone: "6591234567" })
    expect(mapped.shipping_address).toMatchObject({ name: "Tan Mei Ling", city: "Singapore", postal_code: "49123", country_code: "sg" })
    expect(mapped.items).toHaveLength(1)
    expect(mapped.items[0].quantity).toBe(3)
    expect(mapped.cancel_reason).toBe("Out of stock")
    expect(packagesOf(items)).toEqual([{ external_id: "FP1", status: "packed", stage: "pending", carrier: "LEX SG", tracking_number: "LZ1", items: [{ line_id: "4567@12.5", quantity: 2 }] }])
    expect(mapped.total).toBe("1035")
  })

  it("reads Lazada's two time formats", () => {
    expect(parseLazadaTime("2018-02-06 11:43:55 +0800")?.toISOString()).toBe("2018-02-06T03:43:55.000Z")
    expect(parseLazadaTime("2018-02-06T11:43:55+07:00")?.toISOString()).toBe("2018-02-06T04:43:55.000Z")
    expect(parseLazadaTime("yesterday")).toBeNull()
  })
})

describe("Lazada package stages from the items of each package", () => {
  it("is pending until the carrier has the package, then shipped, then delivered", () => {
    for (const status of ["pending", "topack", "packed", "repacked", "ready_to_ship_pending", "ready_to_ship", "toship"]) {
      expect([status, packageStageOf([item(status)])]).toEqual([status, "pending"])
    }
    expect(packageStageOf([item("shipped"), item("shipped")])).toBe("shipped")
    expect(packageStageOf([item("shipping")])).toBe("shipped")
    expect(packageStageOf([item("delivered"), item("confirmed")])).toBe("delivered")
  })

  it("is cancelled when every unit is gone; gone units do not count otherwise", () => {
    expect(packageStageOf([item("canceled"), item("lost_by_3pl")])).toBe("cancelled")
    expect(packageStageOf([item("canceled"), item("shipped")])).toBe("shipped")
    expect(packageStageOf([item("damaged_by_3pl"), item("delivered")])).toBe("delivered")
  })

  it("counts a failed delivery or a parcel shipped back as shipped, a return (after delivery) as delivered", () => {
    for (const status of ["failed", "failed_delivery", "shipped_back", "shipped_back_success", "shipped_back_failed"]) {
      expect([status, packageStageOf([item(status)])]).toEqual([status, "shipped"])
    }
    expect(packageStageOf([item("returned")])).toBe("delivered")
    expect(packageStageOf([item("delivered"), item("returned")])).toBe("delivered")
  })

  it("is where the least advanced live unit of a mixed package is; an unknown status counts as pending", () => {
    expect(packageStageOf([item("delivered"), item("shipped")])).toBe("shipped")
    expect(packageStageOf([item("ready_to_ship"), item("shipped"), item("canceled")])).toBe("pending")
    expect(packageStageOf([item("delivered"), item("failed")])).toBe("shipped")
    expect(packageStageOf([item("SHIPPED"), item("Delivered")])).toBe("shipped")
    expect(packageStageOf([item("some_new_status"), item("delivered")])).toBe("pending")
  })

  it("gives each package of an order its own stage; units without a package id are no package", () => {
    const mug = { sku: "MUG-01", sku_id: "4567", shop_sku: "2234567_SGAMZ-4567" }
    const tee = { sku: "TEE", sku_id: "88", shop_sku: "99_SGAMZ-88" }
    const items = [
      item("delivered", { ...mug, package_id: "FP1", tracking_code: "LZ1", shipment_provider: "LEX SG" }),
      item("delivered", { ...mug, package_id: "FP1", tracking_code: "LZ1", shipment_provider: "LEX SG" }),
      item("ready_to_ship", { ...tee, package_id: "FP2", shipment_provider: "LEX SG" }),
      item("ready_to_ship", { ...mug, package_id: "FP2", tracking_code: "LZ2", shipment_provider: "LEX SG" }),
      item("canceled", { ...tee, package_id: "FP3" }),
      // Moved on without Pack (no package id): the order's status covers it.
      item("shipped", { ...tee }),
    ]
    const mapped = toMarketplaceOrder(order, items, "SG")
    expect(mapped.status).toBe("processed")
    expect(mapped.packages).toEqual([
      { external_id: "FP1", status: "delivered", stage: "delivered", carrier: "LEX SG", tracking_number: "LZ1", items: [{ line_id: "4567@12.5", quantity: 2 }] },
      {
        external_id: "FP2",
        status: "ready_to_ship",
        stage: "pending",
        carrier: "LEX SG",
        // The package's tracking code, though its first unit does not carry it.
        tracking_number: "LZ2",
        items: [
          { line_id: "88@12.5", quantity: 1 },
          { line_id: "4567@12.5", quantity: 1 },
        ],
      },
      { external_id: "FP3", status: "canceled", stage: "cancelled", carrier: null, tracking_number: null, items: [{ line_id: "88@12.5", quantity: 1 }] },
    ])
  })
})

describe("Lazada grant", () => {
  it("makes one shop per country of country_user_info, with the country's API host", () => {
    const answer = tokenSchema.parse({
      code: "0",
      access_token: "at",
      refresh_token: "rt",
      expires_in: 604800,
      refresh_expires_in: 2592000,
      account: "seller@example.com",
      country_user_info: [
        { country: "sg", seller_id: "1001", user_id: "2001", short_code: "SGX" },
        { country: "my", seller_id: "1002", user_id: "2002", short_code: "MYX" },
      ],
    })
    const grant = toGrant(answer, Date.UTC(2025, 0, 1), "http://127.0.0.1:1/lazada/{country}/rest")
    expect(grant.tokens.access_token_expires_at.toISOString()).toBe("2025-01-08T00:00:00.000Z")
    expect(grant.shops.map((s) => [s.shop_id, s.region, s.currency_code, s.metadata?.api_base_url])).toEqual([
      ["1001", "SG", "sgd", "http://127.0.0.1:1/lazada/sg/rest"],
      ["1002", "MY", "myr", "http://127.0.0.1:1/lazada/my/rest"],
    ])
    expect(toGrant(answer, 0, null).shops[1].metadata?.api_base_url).toBe("https://api.lazada.com.my/rest")
  })
})
