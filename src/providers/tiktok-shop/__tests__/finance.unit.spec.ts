import { feesOf, isSettled, toEscrow } from "../finance"
import { orderTransactionsDataSchema, statementTransactionsDataSchema, type TiktokOrderTransactions } from "../schemas"
import { TIKTOK_SHOP_VOCABULARY } from "../vocabulary"
import fixture from "./fixtures/order-statement-transactions.json"

/** The docs' response sample of "Get Transactions by Order" (finance 202501), as recorded. */
const documented = orderTransactionsDataSchema.parse(fixture.data) as TiktokOrderTransactions

describe("TikTok Shop settlement mapping", () => {
  it("reads the documented sample: fees by kind with charges positive, shipping by part, TikTok's settlement as payout", () => {
    const escrow = toEscrow("5793990727963214852", documented, [])
    expect(escrow).toEqual(
      expect.objectContaining({
        external_order_id: "5793990727963214852",
        currency_code: "gbp",
        // Revenue (200) plus the shipping the buyer paid (0).
        buyer_total: "200",
        net_payout: "130",
        adjustments: [],
        payout_at: null,
      })
    )
    expect(escrow.fees).toEqual({
      // referral -2, dynamic commission 5 (the sample prints some charges positive; read as printed, negated)
      commission: "-3",
      // cofunded creator bonus -10, external affiliate marketing 10; before-PIT commission left out
      affiliate_commission: "0",
      // transaction -2, PayLater handling -10
      transaction: "12",
      // sfp 2, live 2, voucher xtra 100, flash 50, cofunded 100, pre-order 10, tsp 10, dt 10, epr -10
      service: "-274",
      tax: "-40",
      shipping_actual: "50",
      shipping_paid_by_buyer: "0",
      shipping_rebate: "0",
      // return -10, replacement -10, nine parts of 5, insurance 0 (supplementary_component is for reference only)
      shipping_other: "-25",
    })
    expect((escrow.raw as { order_id: string }).order_id).toBe("5793990727963214852")
  })

  it("declares every fee kind it produces", () => {
    const declared = new Set(TIKTOK_SHOP_VOCABULARY.fee_kinds.map((k) => k.id))
    const unknownFee = { ...documented.sku_transactions[0], fee_tax_breakdown: { fee: { some_new_fee_amount: "-1.5" }, tax: {} } }
    const kinds = Object.keys({ ...feesOf(documented.sku_transactions), ...feesOf([unknownFee]) })
    expect(kinds.filter((k) => !declared.has(k))).toEqual([])
    // A fee field the mapping does not know is kept, as `other`.
    expect(feesOf([unknownFee]).other).toBe("1.5")
  })

  it("sums the SKU transactions of an order, skipping empty (deprecated) amounts", () => {
    const sku = documented.sku_transactions[0]
    const two = { ...documented, sku_transactions: [sku, { ...sku, fee_tax_breakdown: { fee: { transaction_fee_amount: "-0.35", mall_service_fee_amount: "" }, tax: null } }] }
    expect(feesOf(two.sku_transactions).transaction).toBe("12.35")
  })

  it("adds the adjustments found in the statements to the payout, with their type as reason and the statement's time", () => {
    const page = statementTransactionsDataSchema.parse({
      transactions: [{ id: "1", type: "SHIPPING_FEE_ADJUSTMENT", adjustment_id: "7238804564097517332", adjustment_order_id: "5793990727963214852", adjustment_amount: "-1.25" }],
    })
    const escrow = toEscrow("5793990727963214852", documented, [{ transaction: page.transactions[0], statement_time: 1685664000 }])
    expect(escrow.net_payout).toBe("128.75")
    expect(escrow.adjustments).toEqual([{ reason: "SHIPPING_FEE_ADJUSTMENT", amount: "-1.25", at: new Date(1685664000 * 1000) }])
  })

  it("tells an order not settled yet (no transactions, no settlement amount)", () => {
    expect(isSettled(orderTransactionsDataSchema.parse({ order_id: "1", sku_transactions: [] }))).toBe(false)
    expect(isSettled(orderTransactionsDataSchema.parse(null))).toBe(false)
    expect(isSettled(documented)).toBe(true)
  })

  it("refuses an amount that is not a decimal, in the totals or in a breakdown", () => {
    expect(orderTransactionsDataSchema.safeParse({ ...fixture.data, settlement_amount: "12,50" }).success).toBe(false)
    const sku = fixture.data.sku_transactions[0]
    const badFee = { ...sku, fee_tax_breakdown: { ...sku.fee_tax_breakdown, fee: { transaction_fee_amount: "two" } } }
    expect(orderTransactionsDataSchema.safeParse({ ...fixture.data, sku_transactions: [badFee] }).success).toBe(false)
  })
})
