import { kindOf, toEscrow, transactionDate } from "../finance"
import { transactionsAnswerSchema, type LazadaTransaction } from "../schemas"

/** Rows as QueryTransactionDetails prints them (the docs' sample fields; amounts as strings, charges negative). */
const row = (fee_name: string, amount: string, over: Record<string, string> = {}): LazadaTransaction =>
  transactionsAnswerSchema.parse({
    code: "0",
    request_id: "r",
    data: [{ order_no: "3001", orderItem_no: "31", fee_name, transaction_type: fee_name, amount, transaction_date: "17 May 2026", fee_type: "13", ...over }],
  }).data[0]

describe("Lazada transactions -> escrow", () => {
  it("reads the docs' sample answer", () => {
    const parsed = transactionsAnswerSchema.parse({
      code: "0",
      data: [{ order_no: "123445666666", transaction_date: "17 May 2016", amount: "-0.62", paid_status: "Not paid", fee_type: "13", transaction_type: "Payment Fee", orderItem_no: "1666666", fee_name: "feeName", VAT_in_amount: "0.0672", WHT_amount: "0.0112" }],
      request_id: "0ba2887315178178017221014",
    })
    expect(parsed.data[0]).toEqual(expect.objectContaining({ order_no: "123445666666", amount: "-0.62", transaction_type: "Payment Fee" }))
    expect(transactionDate(parsed.data[0].transaction_date)?.toISOString()).toBe("2016-05-17T00:00:00.000Z")
    expect(transactionsAnswerSchema.parse({ code: "0", request_id: "r" }).data).toEqual([])
  })

  it("maps fee names to kinds", () => {
    expect(kindOf(row("Commission", "-1"))).toBe("commission")
    expect(kindOf(row("Payment Fee", "-1"))).toBe("transaction")
    expect(kindOf(row("Free Shipping Max Fee", "-1"))).toBe("service")
    expect(kindOf(row("Shipping Fee Paid by Seller", "-1"))).toBe("shipping_actual")
    expect(kindOf(row("Shipping Fee (Paid By Customer)", "1"))).toBe("shipping_paid_by_buyer")
    expect(kindOf(row("Promotional Charges Vouchers", "-1"))).toBe("voucher")
    expect(kindOf(row("Item Price Credit", "10"))).toBe("revenue")
    expect(kindOf(row("Other Adjustment", "-1"))).toBe("adjustment")
    expect(kindOf(row("Lost Claim", "5"))).toBe("adjustment")
    expect(kindOf(row("Something New", "-1"))).toBe("other")
  })

  it("sums fees (seller pays positive), buyer total, adjustments and net payout exactly", () => {
    const escrow = toEscrow(
      "3001",
      [
        row("Item Price Credit", "19.90"),
        row("Item Price Credit", "0.1"),
        row("Commission", "-0.80"),
        row("Payment Fee", "-0.40"),
        row("Free Shipping Max Fee", "-0.60"),
        row("Shipping Fee Paid by Seller", "-1.00"),
        row("Shipping Fee (Paid By Customer)", "2.50"),
        row("Promotional Charges Vouchers", "-2.00"),
        row("Other Adjustment", "-1.25", { transaction_date: "20 May 2026", comment: "Logistic fee correction" }),
        // An unknown name after the first day is an adjustment; on the first day a fee.
        row("Mystery Debit", "-0.30", { transaction_date: "21 May 2026" }),
        row("Mystery Fee", "-0.05"),
      ],
      "sgd"
    )
    expect(escrow.fees).toEqual({ commission: "0.8", transaction: "0.4", service: "0.6", shipping_actual: "1", shipping_paid_by_buyer: "2.5", voucher: "2", other: "0.05" })
    expect(escrow.buyer_total).toBe("20.5")
    expect(escrow.adjustments).toEqual([
      { reason: "Logistic fee correction", amount: "-1.25", at: new Date("2026-05-20T00:00:00Z") },
      { reason: "Mystery Debit", amount: "-0.3", at: new Date("2026-05-21T00:00:00Z") },
    ])
    expect(escrow.net_payout).toBe("16.1")
    expect(escrow.currency_code).toBe("sgd")
    expect(escrow.raw).toEqual(expect.objectContaining({ order_no: "3001" }))
  })
})
