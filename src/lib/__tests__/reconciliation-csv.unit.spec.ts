import { csvCell, reconciliationCsv, type ReconciliationRow } from "../reconciliation-compare"

describe("csvCell", () => {
  it("leaves plain text and empty values as they are", () => {
    expect(csvCell("250001ABC")).toBe("250001ABC")
    expect(csvCell("12.50")).toBe("12.50")
    expect(csvCell(null)).toBe("")
    expect(csvCell(undefined)).toBe("")
  })

  it.each([
    ["=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "\"'\rcmd\""],
  ])("prefixes a cell a spreadsheet would read as a formula: %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected)
  })

  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("a,b")).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell("two\nlines")).toBe('"two\nlines"')
  })

  it("only looks at the first character", () => {
    expect(csvCell("total = 5")).toBe("total = 5")
  })
})

describe("reconciliationCsv", () => {
  it("escapes every cell of every row, header first, CRLF line ends", () => {
    const row: ReconciliationRow = {
      kind: "status_drift",
      external_order_id: "=cmd|' /C calc'!A0",
      order_link_id: null,
      order_id: "order_1",
      marketplace_status: "completed",
      link_status: "shipped",
      order_status: "pending",
      marketplace_total: "10.00",
      link_total: "10.00",
      order_total: "10.00",
      detail: "@risk, see note",
    }
    const lines = reconciliationCsv([row]).split("\r\n")
    expect(lines[0]).toBe(
      "kind,external_order_id,order_link_id,order_id,marketplace_status,link_status,order_status,marketplace_total,link_total,order_total,detail"
    )
    expect(lines[1]).toBe(
      "status_drift,'=cmd|' /C calc'!A0,,order_1,completed,shipped,pending,10.00,10.00,10.00,\"'@risk, see note\""
    )
    expect(lines[2]).toBe("")
  })
})
