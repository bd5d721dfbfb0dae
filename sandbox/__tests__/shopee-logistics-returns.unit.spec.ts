import { call, control, type Harness, shopWithToken, startHarness } from "./shopee-test-client"

describe("Shopee sandbox logistics", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness({ trackingNumberEmptyCalls: 2, documentProcessingPolls: 1 })
    auth = (await shopWithToken(h)).auth
  })

  afterEach(() => h.close())

  it("ships: parameters, ship_order, delayed tracking number, document, PDF", async () => {
    const [order] = h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    const sn = order.order_sn

    const params = await call(h, "/api/v2/logistics/get_shipping_parameter", { auth, query: { order_sn: sn } })
    expect(params.status).toBe(200)
    expect(params.data.response.info_needed.pickup).toEqual(["address_id", "pickup_time_id"])
    const address = params.data.response.pickup.address_list[0]
    expect(Number.isInteger(address.address_id)).toBe(true)
    const slot = address.time_slot_list[0]

    // Printing before shipment is refused.
    const early = await call(h, "/api/v2/logistics/create_shipping_document", { auth, body: { order_list: [{ order_sn: sn }] } })
    expect(early.data.error).toBe("common.batch_api_all_failed")
    expect(early.data.response.result_list[0].fail_error).toBe("logistics.order_status_error")

    const badAddress = await call(h, "/api/v2/logistics/ship_order", { auth, body: { order_sn: sn, pickup: { address_id: 1, pickup_time_id: slot.pickup_time_id } } })
    expect(badAddress.data.error).toBe("logistics.address_not_found")
    const shipped = await call(h, "/api/v2/logistics/ship_order", {
      auth,
      body: { order_sn: sn, pickup: { address_id: address.address_id, pickup_time_id: slot.pickup_time_id } },
    })
    expect(shipped.status).toBe(200)
    expect(shipped.data).toMatchObject({ error: "", message: "" })
    expect(order.order_status).toBe("PROCESSED")
    const twice = await call(h, "/api/v2/logistics/ship_order", { auth, body: { order_sn: sn, dropoff: { branch_id: 101 } } })
    expect(twice.data.error).toBe("logistics.error_param")

    const numbers = []
    for (let i = 0; i < 3; i++) {
      const res = await call(h, "/api/v2/logistics/get_tracking_number", { auth, query: { order_sn: sn } })
      numbers.push(res.data.response.tracking_number)
    }
    expect(numbers[0]).toBe("")
    expect(numbers[1]).toBe("")
    expect(numbers[2]).toMatch(/^SPXSG\d{12}$/)

    const created = await call(h, "/api/v2/logistics/create_shipping_document", {
      auth,
      body: { order_list: [{ order_sn: sn, tracking_number: numbers[2], shipping_document_type: "THERMAL_AIR_WAYBILL" }] },
    })
    expect(created.data).toMatchObject({ error: "", response: { result_list: [{ order_sn: sn }] } })

    const notYet = await call(h, "/api/v2/logistics/download_shipping_document", { auth, body: { order_list: [{ order_sn: sn }] } })
    expect(notYet.data.error).toBe("logistics.shipping_document_should_print_first")

    const statuses = []
    for (let i = 0; i < 2; i++) {
      const res = await call(h, "/api/v2/logistics/get_shipping_document_result", { auth, body: { order_list: [{ order_sn: sn }] } })
      statuses.push(res.data.response.result_list[0].status)
    }
    expect(statuses).toEqual(["PROCESSING", "READY"])

    const pdf = await call(h, "/api/v2/logistics/download_shipping_document", {
      auth,
      body: { shipping_document_type: "THERMAL_AIR_WAYBILL", order_list: [{ order_sn: sn }] },
      responseType: "arraybuffer",
    })
    expect(pdf.status).toBe(200)
    expect(pdf.headers["content-type"]).toBe("application/pdf")
    const text = Buffer.from(pdf.data).toString("latin1")
    expect(text.startsWith("%PDF-1.4")).toBe(true)
    expect(text).toContain(sn)
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true)
  })

  it("answers the documented error for an unknown order", async () => {
    const res = await call(h, "/api/v2/logistics/get_tracking_number", { auth, query: { order_sn: "NOPE" } })
    expect(res.data).toMatchObject({ error: "logistics.invalid_error", message: "The order is not exist." })
  })
})

