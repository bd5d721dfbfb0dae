import type { ShopSession } from "./auth"
import type { Money, Page } from "./common"

/**
 * Return statuses of the plugin's vocabulary. What a status means for Medusa (still open, refunded, ended
 * without a refund) is the provider's `returnOutcome`: a platform's terminal states do not all say it alone.
 */
export const RETURN_STATUSES = [
  "requested",
  "accepted",
  "processing",
  "disputed",
  "refunded",
  "cancelled",
  "closed",
] as const
export type ReturnStatus = (typeof RETURN_STATUSES)[number]

/**
 * What a return's state means for Medusa:
 * - `open`: the return is requested or being decided -> a Medusa return request
 * - `refunded`: the buyer is refunded -> the return is received and the refund recorded
 * - `not_refunded`: it ended without a refund -> the Medusa return is cancelled
 */
export type ReturnOutcome = "open" | "refunded" | "not_refunded"

/** What the plugin recorded of a return at its previous import, for platforms whose final states need it. */
export interface PreviousReturnState {
  status: string
  /** What the plugin refunded for it so far, or null when nothing was recorded. */
  refunded_amount: Money | null
}

export interface MarketplaceReturnItem {
  external_item_id: string
  external_model_id: string
  sku: string | null
  quantity: number
  refund_amount: Money | null
}

export interface MarketplaceReturn {
  external_id: string
  external_order_id: string
  status: ReturnStatus
  external_status: string
  /** One of the provider's `vocabulary.return_solutions` ids; whether the goods come back is said there. */
  solution: string
  reason: string | null
  currency_code: string
  refund_amount: Money
  items: MarketplaceReturnItem[]
  created_at: Date
  updated_at: Date
  /**
   * Whether the platform shows the refund paid through other fields than the return's status (a platform
   * without a refund status), when the provider knows: `returnOutcome` reads it. Absent when unknown.
   */
  refunded?: boolean | null
  raw: unknown
}

export interface DisputeReturnInput {
  /** A dispute reason as the provider's `vocabulary.dispute_reasons` describes it; the core checks it before calling. */
  reason: string
  /** The seller's explanation. */
  text?: string
}

/** Capability `returns`: returns and refunds by update time, and the seller's answer (accept or dispute). */
export interface MarketplaceReturns {
  listReturns(session: ShopSession, input: { updated_from: Date; updated_to: Date; page_token?: string | null }): Promise<Page<MarketplaceReturn>>
  getReturn(session: ShopSession, external_return_id: string): Promise<MarketplaceReturn>
  acceptReturn(session: ShopSession, external_return_id: string): Promise<void>
  disputeReturn(session: ShopSession, external_return_id: string, input: DisputeReturnInput): Promise<void>
  /**
   * What the return's state means for Medusa, given what was recorded at its previous import (null the first
   * time). Pure: no call to the platform.
   */
  returnOutcome(ret: Pick<MarketplaceReturn, "status" | "external_status" | "refunded">, previous: PreviousReturnState | null): ReturnOutcome
}
