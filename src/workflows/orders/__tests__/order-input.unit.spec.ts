import type { MarketplaceOrder, MarketplaceOrderItem } from "../../../providers/types"
import { buyerEmail, discountByLine, spreadDiscount, totalMismatch } from "../utils/order-input"

const line = (line_id: string, unit_price: string, quantity: number): MarketplaceOrderItem => ({
  line_id,
  external_item_id: line_id,
  external_model_id: "0",
  sku: null,
  title: line_id,
  variant_title: null,
  quantity,
  unit_price,
  original_unit_price: null,
})

describe("spreadDiscount", () => {
  it("spreads a discount in proportion to line totals, exactly, the last line taking the remainder", () => {
    const shares = spreadDiscount([line("a", "10", 1), line("b", "20", 1), line("c", "3.33", 3)], "5")
    expect(shares).toEqual(["1.25", "2.5", "1.25"]) // 10 and 20 of 39.99, rounded down; the rest last
    expect(shares.reduce((s, x) => s + Math.round(Number(x) * 100), 0)).toBe(500)
  })

  it("gives nothing when there is no discount or no subtotal", () => {
    expect(spreadDiscount([line("a", "10", 1)], "0")).toEqual(["0"])
    expect(spreadDiscount([line("a", "0", 1)], "5")).toEqual(["0"])
  })

  it("gives whole rupiah on every line of an IDR order, the remainder on the last, the total exact", () => {
    const order = {
      currency_code: "idr",
      items: [line("a", "33333", 1), line("b", "33333", 1), line("c", "33334", 1)],
      discount_total: "10000",
    } as unknown as MarketplaceOrder
    const shares = discountByLine(order).map((d) => d.amount)
    expect(shares).toEqual(["3333", "3333", "3334"]) // 3333.3 rounded down twice, the rest on the last line
    expect(shares.every((s) => /^\d+$/.test(s))).toBe(true)
    expect(shares.reduce((sum, s) => sum + Number(s), 0)).toBe(10000)
  })

  it("keeps cents for two-decimal currencies and whole units for VND and JPY", () => {
    const items = [line("a", "10", 1), line("b", "20", 1), line("c", "3.33", 3)]
    const spread = (currency_code: string, discount_total: string) =>
      discountByLine({ currency_code, items, discount_total } as unknown as MarketplaceOrder).map((d) => d.amount)
    expect(spread("sgd", "5")).toEqual(["1.25", "2.5", "1.25"])
    expect(spread("VND", "5000")).toEqual(["1250", "2500", "1250"])
    expect(spread("jpy", "7")).toEqual(["1", "3", "3"])
  })

  it("keeps only lines with a share", () => {
    const order = { items: [line("a", "10", 1), line("b", "0", 1)], discount_total: "2" } as unknown as MarketplaceOrder
    expect(discountByLine(order)).toEqual([{ line_id: "a", amount: "2" }])
  })
})

describe("totalMismatch", () => {
  it("is null when Medusa's total after the discount is the marketplace's (within half a cent)", () => {
    expect(totalMismatch("105.90", [{ amount: "5.9" }], "100")).toBeNull()
    expect(totalMismatch("80.03999999999999999999", [], "80.04")).toBeNull()
  })

  it("records the difference otherwise (e.g. a fee the buyer paid on top)", () => {
    expect(totalMismatch("100", [], "101.50")).toEqual({
      medusa_total: "100",
      marketplace_total: "101.50",
      difference: "-1.5",
    })
  })
})

describe("buyerEmail", () => {
  const order = (buyer: Partial<MarketplaceOrder["buyer"]>, external_id = "240101ABC") =>
    ({ external_id, buyer: { external_id: null, username: null, email: null, phone: null, ...buyer } }) as MarketplaceOrder

  it("uses a placeholder on the reserved .invalid domain keyed on the buyer id", () => {
    expect(buyerEmail("shopee", order({ external_id: "4242" }))).toBe("buyer-4242@shopee.marketplace.invalid")
  })

  it("falls back to the order when there is no buyer id, and keeps a real e-mail", () => {
    expect(buyerEmail("shopee", order({}))).toBe("order-240101abc@shopee.marketplace.invalid")
    expect(buyerEmail("shopee", order({ external_id: "1", email: "Jo@Example.com" }))).toBe("jo@example.com")
  })
})
