/**
 * A text cell a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage return) gets a
 * leading `'`, so an exported shop or product name can never run in the merchant's spreadsheet. Numbers are
 * written as numbers.
 *
 * @example
 * csvCell("=HYPERLINK(\"x\")") // "'=HYPERLINK(""x"")" quoted
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ""
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows as CSV (RFC 4180: comma separated, quoted when needed, CRLF line ends), header first, every cell safe. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n"
}
