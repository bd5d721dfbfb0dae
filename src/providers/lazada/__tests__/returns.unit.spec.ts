import { lazadaReturnOutcome, lineStatus, reverseAmount, toMarketplaceReturn } from "../returns"
import type { LazadaOrderItem, LazadaReverseLine, LazadaReverseOrder } from "../schemas"

const line = (over: Partial<LazadaReverseLine> = {}): LazadaReverseLine =>
  ({
    reverse_order_line_id: "61",
    trade_order_line_id: "31",
    reverse_status: "REQUEST_INITIATE",
    ofc_status: "INITIAL",
    is_dispute: false,
    is_need_refund: true,
    refund_amount: "1250",
    return_order_line_gmt_create: 1_700_000_000_000,
    return_order_line_gmt_modified: 1_700_000_001_000,
    ...over,
  }) as LazadaReverseLine

const unit = (id: string, skuId: string, price: string): LazadaOrderItem =>
  ({ order_item_id: id, order_id: "3", status: "delivered", sku: `SKU-${skuId}`, sku_id: skuId, shop_sku: `77_SGAMZ-${skuId}`, item_price: price }) as LazadaOrderItem

describe("Lazada reverse orders -> returns", () => {
  it("maps each line's status, its dispute and its end", () => {
    expect(lineStatus(line())).toBe("requested")
    expect(lineStatus(line({ reverse_status: "AGREE_RETURN" }))).toBe("accepted")
    expect(lineStatus(line({ reverse_status: "BUYER_RETURN_ITEM" }))).toBe("processing")
    expect(lineStatus(line({ reverse_status: "RETURN_DELIVERED" }))).toBe("processing")
    expect(lineStatus(line({ reverse_status: "REFUND_SUCCESS" }))).toBe("refunded")
    expect(lineStatus(line({ reverse_status: "REQUEST_REJECT" }))).toBe("disputed")
    expect(lineStatus(line({ reverse_status: "REQUEST_REJECT", is_dispute: true }))).toBe("processing")
    expect(lineStatus(line({ reverse_status: "REQUEST_REJECT", ofc_status: "CLOSED" }))).toBe("closed")
    expect(lineStatus(line({ reverse_status: "REQUEST_CANCEL", ofc_status: "RETURN_CANCELED" }))).toBe("cancelled")
    expect(lineStatus(line({ reverse_status: "SOMETHING_NEW" }))).toBe("processing")
  })

  it("reads refunds in cents except in Vietnam, exactly", () => {
    expect(reverseAmount("1250", "sg")).toBe("12.5")
    expect(reverseAmount("5", "my")).toBe("0.05")
    expect(reverseAmount("150000", "vn")).toBe("150000")
    expect(reverseAmount("1999999999999999999", "th")).toBe("19999999999999999.99")
  })

  it("folds the units into the order's lines and takes the least advanced live line", () => {
    const ro: LazadaReverseOrder = {
      reverse_order_id: "6",
      trade_order_id: "3",
      request_type: "RETURN",
      is_rtm: true,
      shipping_type: "DROP_OFF",
      lines: [
        line({ trade_order_line_id: "31", reverse_status: "REFUND_SUCCESS" }),
        line({ trade_order_line_id: "32", reverse_status: "BUYER_RETURN_ITEM", return_order_line_gmt_modified: 1_700_000_009_000 }),
        line({ trade_order_line_id: "33", reverse_status: "REQUEST_CANCEL", refund_amount: "999" }),
      ],
    }
    const ret = toMarketplaceReturn(ro, [unit("31", "8", "12.50"), unit("32", "8", "12.50"), unit("33", "9", "9.99")], "sg")
    expect(ret).toEqual(expect.objectContaining({ status: "processing", external_status: "BUYER_RETURN_ITEM", refund_amount: "25", refunded: true }))
    expect(ret.items).toEqual([{ external_item_id: "77", external_model_id: "8", sku: "SKU-8", quantity: 2, refund_amount: "25" }])
    expect(ret.updated_at.getTime()).toBe(1_700_000_009_000)
  })

  it("is refunded once Lazada shows REFUND_SUCCESS, closed or not; closed or cancelled without one is not refunded", () => {
    expect(lazadaReturnOutcome({ status: "closed", external_status: "REFUND_SUCCESS:CLOSED", refunded: true }, null)).toBe("refunded")
    expect(lazadaReturnOutcome({ status: "closed", external_status: "REQUEST_REJECT:CLOSED", refunded: false }, null)).toBe("not_refunded")
    expect(lazadaReturnOutcome({ status: "cancelled", external_status: "REQUEST_CANCEL", refunded: false }, { status: "refunded", refunded_amount: "5" })).toBe("refunded")
    expect(lazadaReturnOutcome({ status: "accepted", external_status: "AGREE_RETURN", refunded: false }, null)).toBe("open")
  })
})
