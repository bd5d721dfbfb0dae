import { addDecimals, compareDecimals, isDecimal, multiplyDecimal, normalizeDecimal, numberToDecimal } from "../decimal"
import { JsonNumber, parseJsonLossless, stringifyJson } from "../json"

describe("exact money and ids", () => {
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

  it("normalises and compares decimal strings exactly", () => {
    expect(normalizeDecimal("007.50")).toBe("7.5")
    expect(normalizeDecimal("-0.000")).toBe("0")
    expect(normalizeDecimal("-12.340")).toBe("-12.34")
    expect(() => normalizeDecimal("1e5")).toThrow(RangeError)
    expect(() => normalizeDecimal("12,5")).toThrow(RangeError)
    expect(isDecimal("12.50")).toBe(true)
    expect(isDecimal("12.")).toBe(false)
    expect(compareDecimals("0.1", "0.10")).toBe(0)
    expect(compareDecimals("9007199254740993.01", "9007199254740993.001")).toBe(1)
    expect(compareDecimals("-1.5", "1")).toBe(-1)
  })

  it("sums many small amounts without drift and keeps huge amounts exact", () => {
    expect(addDecimals(...Array.from({ length: 1000 }, () => "0.01"))).toBe("10")
    expect(addDecimals("99999999999999999999.99", "0.01")).toBe("100000000000000000000")
    expect(multiplyDecimal("0.333", 3)).toBe("0.999")
    expect(multiplyDecimal("-2.5", 4)).toBe("-10")
    expect(() => multiplyDecimal("1", 1.5)).toThrow(RangeError)
  })

  it("never touches digits inside strings and keeps big integers in arrays and nested objects", () => {
    const parsed = parseJsonLossless('{"note":"id 12345678901234567890","ids":[12345678901234567890,1],"a":{"b":-98765432109876543210},"e":1e3}') as {
      note: string
      ids: unknown[]
      a: { b: unknown }
      e: number
    }
    expect(parsed.note).toBe("id 12345678901234567890")
    expect(parsed.ids).toEqual(["12345678901234567890", 1])
    expect(parsed.a.b).toBe("-98765432109876543210")
    expect(parsed.e).toBe(1000)
    expect(stringifyJson({ list: [new JsonNumber("12345678901234567890"), new JsonNumber(0.5)] })).toBe(
      '{"list":[12345678901234567890,0.5]}'
    )
  })
})
