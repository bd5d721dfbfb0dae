/**
 * Amounts in the shop currency, rounded as the marketplaces round them: currencies without minor
 * units (IDR, VND, TWD, ...) get whole numbers, the others two decimals, so generated figures look
 * like the real ones and sums stay exact after rounding. How a platform writes them (JSON numbers,
 * strings, cents) is the platform's payload view.
 */
const ZERO_DECIMAL = new Set(["IDR", "VND", "TWD", "KRW", "CLP", "JPY"])

/** Rough SGD -> currency factors so one catalogue gives believable prices everywhere. */
const SGD_FACTOR: Record<string, number> = {
  SGD: 1,
  MYR: 3.4,
  PHP: 42,
  THB: 26,
  IDR: 11500,
  VND: 18500,
  TWD: 24,
  BRL: 3.8,
}

export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2
}

export function roundMoney(amount: number, currency: string): number {
  const factor = 10 ** currencyDecimals(currency)
  return Math.round((amount + Number.EPSILON) * factor) / factor
}

/** Convert a catalogue price given in SGD into the shop currency, rounded like a seller would. */
export function fromSgd(amount: number, currency: string): number {
  const converted = amount * (SGD_FACTOR[currency] ?? 1)
  if (currency === "IDR" || currency === "VND") {
    return Math.round(converted / 100) * 100
  }
  if (currencyDecimals(currency) === 0) {
    return Math.round(converted)
  }
  // x.90 endings are what sellers set; keeps prices realistic without drifting far.
  return roundMoney(Math.floor(converted) + 0.9, currency)
}

export function sumMoney(values: number[], currency: string): number {
  return roundMoney(
    values.reduce((total, value) => total + value, 0),
    currency
  )
}

/** Split `total` over `weights` proportionally; the rounding remainder goes to the last share. */
export function prorate(total: number, weights: number[], currency: string): number[] {
  const weightSum = weights.reduce((a, b) => a + b, 0)
  if (weightSum === 0 || weights.length === 0) {
    return weights.map(() => 0)
  }
  const shares = weights.map((w) => roundMoney((total * w) / weightSum, currency))
  const drift = roundMoney(total - shares.reduce((a, b) => a + b, 0), currency)
  shares[shares.length - 1] = roundMoney(shares[shares.length - 1] + drift, currency)
  return shares
}
