import { numberToDecimal } from "./decimal"

/**
 * JSON whose numbers stay exact both ways. Platforms send ids as 64-bit integers (beyond 2^53 they do not survive
 * `JSON.parse`) and expect prices and ids as bare numeric literals in request bodies.
 */

const NUMBER_LITERAL = /^-?\d+(\.\d+)?$/

/**
 * A number written into a JSON body verbatim (ids beyond 2^53, prices such as "12.50"), so the request carries the
 * exact literal instead of a float's rendering.
 */
export class JsonNumber {
  readonly literal: string

  constructor(literal: string | number) {
    const text = typeof literal === "number" ? numberToDecimal(literal) : literal.trim()
    if (!NUMBER_LITERAL.test(text)) {
      throw new RangeError(`Not a JSON number: ${String(literal)}`)
    }
    this.literal = text
  }

  toJSON(): string {
    return `\u0000num:${this.literal}\u0000`
  }
}

const NUMBER_TOKEN = /"\\u0000num:(-?\d+(?:\.\d+)?)\\u0000"/g

/** JSON.stringify that writes `JsonNumber`s as bare numeric literals. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value).replace(NUMBER_TOKEN, "$1")
}

// Strings first so that digits inside strings are never touched; then numbers.
const JSON_TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g

/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact by turning them into strings (promotion and
 * group ids can exceed 2^53; item and model ids may one day).
 */
export function parseJsonLossless(text: string): unknown {
  const safe = text.replace(JSON_TOKENS, (token) => {
    if (token.startsWith('"') || /[.eE]/.test(token)) {
      return token
    }
    return Number.isSafeInteger(Number(token)) ? token : `"${token}"`
  })
  return JSON.parse(safe)
}