describe("Shopee sandbox get_mass_tracking_number", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness({ trackingNumberEmptyCalls: 1 })
    auth = (await shopWithToken(h)).auth
  })

  afterEach(() => h.close())

  it("answers up to 50 packages in one call: numbers, empty while the 3PL has none, unknown ones failed", async () => {
    const shipped = h.sandbox.createOrders(auth.shopId, { count: 2, status: "SHIPPED" })
    const [processed] = h.sandbox.createOrders(auth.shopId, { status: "PROCESSED" })
    const [ready] = h.sandbox.createOrders(auth.shopId, { status: "READY_TO_SHIP" })
    const packages = [...shipped, processed, ready].map((o) => ({ package_number: o.package_number }))
    const res = await call(h, "/api/v2/logistics/get_mass_tracking_number", {
      auth,
      body: { package_list: [...packages, { package_number: "OFG000000000000000" }] },
    })
    expect(res.status).toBe(200)
    const { success_list: success, fail_list: fail } = res.data.response
    expect(success.map((s: { package_number: string }) => s.package_number)).toEqual(packages.map((p) => p.package_number))
    expect(success[0].tracking_number).toBe(shipped[0].tracking_number)
    expect(success[1].tracking_number).toBe(shipped[1].tracking_number)
    expect(success[2].tracking_number).toBe("") // just arranged: the 3PL has no number yet
    expect(success[3]).toMatchObject({ tracking_number: "", hint: "The order has not been arranged for shipment yet." })
    expect(fail).toEqual([{ package_number: "OFG000000000000000", fail_reason: "The package_number is invalid." }])
  })

  it("refuses an empty list and one over 50 packages, and an unsigned call", async () => {
    const empty = await call(h, "/api/v2/logistics/get_mass_tracking_number", { auth, body: { package_list: [] } })
    expect(empty.data.error).toBe("error_param")
    const many = Array.from({ length: 51 }, (_, i) => ({ package_number: `OFG${String(i).padStart(15, "0")}` }))
    const over = await call(h, "/api/v2/logistics/get_mass_tracking_number", { auth, body: { package_list: many } })
    expect(over.data).toMatchObject({ error: "error_param", message: expect.stringContaining("package_list should contain 1 to 50 packages") })
    const missing = await call(h, "/api/v2/logistics/get_mass_tracking_number", { auth, body: {} })
    expect(missing.data.error).toBe("error_param")
    const unsigned = await call(h, "/api/v2/logistics/get_mass_tracking_number", {
      auth,
      body: { package_list: many.slice(0, 1) },
      partnerKey: "not-the-key",
    })
    expect(unsigned.data.error).toBe("error_sign")
  })
})

describe("Shopee sandbox returns", () => {
  let h: Harness
  let auth: { accessToken: string; shopId: number }

  beforeEach(async () => {
    h = await startHarness()
    auth = (await shopWithToken(h)).auth
  })

  afterEach(() => h.close())

  it("lists, details, confirms and disputes returns with the documented shapes", async () => {
    const orders = h.sandbox.createOrders(auth.shopId, { count: 3, status: "TO_CONFIRM_RECEIVE", payment_method: "ShopeePay" })
    const created = await control(h, "POST", `/sandbox/orders/${orders[0].order_sn}/returns`, { solution: "REFUND" })
    expect(created.status).toBe(201)
    const returnSn = created.data.return.return_sn
    expect(orders[0].order_status).toBe("TO_RETURN")
    const second = h.sandbox.createReturn(orders[1].order_sn, {})
    h.sandbox.createReturn(orders[2].order_sn, {})

    const now = h.nowSec()
    const page = await call(h, "/api/v2/returns/get_return_list", { auth, query: { page_no: 0, page_size: 2, update_time_from: now - 86400, update_time_to: now + 60 } })
    expect(page.status).toBe(200)
    expect(page.data.response.more).toBe(true)
    expect(page.data.response.return).toHaveLength(2)
    const next = await call(h, "/api/v2/returns/get_return_list", { auth, query: { page_no: 1, page_size: 2 } })
    expect(next.data.response.more).toBe(false)
    expect(next.data.response.return).toHaveLength(1)

    const wide = await call(h, "/api/v2/returns/get_return_list", { auth, query: { page_no: 0, page_size: 10, update_time_from: now - 16 * 86400, update_time_to: now } })
    expect(wide.status).toBe(400)
    expect(wide.data.error).toBe("error_param")
    expect((await call(h, "/api/v2/returns/get_return_list", { auth, query: { page_no: 0, page_size: 101 } })).data.error).toBe("error_param")

    const detail = await call(h, "/api/v2/returns/get_return_detail", { auth, query: { return_sn: returnSn } })
    expect(detail.data.response).toMatchObject({ return_sn: returnSn, status: "REQUESTED", return_solution: 1, order_sn: orders[0].order_sn })
    const item = detail.data.response.item[0]
    expect(Number.isInteger(item.item_id)).toBe(true)
    expect(Number.isInteger(item.model_id)).toBe(true)
    expect(typeof item.refund_amount).toBe("number")
    expect(item).toHaveProperty("variation_sku")
    expect(detail.data.response.negotiation.latest_solution).toBe("REFUND")

    const escrowBefore = h.sandbox.getEscrow(orders[0].order_sn).order_income as { escrow_amount: number }
    const confirmed = await call(h, "/api/v2/returns/confirm", { auth, body: { return_sn: returnSn } })
    expect(confirmed.data).toMatchObject({ error: "", response: { return_sn: returnSn } })
    expect(h.sandbox.core.state.returns.get(returnSn)?.status).toBe("ACCEPTED")
    const escrowAfter = h.sandbox.getEscrow(orders[0].order_sn).order_income as { escrow_amount: number; seller_return_refund: number }
    expect(escrowAfter.seller_return_refund).toBeLessThan(0)
    expect(escrowAfter.escrow_amount).toBeLessThan(escrowBefore.escrow_amount)

    const noEmail = await call(h, "/api/v2/returns/dispute", { auth, body: { return_sn: second.return_sn, dispute_reason_id: 2 } })
    expect(noEmail.data.error).toBe("error_param")
    const disputed = await call(h, "/api/v2/returns/dispute", {
      auth,
      body: { return_sn: second.return_sn, email: "seller@example.com", dispute_reason_id: 2, dispute_text_reason: "Item was fine" },
    })
    expect(disputed.data).toMatchObject({ error: "", response: { return_sn: second.return_sn, msg: "dispute return success" } })
    expect(second.status).toBe("SELLER_DISPUTE")
    h.sandbox.advanceReturn(second.return_sn)
    expect(second.status).toBe("JUDGING")
    const illegal = await call(h, "/api/v2/returns/dispute", { auth, body: { return_sn: second.return_sn, email: "s@example.com", dispute_reason_id: 2 } })
    expect(illegal.data.error).toBe("returnsn.illegal")
  })
})
