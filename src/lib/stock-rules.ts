import type { StockRules } from "../modules/marketplace/types"

/**
 * The quantity a shop is told, from what Medusa has available: keep `buffer` back, push `percentage` of the
 * rest (rounded down), never more than `max`, never below zero. A listing's own rules override the
 * connection's field by field.
 *
 * @example
 * applyStockRules(10, { buffer: 2, percentage: 50, max: 3 }) // 3
 */
export function applyStockRules(available: number, rules: StockRules | null | undefined): number {
  let quantity = Math.max(0, Math.floor(available))
  if (rules?.buffer != null) {
    quantity -= rules.buffer
  }
  if (rules?.percentage != null) {
    quantity = Math.floor((Math.max(0, quantity) * rules.percentage) / 100)
  }
  if (rules?.max != null) {
    quantity = Math.min(quantity, rules.max)
  }
  return Math.max(0, quantity)
}

/** The rules that apply to one listing: the connection's, overridden field by field by the listing's. */
export function effectiveStockRules(
  connectionRules: StockRules | null | undefined,
  listingRules: StockRules | null | undefined
): StockRules {
  const merged: StockRules = { ...(connectionRules ?? {}) }
  for (const key of ["buffer", "percentage", "max"] as const) {
    const value = listingRules?.[key]
    if (value != null) {
      merged[key] = value
    }
  }
  return merged
}
