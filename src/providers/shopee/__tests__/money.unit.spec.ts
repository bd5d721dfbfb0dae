import { addDecimals, JsonNumber, multiplyDecimal, numberToDecimal, parseJsonLossless, stringifyJson } from "../money"

describe("Shopee money and ids", () => {
  it("turns JSON numbers into exact decimal strings", () => {
    expect(numberToDecimal(1409.9)).toBe("1409.9")
    expect(numberToDecimal(0.1 + 0.2)).toBe("0.30000000000000004") // what the float is, not rounded arithmetic
    expect(numberToDecimal(JSON.parse("0.30"))).toBe("0.3")
    expect(numberToDecimal(48000)).toBe("48000")
    expect(numberToDecimal(1e-7)).toBe("0.0000001")
    expect(numberToDecimal(1.5e21)).toBe("1500000000000000000000")
    expect(numberToDecimal(-0)).toBe("0")
    expect(numberToDecimal(-28900)).toBe("-28900")
  })

  it("adds and multiplies without floats", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3")
    expect(addDecimals("848", "2133", "-0.5")).toBe("2980.5")
    expect(multiplyDecimal("3.99", 3)).toBe("11.97")
  })

  it("keeps 64-bit integers exact when parsing", () => {
    const parsed = parseJsonLossless('{"promotion_group_id": 1051400341536827267, "item_id": 23620853561, "p": 1.5, "s": "9007199254740993"}') as Record<string, unknown>
    expect(parsed.promotion_group_id).toBe("1051400341536827267")
    expect(parsed.item_id).toBe(23620853561)
    expect(parsed.p).toBe(1.5)
    expect(parsed.s).toBe("9007199254740993")
  })

  it("writes JsonNumbers verbatim", () => {
    expect(stringifyJson({ item_id: new JsonNumber("1051400341536827267"), price: new JsonNumber("12.50"), s: "x" })).toBe(
      '{"item_id":1051400341536827267,"price":12.50,"s":"x"}'
    )
    expect(() => new JsonNumber("12,5")).toThrow()
  })
})
