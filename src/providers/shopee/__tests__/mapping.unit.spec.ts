import {
  escrowBatchSchema,
  escrowDetailSchema,
  itemBaseInfoListSchema,
  modelListSchema,
  orderDetailListSchema,
  returnDetailSchema,
  returnListSchema,
} from "../schemas"
import { mapEscrow, mapListings, mapOrder, mapOrderStatus, mapReturn, ORDER_STATUS_MAP } from "../mapping"
import { parseJsonLossless } from "../../kit"
import { ShopeeValidationError } from "../errors"
import { fixtureText } from "./helpers"

// Fixtures are the response samples of the Open Platform reference (fixed where the sample is not valid JSON).
function load<T>(schema: { parse(v: unknown): T }, name: string): T {
  return schema.parse(parseJsonLossless(fixtureText(name)))
}

describe("Shopee order mapping", () => {
  const detail = load(orderDetailListSchema, "order_detail.json").response.order_list![0]

  it("maps the documented order detail", () => {
    const order = mapOrder(detail)
    expect(order).toMatchObject({
      external_id: "2404098R48U37H",
      status: "completed",
      external_status: "COMPLETED",
      currency_code: "vnd",
      country_code: "vn",
      total: "32119",
      payment_method: "Cash on Delivery",
      buyer: { external_id: "1170319091", username: "xt4fdsf96j", email: null },
      shipping: { amount: "5000", carrier: "Giao Hàng Nhanh" },
    })
    expect(order.created_at.toISOString()).toBe(new Date(1712601591 * 1000).toISOString())
    expect(order.updated_at.toISOString()).toBe(new Date(1713139948 * 1000).toISOString())
    expect(order.paid_at?.toISOString()).toBe(new Date(1712817766 * 1000).toISOString())
    expect(order.items).toEqual([
      {
        line_id: "23620853561:221404189791",
        external_item_id: "23620853561",
        external_model_id: "221404189791",
        sku: "QAZ-SADOER-05",
        title: expect.stringContaining("Kem nở ngực"),
        variant_title: "60g（Papaya）",
        quantity: 1,
        unit_price: "48000",
        original_unit_price: "300000",
        image_url: "https://cf.shopee.vn/file/vn-11134207-7qukw-lf6guphtf6oad3_tn",
      },
    ])
    expect(order.packages).toEqual([
      {
        external_id: "OFG166300791210964",
        status: "LOGISTICS_DELIVERY_DONE",
        stage: "delivered",
        carrier: "5-Day Delivery (SPX)",
        tracking_number: null,
        items: [{ line_id: "23620853561:221404189791", quantity: 1 }],
      },
    ])
    // masked parts are kept as given
    expect(order.shipping_address).toMatchObject({
      name: "P******n",
      phone: "******64",
      full_address: "Ấp******",
      address_1: "Ấp******",
      province: "Bạc Liêu",
      city: "Huyện Phước Long",
      country_code: "vn",
      postal_code: null,
    })
  })

  it("prefers a positive actual shipping fee, keeps decimals exact and falls back to item_sku", () => {
    const order = mapOrder({
      ...detail,
      actual_shipping_fee: "2.35",
      estimated_shipping_fee: "3.1",
      item_list: detail.item_list!.map((i) => ({ ...i, model_sku: "", item_sku: "PARENT", model_id: "0", model_discounted_price: "19.9" })),
    })
    expect(order.shipping.amount).toBe("2.35")
    expect(order.items[0]).toMatchObject({ sku: "PARENT", external_model_id: "0", unit_price: "19.9" })
    const zeroActual = mapOrder({ ...detail, actual_shipping_fee: "0", estimated_shipping_fee: "3.1" })
    expect(zeroActual.shipping.amount).toBe("3.1")
  })

  it.each(Object.entries(ORDER_STATUS_MAP))("maps %s to %s", (shopee, plugin) => {
    expect(mapOrder({ ...detail, order_status: shopee }).status).toBe(plugin)
  })

  it("takes a package's stage from its logistics_status only where that is plain; else the package follows the order", () => {
    const pkg = detail.package_list![0]
    const stages = (orderStatus: string, ...statuses: (string | null)[]) =>
      mapOrder({
        ...detail,
        order_status: orderStatus,
        package_list: statuses.map((logistics_status, i) => ({ ...pkg, package_number: `PKG${i}`, logistics_status })),
      }).packages.map((p) => p.stage)
    // One order split in two packages: one handed to the carrier while the other waits, then one delivered.
    expect(stages("PROCESSED", "LOGISTICS_PICKUP_DONE", "LOGISTICS_REQUEST_CREATED")).toEqual(["shipped", null])
    expect(stages("SHIPPED", "LOGISTICS_DELIVERY_DONE", "LOGISTICS_PICKUP_DONE")).toEqual(["delivered", "shipped"])
    // Before pickup, the failures (the order's cancellation or return) and anything unknown say nothing of their own.
    expect(
      stages(
        "READY_TO_SHIP",
        "LOGISTICS_NOT_START",
        "LOGISTICS_PENDING_ARRANGE",
        "LOGISTICS_READY",
        "LOGISTICS_REQUEST_CREATED",
        "LOGISTICS_PICKUP_RETRY",
        "LOGISTICS_COD_REJECTED",
        "LOGISTICS_SOMETHING_NEW",
        null
      )
    ).toEqual(Array(8).fill(null))
    expect(stages("CANCELLED", "LOGISTICS_INVALID", "LOGISTICS_REQUEST_CANCELED", "LOGISTICS_PICKUP_FAILED", "LOGISTICS_LOST")).toEqual(Array(4).fill(null))
    expect(stages("TO_RETURN", "LOGISTICS_DELIVERY_FAILED", "LOGISTICS_DELIVERY_DONE")).toEqual([null, "delivered"])
    // A logistics status lagging behind an order Shopee calls received follows the order (delivered), not "shipped".
    expect(stages("TO_CONFIRM_RECEIVE", "LOGISTICS_PICKUP_DONE")).toEqual([null])
    expect(stages("COMPLETED", "LOGISTICS_PICKUP_DONE", "LOGISTICS_DELIVERY_DONE")).toEqual([null, "delivered"])
  })

  it("refuses an unknown status, naming the field", () => {
    expect(() => mapOrderStatus("TELEPORTED", "response.order_list[0].order_status")).toThrow(ShopeeValidationError)
    expect(() => mapOrder({ ...detail, order_status: "TELEPORTED" }, 3)).toThrow(/response\.order_list\[3\]\.order_status/)
  })

  it("fails the schema with the field path when a used field is missing", () => {
    const body = parseJsonLossless(fixtureText("order_detail.json")) as { response: { order_list: Record<string, unknown>[] } }
    delete body.response.order_list[0].update_time
    const result = orderDetailListSchema.safeParse(body)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0].path).toEqual(["response", "order_list", 0, "update_time"])
  })
})

