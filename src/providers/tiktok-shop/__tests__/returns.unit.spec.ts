import { returnSchema, orderSchema, type TiktokOrder } from "../schemas"
import { RETURN_STATUS_MAP, REJECTED_STATUSES, tiktokReturnOutcome, toMarketplaceReturn, toReturnStatus } from "../returns"
import fixture from "./fixtures/tokopedia-order.json"

const order = orderSchema.parse(fixture) as TiktokOrder
const [first, second] = order.line_items

/** A return as "Search Returns" prints one (the docs' sample, trimmed), on the fixture order's lines. */
const ret = (patch: Record<string, unknown> = {}) =>
  returnSchema.parse({
    order_id: order.id,
    return_id: "4035318504086604100",
    return_type: "RETURN_AND_REFUND",
    return_status: "RETURN_OR_REFUND_REQUEST_PENDING",
    role: "BUYER",
    return_reason: "ecom_order_delivered_refund_and_return_reason_wrong_item",
    return_reason_text: "Wrong item",
    create_time: 1690451136,
    update_time: 1690453136,
    return_line_items: [first, first, second].map((l, i) => ({
      return_line_item_id: `40352276579621648${i}`,
      order_line_item_id: l.id,
      sku_id: l.sku_id,
      seller_sku: l.seller_sku,
      refund_amount: { currency: "IDR", refund_total: "1000.5", refund_subtotal: "1000.5" },
    })),
    refund_amount: { currency: "IDR", refund_total: "3001.5", refund_subtotal: "3001.5", refund_shipping_fee: "0" },
    ...patch,
  })

describe("TikTok Shop return mapping", () => {
  it("maps every documented return status, rejections by their arbitration", () => {
    const documented = [
      "RETURN_OR_REFUND_REQUEST_PENDING",
      "REFUND_OR_RETURN_REQUEST_REJECT",
      "AWAITING_BUYER_SHIP",
      "BUYER_SHIPPED_ITEM",
      "REJECT_RECEIVE_PACKAGE",
      "RETURN_OR_REFUND_REQUEST_SUCCESS",
      "RETURN_OR_REFUND_REQUEST_CANCEL",
      "RETURN_OR_REFUND_REQUEST_COMPLETE",
      "REPLACEMENT_REQUEST_PENDING",
      "REPLACEMENT_REQUEST_REJECT",
      "REPLACEMENT_REQUEST_REFUND_SUCCESS",
      "REPLACEMENT_REQUEST_CANCEL",
      "REPLACEMENT_REQUEST_COMPLETE",
      "AWAITING_BUYER_RESPONSE",
    ]
    expect([...Object.keys(RETURN_STATUS_MAP), ...REJECTED_STATUSES].sort()).toEqual([...documented].sort())
    expect(documented.map((s) => toReturnStatus(s))).toEqual([
      "requested",
      "disputed",
      "accepted",
      "processing",
      "disputed",
      "refunded",
      "cancelled",
      "closed",
      "requested",
      "disputed",
      "refunded",
      "cancelled",
      "closed",
      "processing",
    ])
    expect(["IN_PROGRESS", "SUPPORT_BUYER", "SUPPORT_SELLER", "CLOSED"].map((a) => toReturnStatus("REJECT_RECEIVE_PACKAGE", a))).toEqual([
      "processing",
      "processing",
      "closed",
      "closed",
    ])
    expect(toReturnStatus("LOST_IN_SPACE")).toBeNull()
  })

  it("maps the return types to the vocabulary's solutions and groups units by SKU with the order's product ids", () => {
    const mapped = toMarketplaceReturn(ret(), order)
    expect(mapped).toEqual(
      expect.objectContaining({
        external_id: "4035318504086604100",
        external_order_id: order.id,
        status: "requested",
        external_status: "RETURN_OR_REFUND_REQUEST_PENDING",
        solution: "return_refund",
        reason: "Wrong item",
        currency_code: "idr",
        refund_amount: "3001.5",
        refunded: false,
      })
    )
    const units = (id: string) => [first, first, second].filter((l) => l.sku_id === id).length
    expect(mapped.items).toEqual(
      [...new Set([first.sku_id, second.sku_id])].map((sku) => {
        const line = [first, second].find((l) => l.sku_id === sku)!
        return {
          external_item_id: line.product_id,
          external_model_id: sku,
          sku: line.seller_sku,
          quantity: units(sku),
          refund_amount: String(1000.5 * units(sku)),
        }
      })
    )
    expect(toMarketplaceReturn(ret({ return_type: "REFUND" }), order).solution).toBe("refund_only")
    expect(toMarketplaceReturn(ret({ return_type: "REPLACEMENT", return_status: "REPLACEMENT_REQUEST_PENDING" }), order).solution).toBe("replacement")
    expect(() => toMarketplaceReturn(ret({ return_type: "EXCHANGE" }), order)).toThrow(/unknown return type at .*: EXCHANGE/)
    expect(() => toMarketplaceReturn(ret({ return_status: "LOST" }), order)).toThrow(/unknown return status at .*: LOST/)
  })

  it("outcome: refunded in the refund statuses, not refunded when cancelled, replaced or rejected for good, open otherwise", () => {
    const outcome = (status: string, arbitration: string | null = null, refundedBefore = false) =>
      tiktokReturnOutcome(toMarketplaceReturn(ret({ return_status: status, arbitration_status: arbitration }), order), refundedBefore)
    expect(outcome("RETURN_OR_REFUND_REQUEST_PENDING")).toBe("open")
    expect(outcome("AWAITING_BUYER_SHIP")).toBe("open")
    expect(outcome("BUYER_SHIPPED_ITEM")).toBe("open")
    expect(outcome("REFUND_OR_RETURN_REQUEST_REJECT")).toBe("open")
    expect(outcome("REFUND_OR_RETURN_REQUEST_REJECT", "IN_PROGRESS")).toBe("open")
    expect(outcome("REFUND_OR_RETURN_REQUEST_REJECT", "SUPPORT_SELLER")).toBe("not_refunded")
    expect(outcome("RETURN_OR_REFUND_REQUEST_SUCCESS")).toBe("refunded")
    expect(outcome("RETURN_OR_REFUND_REQUEST_COMPLETE")).toBe("refunded")
    expect(outcome("REPLACEMENT_REQUEST_REFUND_SUCCESS")).toBe("refunded")
    expect(outcome("RETURN_OR_REFUND_REQUEST_CANCEL")).toBe("not_refunded")
    expect(outcome("REPLACEMENT_REQUEST_COMPLETE")).toBe("not_refunded")
    // A refund once recorded is never taken back by a later end state.
    expect(outcome("RETURN_OR_REFUND_REQUEST_CANCEL", null, true)).toBe("refunded")
  })
})
