/**
 * Exact decimals for money. Platforms send amounts as JSON numbers (`1409.9`) or strings; the plugin keeps them as
 * decimal strings end to end and never does float arithmetic on them. A JSON number becomes a decimal string through
 * its shortest round-trip representation (what the JSON text most likely said); sums and products are done on
 * scaled BigInts.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/

/** The shortest decimal string of a finite number, without exponent ("1e-7" -> "0.0000001"). */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`Not a finite amount: ${value}`)
  }
  const text = String(value) // shortest round-trip form; String(-0) is "0"
  return text.includes("e") ? expandExponent(text) : text
}

function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text)
  if (!match) {
    throw new RangeError(`Unexpected number format: ${text}`)
  }
  const [, sign, intPart, fracPart = "", exp] = match
  const digits = intPart + fracPart
  const point = intPart.length + Number(exp)
  let out: string
  if (point <= 0) {
    out = "0." + "0".repeat(-point) + digits
  } else if (point >= digits.length) {
    out = digits + "0".repeat(point - digits.length)
  } else {
    out = digits.slice(0, point) + "." + digits.slice(point)
  }
  return sign + normalizeDecimal(out)
}

/** "007.50" -> "7.5", "-0" -> "0". Throws on anything that is not a plain decimal. */
export function normalizeDecimal(text: string): string {
  if (!DECIMAL.test(text)) {
    throw new RangeError(`Not a decimal: ${text}`)
  }
  const negative = text.startsWith("-")
  const [intPart, fracPart = ""] = (negative ? text.slice(1) : text).split(".")
  const int = intPart.replace(/^0+(?=\d)/, "")
  const frac = fracPart.replace(/0+$/, "")
  const body = frac ? `${int}.${frac}` : int
  return negative && body !== "0" ? `-${body}` : body
}

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text)
}

function toScaled(text: string): { value: bigint; scale: number } {
  const normalized = normalizeDecimal(text)
  const negative = normalized.startsWith("-")
  const [intPart, fracPart = ""] = (negative ? normalized.slice(1) : normalized).split(".")
  const value = BigInt(intPart + fracPart)
  return { value: negative ? -value : value, scale: fracPart.length }
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0")
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits
  return normalizeDecimal((negative ? "-" : "") + text)
}

/** Exact sum of decimal strings. */
export function addDecimals(...values: string[]): string {
  const scaled = values.map(toScaled)
  const scale = Math.max(0, ...scaled.map((s) => s.scale))
  const total = scaled.reduce((sum, s) => sum + s.value * 10n ** BigInt(scale - s.scale), 0n)
  return fromScaled(total, scale)
}

/** Exact product of a decimal string and an integer quantity. */
export function multiplyDecimal(value: string, quantity: number): string {
  if (!Number.isSafeInteger(quantity)) {
    throw new RangeError(`Not an integer quantity: ${quantity}`)
  }
  const { value: scaled, scale } = toScaled(value)
  return fromScaled(scaled * BigInt(quantity), scale)
}

/** Compares two decimal strings: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const x = toScaled(a)
  const y = toScaled(b)
  const scale = Math.max(x.scale, y.scale)
  const left = x.value * 10n ** BigInt(scale - x.scale)
  const right = y.value * 10n ** BigInt(scale - y.scale)
  return left === right ? 0 : left < right ? -1 : 1
}
