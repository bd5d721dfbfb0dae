import type { ShopSession } from "./auth"
import type { Money } from "./common"
import type { OrderStatus } from "./orders"

/**
 * The plugin's own small set of fee groups. Each platform names its fees its own way and declares them in
 * `vocabulary.fee_kinds`, each with the group it belongs to, so totals can be read across platforms.
 */
export const FEE_GROUPS = ["commission", "service", "transaction", "shipping", "voucher", "tax", "other"] as const
export type FeeGroup = (typeof FEE_GROUPS)[number]

/** A fee kind id, as the provider declares it in `vocabulary.fee_kinds` ("commission", "coins"...). */
export type FeeKind = string

export interface MarketplaceEscrow {
  external_order_id: string
  currency_code: string
  /** What the buyer paid in all. */
  buyer_total: Money
  /** Each fee / contribution by the provider's fee kind; fees the seller pays are positive. */
  fees: Record<FeeKind, Money>
  adjustments: { reason: string | null; amount: Money; at: Date | null }[]
  /** What the marketplace pays the seller, after adjustments. */
  net_payout: Money
  payout_at: Date | null
  raw: unknown
}

/** Capability `settlement`: what the marketplace pays out for each order (escrow), fees by kind. */
export interface MarketplaceSettlement {
  /** At most `limits.escrow_batch` ids. */
  getEscrows(session: ShopSession, external_order_ids: string[]): Promise<MarketplaceEscrow[]>
  /**
   * The order statuses in which the platform settles an order; `completed` when not given. A platform whose
   * orders end `delivered` (no completion) names it here. Orders `in_return` are fetched too (a refund changes the
   * escrow). An order in such a status that the platform has not settled yet is left out of `getEscrows`.
   */
  readonly settled_statuses?: readonly OrderStatus[]
}
