/**
 * The typed input of a model's bigNumber field is `number`, but Medusa stores any BigNumberInput exactly.
 * Money stays a decimal string end to end; this only tells the compiler so.
 */
export const decimal = (value: string): number => value as unknown as number

/**
 * Currencies whose amounts are whole units in practice. ISO 4217's zero-decimal ones (JPY, KRW, VND, ...) plus
 * those ISO gives two decimals that are never used in Southeast Asia's marketplaces (IDR: rupiah have no
 * cents, and Shopee, TikTok Shop and Lazada send whole amounts).
 */
const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "idr", "isk", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf",
  "xof", "xpf",
])

/**
 * The number of decimals of a currency's smallest unit (2 unless it is a zero-decimal currency).
 *
 * @example
 * minorUnitDigits("IDR") // 0
 * minorUnitDigits("sgd") // 2
 */
export const minorUnitDigits = (currencyCode: string | null | undefined): number =>
  ZERO_DECIMAL.has((currencyCode ?? "").toLowerCase()) ? 0 : 2
