/**
 * The Lazada sandbox's orders as data: countries, item statuses, orders and their items (one per unit), settlement adjustments. Kept
 * apart from core.ts so that the modules core.ts uses (reverse orders) can name them without an import cycle.
 */

export const COUNTRIES = ["sg", "my", "th", "ph", "vn", "id"] as const
export type Country = (typeof COUNTRIES)[number]

export const ITEM_STATUSES = [
  "unpaid",
  "pending",
  "packed",
  "ready_to_ship",
  "shipped",
  "delivered",
  "canceled",
  "returned",
  "failed",
  "lost",
] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export interface SandboxAddress {
  first_name: string
  last_name: string
  phone: string
  address1: string
  address2: string
  address3: string
  address4: string
  address5: string
  city: string
  post_code: string
  country: string
}

export interface SandboxOrderItem {
  order_item_id: string
  order_id: string
  status: ItemStatus
  sku: string
  shop_sku: string
  sku_id: string
  name: string
  variation: string
  item_price: string
  paid_price: string
  voucher_amount: string
  shipping_amount: string
  package_id: string
  tracking_code: string
  shipment_provider: string
  reason: string
  /** The buyer asked to cancel this unit and the seller has not answered yet (GetMultipleOrderItems). */
  need_cancel_confirm: boolean
  /** The buyer's cancellation of this unit, a reverse order of type CANCEL: its ids and its last pushed status. */
  reverse_order_id: string
  reverse_order_line_id: string
  reverse_status: string
  buyer_id: string
  created_at: number
  updated_at: number
}

export interface SandboxOrder {
  order_id: string
  seller_id: string
  country: Country
  created_at: number
  /** Seconds; strictly increases with every change of an item (the lifecycle's clock for all its items). */
  updated_at: number
  customer_first_name: string
  customer_last_name: string
  payment_method: string
  shipping_fee: string
  voucher_seller: string
  voucher_platform: string
  address: SandboxAddress
  items: SandboxOrderItem[]
}

/** The fee names of adjustment rows the control API adds. */
export const ADJUSTMENT_NAMES = ["Shipping Fee Adjustment", "Other Adjustment"] as const
export type AdjustmentName = (typeof ADJUSTMENT_NAMES)[number]

/** An adjustment row added after settlement (finance.ts). */
export interface SandboxAdjustment {
  order_id: string
  order_item_id: string
  fee_name: AdjustmentName
  /** Signed as it reaches the seller: negative is a deduction. */
  amount: string
  comment: string
  /** Seconds. */
  created_at: number
  seq: number
}
