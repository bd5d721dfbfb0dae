import { call, control, type Harness, startHarness } from "./shopee-test-client"

const SHOP = 710001
const DAY = 86400

/** Orders, paging, batch caps, cancel and escrow. */
describe("Shopee sandbox orders", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness()
    h.sandbox.createShop({ shop_id: SHOP, shop_name: "Orders Shop", region: "SG" })
    h.sandbox.seedItems(SHOP, [
      { item_name: "Bulk Tee", item_sku: "BULK", tier_variation: [{ name: "Size", options: ["S", "M"] }], models: [
        { model_sku: "BULK-S", tier_index: [0], price: 10, stock: 100000 },
        { model_sku: "BULK-M", tier_index: [1], price: 12.5, stock: 100000 },
      ] },
      { item_name: "Bulk Mug", item_sku: "BULK-MUG", price: 8.9, stock: 100000 },
    ])
    const pair = h.sandbox.issueTokens(SHOP)
    auth = { accessToken: pair.access_token, shopId: SHOP }
  })

  afterEach(() => h.close())

  const list = (query: Record<string, string | number>) =>
    call(h, "/api/v2/order/get_order_list", { auth, query: { time_range_field: "update_time", page_size: 100, ...query } })

  it("pages 250 orders 100 at a time with a cursor, each once, newest first", async () => {
    const start = h.nowSec() - 10 * DAY
    for (let i = 0; i < 250; i++) {
      h.sandbox.createOrders(SHOP, { status: "READY_TO_SHIP", create_time: start + i * 60 })
    }
    const seen: string[] = []
    let cursor = ""
    let pages = 0
    for (;;) {
      const res = await list({ time_from: start - 1, time_to: h.nowSec(), cursor })
      expect(res.status).toBe(200)
      expect(res.data.error).toBe("")
      expect(res.data.response.order_list.length).toBeLessThanOrEqual(100)
      seen.push(...res.data.response.order_list.map((o: { order_sn: string }) => o.order_sn))
      pages++
      if (!res.data.response.more) {
        expect(res.data.response.next_cursor).toBe("")
        break
      }
      cursor = res.data.response.next_cursor
    }
    expect(pages).toBe(3)
    expect(seen).toHaveLength(250)
    expect(new Set(seen).size).toBe(250)
    const times = seen.map((sn) => h.sandbox.core.state.orders.get(sn)?.update_time ?? 0)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })

  it("refuses page_size above 100 and windows over 15 days", async () => {
    const now = h.nowSec()
    const big = await list({ time_from: now - DAY, time_to: now, page_size: 101 })
    expect(big.status).toBe(400)
    expect(big.data.error).toBe("error_param")
    const wide = await list({ time_from: now - 15 * DAY - 1, time_to: now })
    expect(wide.status).toBe(400)
    // get_order_list documents its own error name for this case (see its error_example).
    expect(wide.data).toMatchObject({ error: "order.order_list_invalid_time", message: "Start time must be earlier than end time and diff in 15days." })
    expect((await list({ time_from: now - 15 * DAY, time_to: now })).data.error).toBe("")
  })

  it("filters by status and returns order_status only when asked", async () => {
    h.sandbox.createOrders(SHOP, { count: 3, status: "READY_TO_SHIP" })
    h.sandbox.createOrders(SHOP, { count: 2, status: "COMPLETED" })
    const now = h.nowSec()
    const res = await call(h, "/api/v2/order/get_order_list", {
      auth,
      query: { time_range_field: "create_time", time_from: now - DAY, time_to: now + 60, page_size: 20, order_status: "COMPLETED", response_optional_fields: "order_status" },
    })
    expect(res.data.response.order_list).toHaveLength(2)
    expect(res.data.response.order_list[0]).toEqual({ order_sn: expect.any(String), order_status: "COMPLETED" })
  })

  it("returns details with only the requested optional fields and caps the batch at 50", async () => {
    const orders = h.sandbox.createOrders(SHOP, { count: 51, status: "READY_TO_SHIP" })
    const sns = orders.map((o) => o.order_sn)
    const over = await call(h, "/api/v2/order/get_order_detail", { auth, query: { order_sn_list: sns.join(",") } })
    expect(over.status).toBe(400)
    expect(over.data.error).toBe("error_param")

    const bare = await call(h, "/api/v2/order/get_order_detail", { auth, query: { order_sn_list: sns.slice(0, 2).join(",") } })
    const first = bare.data.response.order_list[0]
    expect(first).toMatchObject({ order_sn: sns[0], region: "SG", currency: "SGD", order_status: "READY_TO_SHIP" })
    expect(first.item_list).toBeUndefined()
    expect(first.total_amount).toBeUndefined()

    const full = await call(h, "/api/v2/order/get_order_detail", {
      auth,
      query: { order_sn_list: sns.slice(0, 50).join(","), response_optional_fields: "item_list,recipient_address,total_amount,pay_time,package_list,actual_shipping_fee,buyer_user_id,buyer_username,payment_method,shipping_carrier" },
    })
    expect(full.data.response.order_list).toHaveLength(50)
    const o = full.data.response.order_list[0]
    expect(typeof o.total_amount).toBe("number")
    expect(Number.isInteger(o.item_list[0].item_id)).toBe(true)
    expect(Number.isInteger(o.item_list[0].model_id)).toBe(true)
    expect(typeof o.item_list[0].model_original_price).toBe("number")
    expect(o.recipient_address.name).toMatch(/^.\*{6}.$/)
    expect(o.recipient_address.phone).toMatch(/^\*{6}\d\d$/)
    expect(typeof o.pay_time).toBe("number")
    expect(o.package_list[0].package_number).toMatch(/^OFG\d{15}$/)
    // total_amount = items after discount + buyer shipping - vouchers - coins
    const order = h.sandbox.core.state.orders.get(sns[0])
    if (!order) throw new Error("missing order")
    const items = order.lines.reduce((s, l) => s + l.discounted_price * l.quantity, 0)
    expect(o.total_amount).toBeCloseTo(items + order.buyer_paid_shipping_fee - order.voucher_from_seller - order.voucher_from_shopee - order.coins, 2)

    const unknown = await call(h, "/api/v2/order/get_order_detail", { auth, query: { order_sn_list: "NOPE" } })
    expect(unknown.data.error).toBe("error_not_found")
  })

  it("bumps update_time on every change; a COD order starts ready to ship", async () => {
    const [cod] = h.sandbox.createOrders(SHOP, { status: "UNPAID", payment_method: "Cash on Delivery" })
    expect(cod).toMatchObject({ cod: true, order_status: "READY_TO_SHIP" })
    const [order] = h.sandbox.createOrders(SHOP, { status: "UNPAID", payment_method: "ShopeePay" })
    const before = order.update_time
    h.sandbox.advanceOrder(order.order_sn)
    expect(order.order_status).toBe("READY_TO_SHIP")
    expect(order.update_time).toBeGreaterThan(before)
    const again = order.update_time
    const res = await control(h, "POST", `/sandbox/orders/${order.order_sn}/advance`, {})
    expect(res.data.order.order_status).toBe("PROCESSED")
    expect(res.data.order.update_time).toBeGreaterThan(again)

    const patched = await control(h, "PATCH", `/sandbox/orders/${order.order_sn}`, { update_time: 1700000000 })
    expect(patched.data.order.update_time).toBe(1700000000)
  })

  it("cancels before shipping only, and wants item_list for OUT_OF_STOCK", async () => {
    const [ready, shipped] = [
      h.sandbox.createOrders(SHOP, { status: "READY_TO_SHIP" })[0],
      h.sandbox.createOrders(SHOP, { status: "SHIPPED" })[0],
    ]
    const missingItems = await call(h, "/api/v2/order/cancel_order", { auth, body: { order_sn: ready.order_sn, cancel_reason: "OUT_OF_STOCK" } })
    expect(missingItems.data.error).toBe("error_param")
    const badReason = await call(h, "/api/v2/order/cancel_order", { auth, body: { order_sn: ready.order_sn, cancel_reason: "BORED" } })
    expect(badReason.data.error).toBe("error_param")

    const line = ready.lines[0]
    const ok = await call(h, "/api/v2/order/cancel_order", {
      auth,
      body: { order_sn: ready.order_sn, cancel_reason: "OUT_OF_STOCK", item_list: [{ item_id: line.item_id, model_id: line.model_id }] },
    })
    expect(ok.status).toBe(200)
    expect(ok.data).toMatchObject({ error: "", response: { update_time: ready.update_time } })
    expect(ready.order_status).toBe("CANCELLED")
    expect(ready.cancel_by).toBe("seller")

    const late = await call(h, "/api/v2/order/cancel_order", { auth, body: { order_sn: shipped.order_sn, cancel_reason: "CUSTOMER_REQUEST" } })
    expect(late.status).toBe(400)
    expect(late.data.error).toBe("order.error_limit")
  })

  it("answers escrow whose fields add up, batch capped at 50, adjustments after completion", async () => {
    const [order] = h.sandbox.createOrders(SHOP, { status: "COMPLETED", items: [{ sku: "BULK-M", quantity: 2 }, { sku: "BULK-MUG", quantity: 1 }] })
    const res = await call(h, "/api/v2/payment/get_escrow_detail", { auth, query: { order_sn: order.order_sn } })
    expect(res.status).toBe(200)
    const income = res.data.response.order_income
    const expected =
      income.original_cost_of_goods_sold - income.original_shopee_discount + income.seller_return_refund + income.shopee_discount -
      income.voucher_from_seller - income.seller_coin_cash_back + income.buyer_paid_shipping_fee - income.actual_shipping_fee +
      income.shopee_shipping_rebate - income.seller_transaction_fee - income.service_fee - income.commission_fee - income.escrow_tax
    expect(income.escrow_amount).toBeCloseTo(expected, 2)
    expect(income.escrow_amount).toBeGreaterThan(0)
    const detail = await call(h, "/api/v2/order/get_order_detail", { auth, query: { order_sn_list: order.order_sn, response_optional_fields: "total_amount" } })
    expect(income.buyer_total_amount).toBe(detail.data.response.order_list[0].total_amount)
    expect(income.items).toHaveLength(2)
    expect(income.items[0].quantity_purchased).toBe(2)
    expect(income.order_adjustment).toBeUndefined()

    const adj = await control(h, "POST", `/sandbox/orders/${order.order_sn}/escrow-adjustments`, { amount: -1.5, reason: "Logistic issue deduction" })
    expect(adj.status).toBe(201)
    const after = (await call(h, "/api/v2/payment/get_escrow_detail", { auth, query: { order_sn: order.order_sn } })).data.response.order_income
    expect(after.order_adjustment).toEqual([{ amount: -1.5, date: h.nowSec(), currency: "SGD", adjustment_reason: "Logistic issue deduction" }])
    expect(after.escrow_amount_after_adjustment).toBeCloseTo(after.escrow_amount - 1.5, 2)

    const [open] = h.sandbox.createOrders(SHOP, { status: "READY_TO_SHIP" })
    expect((await control(h, "POST", `/sandbox/orders/${open.order_sn}/escrow-adjustments`, { amount: 1 })).status).toBe(409)

    const many = Array.from({ length: 51 }, (_, i) => `SN${i}`)
    const over = await call(h, "/api/v2/payment/get_escrow_detail_batch", { auth, body: { order_sn_list: many } })
    expect(over.status).toBe(400)
    expect(over.data.error).toBe("exceed_max_limit")
    const batch = await call(h, "/api/v2/payment/get_escrow_detail_batch", { auth, body: { order_sn_list: [order.order_sn, "UNKNOWN"] } })
    expect(batch.data.error).toBe("")
    expect(batch.data.response[0].escrow_detail.order_income.escrow_amount).toBe(after.escrow_amount)
    expect(batch.data.response[1]).toMatchObject({ fail_error: "order_not_found", escrow_detail: { order_sn: "UNKNOWN" } })
    const missing = await call(h, "/api/v2/payment/get_escrow_detail", { auth, query: { order_sn: "UNKNOWN" } })
    expect(missing.data.error).toBe("order_not_found")
  })
})