describe("Shopee escrow mapping", () => {
  const batch = load(escrowBatchSchema, "escrow_detail_batch.json")
  const raw = batch.response as { escrow_detail?: unknown; fail_error?: string | null }[]
  const entries = raw.map((e) => ({ ...e, escrow_detail: e.fail_error ? null : escrowDetailSchema.parse(e.escrow_detail) }))

  it("maps fees by kind, adjustments and the net payout", () => {
    const escrow = mapEscrow(entries[0].escrow_detail!, "vnd")
    expect(escrow).toMatchObject({
      external_order_id: "2405017HD347PQ",
      currency_code: "vnd",
      buyer_total: "48440",
      net_payout: "36719",
      adjustments: [{ reason: "Return Refund deduction", amount: "-1000" }],
    })
    expect(escrow.adjustments[0].at?.toISOString()).toBe(new Date(1715000000 * 1000).toISOString())
    expect(escrow.fees).toEqual({
      commission: "0",
      service: "2133",
      transaction: "848",
      shipping_paid_by_buyer: "2000",
      shipping_actual: "0",
      shipping_rebate: "15000",
      seller_voucher: "0",
      platform_voucher: "2370",
      coins: "400",
      tax: "0",
      other: "0",
    })
  })

  it("uses escrow_amount when there is no adjustment", () => {
    const detail = { ...entries[0].escrow_detail!, order_income: { ...entries[0].escrow_detail!.order_income, escrow_amount_after_adjustment: undefined, order_adjustment: undefined } }
    expect(mapEscrow(detail, "vnd")).toMatchObject({ net_payout: "37719", adjustments: [] })
  })

  it("reads the failed entry of the batch", () => {
    expect(entries[1].fail_error).toBe("order_not_found")
  })
})

describe("Shopee return mapping", () => {
  it("maps the documented return detail", () => {
    const ret = mapReturn(load(returnDetailSchema, "return_detail.json").response)
    expect(ret).toMatchObject({
      external_id: "2206140TA5PM808",
      external_order_id: "220614T9XV8JTN",
      status: "accepted",
      external_status: "ACCEPTED",
      solution: "return_refund",
      reason: "NOT_RECEIPT: not received",
      currency_code: "sgd",
      refund_amount: "13.97",
      items: [{ external_item_id: "2700126223", external_model_id: "2001586745", sku: "RED", quantity: 1, refund_amount: "12.34" }],
    })
  })

  it.each([
    ["REQUESTED", "requested"],
    ["ACCEPTED", "accepted"],
    ["PROCESSING", "processing"],
    ["JUDGING", "processing"],
    ["SELLER_DISPUTE", "disputed"],
    ["CANCELLED", "cancelled"],
    ["CLOSED", "closed"],
  ])("maps %s to %s", (shopee, plugin) => {
    const base = load(returnListSchema, "return_list.json").response.return![0]
    expect(mapReturn({ ...base, status: shopee }).status).toBe(plugin)
  })

  it("reads refund-only from return_solution", () => {
    const base = load(returnListSchema, "return_list.json").response.return![0]
    expect(mapReturn({ ...base, return_solution: 1 }).solution).toBe("refund_only")
  })
})

describe("Shopee listing mapping", () => {
  const item = load(itemBaseInfoListSchema, "item_base_info.json").response.item_list![0]

  it("maps an item without variations to model 0", () => {
    const [listing] = mapListings({ ...item, has_model: false }, null)
    expect(listing).toMatchObject({ external_item_id: "34002", external_model_id: "0", price: "122.02", currency_code: "sgd" })
  })

  it("maps models with their tier option names", () => {
    const models = load(modelListSchema, "model_list.json").response
    const [listing] = mapListings({ ...item, has_model: true }, models)
    expect(listing).toMatchObject({
      external_item_id: "34002",
      external_model_id: "2000458802",
      sku: "blue bag",
      variant_title: "testsku1",
      price: "100",
      currency_code: "twd",
      stock: 0,
      status: "MODEL_NORMAL",
    })
  })
})
