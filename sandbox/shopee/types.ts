/**
 * In-memory shapes held by the Shopee sandbox. Field names follow Shopee Open Platform v2
 * (snake_case, ids as integers, order_sn/return_sn as strings, times as Unix seconds) so that
 * route handlers mostly copy fields instead of renaming them.
 */

/** Order statuses from "V2.0 Data Definition - OrderStatus". */
export const ORDER_STATUSES = [
  "UNPAID",
  "READY_TO_SHIP",
  "PROCESSED",
  "RETRY_SHIP",
  "SHIPPED",
  "TO_CONFIRM_RECEIVE",
  "IN_CANCEL",
  "CANCELLED",
  "TO_RETURN",
  "COMPLETED",
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Return statuses from "V2.0 Data Definition - ReturnStatus". */
export const RETURN_STATUSES = [
  "REQUESTED",
  "ACCEPTED",
  "CANCELLED",
  "JUDGING",
  "CLOSED",
  "PROCESSING",
  "SELLER_DISPUTE",
] as const
export type ReturnStatus = (typeof RETURN_STATUSES)[number]

/** "V2.0 Data Definition - ReturnSolution". */
export type ReturnSolution = "RETURN_REFUND" | "REFUND"

/** Seller cancel reasons accepted by v2.order.cancel_order. */
export const CANCEL_REASONS = [
  "OUT_OF_STOCK",
  "CUSTOMER_REQUEST",
  "UNDELIVERABLE_AREA",
  "COD_NOT_SUPPORTED",
] as const

export const ITEM_STATUSES = [
  "NORMAL",
  "BANNED",
  "UNLIST",
  "REVIEWING",
  "SELLER_DELETE",
  "SHOPEE_DELETE",
] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]

export const SHIPPING_DOCUMENT_TYPES = [
  "NORMAL_AIR_WAYBILL",
  "THERMAL_AIR_WAYBILL",
  "NORMAL_JOB_AIR_WAYBILL",
  "THERMAL_JOB_AIR_WAYBILL",
  "THERMAL_UNPACKAGED_LABEL",
] as const

export interface SandboxShop {
  shop_id: number
  shop_name: string
  region: string
  currency: string
  status: "NORMAL" | "BANNED" | "FROZEN"
  auth_time: number
  expire_time: number
  /** Multi-warehouse sellers must send location_id in update_stock; empty = single location. */
  warehouses: string[]
  /** How many times v2.auth.access_token.get succeeded for this shop. */
  refresh_count: number
}

export interface SandboxModel {
  /** 0 for an item without variations, as Shopee documents for update_stock/update_price. */
  model_id: number
  model_sku: string
  model_name: string
  tier_index: number[]
  original_price: number
  stock: number
  /** Stock reserved for promotions; update_stock refuses anything below it. */
  reserved_stock: number
  weight: number
}

export interface SandboxItem {
  item_id: number
  shop_id: number
  item_name: string
  item_sku: string
  description: string
  item_status: ItemStatus
  category_id: number
  create_time: number
  update_time: number
  weight: number
  has_model: boolean
  tier_variation: { name: string; option_list: { option: string }[] }[]
  models: SandboxModel[]
}

export interface OrderLine {
  item_id: number
  item_name: string
  item_sku: string
  model_id: number
  model_name: string
  model_sku: string
  quantity: number
  /** Unit prices in the shop currency. */
  original_price: number
  discounted_price: number
  weight: number
}

export interface RecipientAddress {
  name: string
  phone: string
  town: string
  district: string
  city: string
  state: string
  region: string
  zipcode: string
  full_address: string
}

export interface EscrowAdjustment {
  amount: number
  date: number
  currency: string
  adjustment_reason: string
}

export interface ShippingDocumentTask {
  shipping_document_type: string
  status: "PROCESSING" | "READY"
  /** get_shipping_document_result calls still answering PROCESSING. */
  polls_left: number
}

export interface SandboxOrder {
  order_sn: string
  shop_id: number
  region: string
  currency: string
  order_status: OrderStatus
  cod: boolean
  payment_method: string
  create_time: number
  update_time: number
  pay_time?: number
  pickup_done_time?: number
  days_to_ship: number
  ship_by_date: number
  buyer_user_id: number
  buyer_username: string
  message_to_seller: string
  note: string
  note_update_time: number
  recipient_address: RecipientAddress
  lines: OrderLine[]
  estimated_shipping_fee: number
  actual_shipping_fee: number
  buyer_paid_shipping_fee: number
  shopee_shipping_rebate: number
  voucher_from_seller: number
  voucher_from_shopee: number
  coins: number
  seller_voucher_code: string[]
  fee_rates: { commission: number; service: number; transaction: number }
  shipping_carrier: string
  logistics_channel_id: number
  package_number: string
  logistics_status: string
  tracking_number: string
  /** get_tracking_number calls that still answer an empty tracking number after ship_order. */
  tracking_empty_calls_left: number
  tracking_pushed: boolean
  document?: ShippingDocumentTask
  cancel_by: string
  cancel_reason: string
  buyer_cancel_reason: string
  adjustments: EscrowAdjustment[]
  return_sns: string[]
  /** Negative amount given back to the buyer by accepted returns (Shopee's sign convention). */
  seller_return_refund: number
}

export interface ReturnLine {
  item_id: number
  model_id: number
  name: string
  item_sku: string
  variation_sku: string
  amount: number
  item_price: number
  refund_amount: number
}

export interface SandboxReturn {
  return_sn: string
  order_sn: string
  shop_id: number
  status: ReturnStatus
  solution: ReturnSolution
  reason: string
  text_reason: string
  currency: string
  refund_amount: number
  amount_before_discount: number
  create_time: number
  update_time: number
  due_date: number
  tracking_number: string
  needs_logistics: boolean
  buyer_username: string
  lines: ReturnLine[]
  return_refund_type: "RRBOC" | "RRAOC"
  dispute_reason: number[]
  dispute_text_reason: string[]
}

export interface StockHistoryEntry {
  shop_id: number
  item_id: number
  model_id: number
  sku: string
  location_id: string
  stock: number
  received_at: number
  accepted: boolean
  failed_reason?: string
}

export interface PriceHistoryEntry {
  shop_id: number
  item_id: number
  model_id: number
  sku: string
  original_price: number
  received_at: number
  accepted: boolean
  failed_reason?: string
}

export { FAULT_KINDS } from "../kit/types"
export type { CallRecord, Fault, FaultKind, LostPushMessage, PushRecord, SandboxLogger, ScheduledRedelivery } from "../kit/types"
export type { AccessTokenRecord, AuthCodeRecord, RefreshTokenRecord } from "../kit/tokens"
