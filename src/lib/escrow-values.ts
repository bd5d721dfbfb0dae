import { MathBN } from "@medusajs/framework/utils"
import type { MarketplaceEscrow, Money, ProviderIdentity } from "../providers/types"
import { feeKindOf } from "../providers/vocabulary"

/** The escrow as stored on an order link and in its history: exact decimal strings, ISO times. */
export type EscrowSnapshot = {
  buyer_total: Money
  fees: Record<string, Money>
  fee_total: Money
  adjustments: { reason: string | null; amount: Money; at: string | null }[]
  net_payout: Money
  currency_code: string
  payout_at: string | null
}

export const ESCROW_FIELDS = ["buyer_total", "fees", "fee_total", "adjustments", "net_payout", "currency_code", "payout_at"] as const
export type EscrowField = (typeof ESCROW_FIELDS)[number]

/** A decimal string as bignumber.js prints it ("1.20" -> "1.2"), so equal amounts compare equal. */
export const canonicalDecimal = (value: Money | number): Money => MathBN.convert(value).toString()

/** Sums decimal strings exactly. */
export const sumDecimals = (values: (Money | number)[]): Money =>
  values.reduce<ReturnType<typeof MathBN.convert>>((acc, v) => MathBN.add(acc, v), MathBN.convert(0)).toString()

/**
 * The snapshot of what a provider returned: fees sorted by kind, amounts canonical, the fee total the sum of
 * the kinds the seller pays (as the provider's `vocabulary.fee_kinds` says).
 *
 * @example
 * escrowSnapshot(escrow, "sgd", provider).fee_total // "3.45"
 */
export function escrowSnapshot(
  escrow: MarketplaceEscrow,
  fallbackCurrency: string,
  provider: Pick<ProviderIdentity, "vocabulary">
): EscrowSnapshot {
  const fees: Record<string, Money> = {}
  for (const kind of Object.keys(escrow.fees).sort()) {
    const amount = escrow.fees[kind]
    if (amount !== undefined) fees[kind] = canonicalDecimal(amount)
  }
  return {
    buyer_total: canonicalDecimal(escrow.buyer_total),
    fees,
    fee_total: sumDecimals(Object.keys(fees).filter((k) => feeKindOf(provider, k).seller_pays).map((k) => fees[k])),
    adjustments: escrow.adjustments.map((a) => ({
      reason: a.reason,
      amount: canonicalDecimal(a.amount),
      at: a.at ? new Date(a.at).toISOString() : null,
    })),
    net_payout: canonicalDecimal(escrow.net_payout),
    currency_code: (escrow.currency_code || fallbackCurrency).toLowerCase(),
    payout_at: escrow.payout_at ? new Date(escrow.payout_at).toISOString() : null,
  }
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value ?? null)
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b)

/** The fields that differ between two snapshots; every field when there was none before. */
export function changedEscrowFields(previous: EscrowSnapshot | null, current: EscrowSnapshot): EscrowField[] {
  if (!previous) return [...ESCROW_FIELDS]
  return ESCROW_FIELDS.filter((field) => {
    const a = previous[field]
    const b = current[field]
    if (field === "buyer_total" || field === "fee_total" || field === "net_payout") {
      return !MathBN.eq(a as Money, b as Money)
    }
    return !same(a, b)
  })
}
