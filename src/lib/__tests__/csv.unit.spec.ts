import { csvCell, toCsv } from "../csv"

describe("csv", () => {
  it("neutralises text cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=1+1")).toBe("'=1+1")
    expect(csvCell("+1")).toBe("'+1")
    expect(csvCell("-1")).toBe("'-1")
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)")
    expect(csvCell("\tx")).toBe("'\tx")
    expect(csvCell("\rx")).toBe("\"'\rx\"")
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"')
  })

  it("writes numbers as numbers, quotes what needs it, leaves plain text alone", () => {
    expect(csvCell(-1.25)).toBe("-1.25")
    expect(csvCell(0)).toBe("0")
    expect(csvCell(Number.NaN)).toBe("")
    expect(csvCell(null)).toBe("")
    expect(csvCell("North shop")).toBe("North shop")
    expect(csvCell("a,b")).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(toCsv(["a", "b"], [["x", 1], ["=y", -2]])).toBe("a,b\r\nx,1\r\n'=y,-2\r\n")
  })
})
