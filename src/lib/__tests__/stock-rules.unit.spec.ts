import { applyStockRules, effectiveStockRules } from "../stock-rules"

describe("applyStockRules", () => {
  it("passes the available quantity through without rules", () => {
    expect(applyStockRules(7, undefined)).toBe(7)
    expect(applyStockRules(7, {})).toBe(7)
  })

  it("keeps a buffer back", () => {
    expect(applyStockRules(10, { buffer: 3 })).toBe(7)
  })

  it("pushes a percentage, rounded down", () => {
    expect(applyStockRules(10, { percentage: 55 })).toBe(5)
  })

  it("caps at a maximum", () => {
    expect(applyStockRules(100, { max: 20 })).toBe(20)
  })

  it("applies buffer, then percentage, then maximum", () => {
    expect(applyStockRules(22, { buffer: 2, percentage: 50, max: 8 })).toBe(8)
    expect(applyStockRules(10, { buffer: 2, percentage: 50, max: 8 })).toBe(4)
  })

  it("never goes below zero", () => {
    expect(applyStockRules(-4, undefined)).toBe(0)
    expect(applyStockRules(1, { buffer: 5 })).toBe(0)
    expect(applyStockRules(1, { buffer: 5, percentage: 50 })).toBe(0)
  })
})

describe("effectiveStockRules", () => {
  it("lets the listing override the connection field by field", () => {
    expect(effectiveStockRules({ buffer: 2, max: 10 }, { max: 3 })).toEqual({ buffer: 2, max: 3 })
    expect(effectiveStockRules(undefined, null)).toEqual({})
  })
})
