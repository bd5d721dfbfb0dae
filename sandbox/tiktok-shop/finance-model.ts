/**
 * The sandbox's settlement data (statements and adjustments), kept apart from finance.ts so that core.ts can
 * store them without an import cycle.
 */

/** Adjustment transaction types of "Get Transactions by Statement" the sandbox accepts (any other is refused). */
export const ADJUSTMENT_TYPES = [
  "SHIPPING_FEE_ADJUSTMENT",
  "SHIPPING_FEE_COMPENSATION",
  "PLATFORM_COMMISSION_ADJUSTMENT",
  "PLATFORM_COMPENSATION",
  "PLATFORM_PENALTY",
  "PROMOTION_ADJUSTMENT",
  "LOGISTICS_REIMBURSEMENT",
  "CHARGE_BACK",
  "OTHER_ADJUSTMENT",
] as const
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number]

export interface SandboxAdjustment {
  id: string
  shop_id: string
  order_id: string
  type: AdjustmentType
  /** Signed as it reaches the seller: negative is a deduction. */
  amount: string
  create_time: number
  statement_id: string
}

export interface SandboxStatement {
  id: string
  shop_id: string
  /** 00:00 UTC of the day it collects. */
  statement_time: number
}
