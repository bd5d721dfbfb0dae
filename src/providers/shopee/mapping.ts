import type {
  Address,
  FeeKind,
  MarketplaceEscrow,
  MarketplaceListing,
  MarketplaceOrder,
  MarketplaceOrderItem,
  MarketplaceReturn,
  Money,
  OrderStatus,
  PackageStage,
  ReturnStatus,
} from "../types"
import { ShopeeValidationError } from "./errors"
import { addDecimals, compareDecimals, multiplyDecimal } from "../kit"
import type { ShopeeEscrowDetail, ShopeeItemBaseInfo, ShopeeModelList, ShopeeOrderDetail, ShopeeReturn } from "./schemas"

/** Shopee order statuses (Data Definition "OrderStatus", plus PENDING and BR's INVOICE_PENDING). */
export const ORDER_STATUS_MAP: Record<string, OrderStatus> = {
  UNPAID: "unpaid",
  PENDING: "unpaid",
  READY_TO_SHIP: "paid",
  INVOICE_PENDING: "paid",
  PROCESSED: "processed",
  RETRY_SHIP: "processed",
  SHIPPED: "shipped",
  TO_CONFIRM_RECEIVE: "delivered",
  IN_CANCEL: "cancel_requested",
  CANCELLED: "cancelled",
  TO_RETURN: "in_return",
  COMPLETED: "completed",
}

/**
 * Shopee return statuses (Data Definition "ReturnStatus"). Shopee publishes no refund status: ACCEPTED means the
 * refund was agreed (Shopee pays it out), so `refunded` is never produced by this provider.
 */
export const RETURN_STATUS_MAP: Record<string, ReturnStatus> = {
  REQUESTED: "requested",
  ACCEPTED: "accepted",
  PROCESSING: "processing",
  JUDGING: "processing",
  SELLER_DISPUTE: "disputed",
  CANCELLED: "cancelled",
  CLOSED: "closed",
}

/**
 * A package's `logistics_status` (Data Definition "PackageFulfillmentStatus") where it says plainly where the parcel
 * is: LOGISTICS_PICKUP_DONE "handed over to 3PL", LOGISTICS_DELIVERY_DONE "successfully delivered" (Shopee lists no
 * in-transit value between them). Every other value is left to the order's status (stage null): those before pickup
 * wait on the order anyway, and the failures (LOGISTICS_PICKUP_FAILED, LOGISTICS_DELIVERY_FAILED, LOGISTICS_LOST)
 * are the order's cancellation, not a package's own move.
 */
export const PACKAGE_STAGE_MAP: Record<string, PackageStage> = {
  LOGISTICS_PICKUP_DONE: "shipped",
  LOGISTICS_DELIVERY_DONE: "delivered",
}

/**
 * The package's stage from its `logistics_status` (PACKAGE_STAGE_MAP), null where that says nothing plain. A
 * package still at LOGISTICS_PICKUP_DONE in an order Shopee calls received (TO_CONFIRM_RECEIVE, COMPLETED) follows the
 * order: a logistics status that lags must not hold a delivered order's fulfilment at shipped.
 */
export function packageStageOf(logisticsStatus: string | null | undefined, orderStatus: OrderStatus): PackageStage | null {
  const stage = PACKAGE_STAGE_MAP[logisticsStatus ?? ""] ?? null
  if (stage === "shipped" && (orderStatus === "delivered" || orderStatus === "completed")) return null
  return stage
}

const date = (seconds: number): Date => new Date(seconds * 1000)
const optionalDate = (seconds: number | null | undefined): Date | null => (seconds ? date(seconds) : null)
const blankToNull = (value: string | null | undefined): string | null => (value && value.trim() ? value : null)

export function mapOrderStatus(status: string, field: string): OrderStatus {
  const mapped = ORDER_STATUS_MAP[status]
  if (!mapped) {
    throw new ShopeeValidationError(`Shopee answered an unknown order status at ${field}: ${status}`, {
      code: "invalid_response",
    })
  }
  return mapped
}

function mapAddress(address: ShopeeOrderDetail["recipient_address"]): Address | null {
  if (!address) {
    return null
  }
  // Masked parts ("****", "P******n") are kept as given: they are what Shopee lets the seller see.
  return {
    name: blankToNull(address.name),
    phone: blankToNull(address.phone),
    address_1: blankToNull(address.full_address),
    address_2: blankToNull(address.town),
    city: blankToNull(address.city),
    district: blankToNull(address.district),
    province: blankToNull(address.state),
    postal_code: blankToNull(address.zipcode),
    country_code: blankToNull(address.region)?.toLowerCase() ?? null,
    full_address: blankToNull(address.full_address),
  }
}

type ShopeeOrderLine = NonNullable<ShopeeOrderDetail["item_list"]>[number]

/** Line ids: item:model, made unique by the promotion group and then the position when Shopee repeats a model. */
function lineIds(items: ShopeeOrderLine[]): string[] {
  const base = items.map((i) => `${i.item_id}:${i.model_id}`)
  return items.map((item, index) => {
    if (base.filter((b) => b === base[index]).length === 1) {
      return base[index]
    }
    return `${base[index]}:${item.promotion_group_id ?? "0"}:${index}`
  })
}

const negate = (value: Money): Money => (value.startsWith("-") ? value.slice(1) : `-${value}`)

export function mapOrder(order: ShopeeOrderDetail, index = 0): MarketplaceOrder {
  const items = order.item_list ?? []
  const ids = lineIds(items)
  const lines: MarketplaceOrderItem[] = items.map((item, i) => ({
    line_id: ids[i],
    external_item_id: item.item_id,
    external_model_id: item.model_id,
    sku: blankToNull(item.model_sku) ?? blankToNull(item.item_sku),
    title: item.item_name,
    variant_title: blankToNull(item.model_name),
    quantity: item.model_quantity_purchased,
    unit_price: item.model_discounted_price,
    original_unit_price: item.model_original_price,
    image_url: blankToNull(item.image_info?.image_url),
  }))

  const lineFor = (itemId: string, modelId: string, group: string | null | undefined): string | null => {
    const candidates = items
      .map((item, i) => ({ item, id: ids[i] }))
      .filter(({ item }) => item.item_id === itemId && item.model_id === modelId)
    const exact = candidates.find(({ item }) => group == null || (item.promotion_group_id ?? "0") === group)
    return (exact ?? candidates[0])?.id ?? null
  }

  const status = mapOrderStatus(order.order_status, `response.order_list[${index}].order_status`)
  const packages = (order.package_list ?? []).map((pkg) => ({
    external_id: pkg.package_number,
    status: blankToNull(pkg.logistics_status),
    stage: packageStageOf(pkg.logistics_status, status),
    carrier: blankToNull(pkg.shipping_carrier),
    tracking_number: null,
    items: (pkg.item_list ?? []).flatMap((entry) => {
      const line = lineFor(entry.item_id, entry.model_id, entry.promotion_group_id)
      return line ? [{ line_id: line, quantity: entry.model_quantity ?? 0 }] : []
    }),
  }))

  const actual = order.actual_shipping_fee
  const shippingAmount: Money =
    actual && compareDecimals(actual, "0") > 0 ? actual : order.estimated_shipping_fee ?? "0"
  const subtotal = addDecimals("0", ...lines.map((l) => multiplyDecimal(l.unit_price, l.quantity)))
  // total_amount arrives only once the buyer paid; before that the lines are all there is.
  const total = order.total_amount ?? subtotal
  // The detail has no voucher breakdown (vouchers and coins are in the escrow), but what the buyer did not
  // pay of lines + shipping is exactly the order-level discount. A negative gap (extra fees) is not a
  // discount: it is left for the core to record as a total mismatch.
  const gap = addDecimals(subtotal, shippingAmount, negate(total))
  const discountTotal = compareDecimals(gap, "0") > 0 ? gap : "0"

  return {
    external_id: order.order_sn,
    status,
    external_status: order.order_status,
    currency_code: order.currency.toLowerCase(),
    country_code: blankToNull(order.region)?.toLowerCase() ?? null,
    created_at: date(order.create_time),
    updated_at: date(order.update_time),
    paid_at: optionalDate(order.pay_time),
    buyer: {
      external_id: order.buyer_user_id && order.buyer_user_id !== "0" ? order.buyer_user_id : null,
      username: blankToNull(order.buyer_username),
      email: null,
      phone: null,
    },
    shipping_address: mapAddress(order.recipient_address),
    items: lines,
    shipping: {
      method_name: blankToNull(order.checkout_shipping_carrier) ?? blankToNull(order.shipping_carrier),
      carrier: blankToNull(order.shipping_carrier) ?? packages.find((p) => p.carrier)?.carrier ?? null,
      amount: shippingAmount,
    },
    discount_total: discountTotal,
    total,
    packages,
    payment_method: blankToNull(order.payment_method),
    note: blankToNull(order.message_to_seller),
    cancel_reason: blankToNull(order.cancel_reason) ?? blankToNull(order.buyer_cancel_reason),
    raw: order,
  }
}

type Income = ShopeeEscrowDetail["order_income"]

/** Escrow fields per plugin fee kind; several Shopee fields sum into one kind. */
const FEE_FIELDS: [FeeKind, (keyof Income)[]][] = [
  ["commission", ["commission_fee"]],
  ["service", ["service_fee"]],
  ["transaction", ["seller_transaction_fee"]],
  ["shipping_paid_by_buyer", ["buyer_paid_shipping_fee"]],
  ["shipping_actual", ["actual_shipping_fee"]],
  ["shipping_rebate", ["shopee_shipping_rebate"]],
  ["seller_voucher", ["voucher_from_seller"]],
  ["platform_voucher", ["voucher_from_shopee"]],
  ["coins", ["coins"]],
  ["tax", ["escrow_tax", "withholding_tax", "withholding_vat_tax", "withholding_pit_tax", "withholding_cit_tax"]],
  [
    "other",
    [
      "campaign_fee",
      "order_ams_commission_fee",
      "seller_order_processing_fee",
      "delivery_seller_protection_fee_premium_amount",
      "shipping_seller_protection_fee_amount",
      "overseas_return_service_fee",
    ],
  ],
]

export function mapEscrow(detail: ShopeeEscrowDetail, currencyCode: string): MarketplaceEscrow {
  const income = detail.order_income
  const fees: MarketplaceEscrow["fees"] = {}
  for (const [kind, fields] of FEE_FIELDS) {
    const values = fields.map((f) => income[f]).filter((v): v is string => typeof v === "string")
    if (values.length) {
      fees[kind] = addDecimals(...values)
    }
  }
  return {
    external_order_id: detail.order_sn,
    currency_code: currencyCode,
    buyer_total: income.buyer_total_amount ?? detail.buyer_payment_info?.buyer_total_amount ?? "0",
    fees,
    adjustments: (income.order_adjustment ?? []).map((a) => ({
      reason: blankToNull(a.adjustment_reason),
      amount: a.amount,
      at: optionalDate(a.date),
    })),
    net_payout: income.escrow_amount_after_adjustment ?? income.escrow_amount,
    // The escrow detail has no payout time; the core records it when the payout shows up.
    payout_at: null,
    raw: detail,
  }
}

export function mapReturn(ret: ShopeeReturn, field = "response"): MarketplaceReturn {
  const status = RETURN_STATUS_MAP[ret.status]
  if (!status) {
    throw new ShopeeValidationError(`Shopee answered an unknown return status at ${field}.status: ${ret.status}`, {
      code: "invalid_response",
    })
  }
  // return_solution: 0 return and refund, 1 refund only; older answers only say whether goods travel back.
  const refundOnly = ret.return_solution != null ? ret.return_solution === 1 : ret.needs_logistics === false
  const reason = [blankToNull(ret.reason), blankToNull(ret.text_reason)].filter(Boolean).join(": ")
  return {
    external_id: ret.return_sn,
    external_order_id: ret.order_sn,
    status,
    external_status: ret.status,
    solution: refundOnly ? "refund_only" : "return_refund",
    reason: reason || null,
    currency_code: ret.currency.toLowerCase(),
    refund_amount: ret.refund_amount,
    items: (ret.item ?? []).map((item) => ({
      external_item_id: item.item_id,
      external_model_id: item.model_id,
      sku: blankToNull(item.variation_sku) ?? blankToNull(item.item_sku),
      quantity: item.amount,
      refund_amount: item.refund_amount ?? null,
    })),
    created_at: date(ret.create_time),
    updated_at: date(ret.update_time),
    raw: ret,
  }
}

type StockInfo = ShopeeItemBaseInfo["stock_info_v2"]

function stockOf(info: StockInfo): number | null {
  const total = info?.summary_info?.total_available_stock
  if (typeof total === "number") {
    return total
  }
  const sellerStock = info?.seller_stock
  return sellerStock?.length ? sellerStock.reduce((sum, s) => sum + s.stock, 0) : null
}

/** An item without variations is one listing with model id "0"; otherwise one listing per model. */
export function mapListings(item: ShopeeItemBaseInfo, models: ShopeeModelList | null): MarketplaceListing[] {
  if (!models || !models.model.length) {
    const price = item.price_info?.[0]
    return [
      {
        external_item_id: item.item_id,
        external_model_id: "0",
        sku: blankToNull(item.item_sku),
        title: item.item_name,
        variant_title: null,
        price: price?.original_price ?? null,
        currency_code: blankToNull(price?.currency)?.toLowerCase() ?? null,
        stock: stockOf(item.stock_info_v2),
        status: blankToNull(item.item_status),
      },
    ]
  }
  const tiers = models.tier_variation ?? []
  return models.model.map((model) => {
    const price = model.price_info?.[0]
    const options = (model.tier_index ?? [])
      .map((optionIndex, tier) => tiers[tier]?.option_list?.[optionIndex]?.option)
      .filter((o): o is string => !!o)
    return {
      external_item_id: item.item_id,
      external_model_id: model.model_id,
      sku: blankToNull(model.model_sku) ?? blankToNull(item.item_sku),
      title: item.item_name,
      variant_title: options.length ? options.join(", ") : null,
      price: price?.original_price ?? null,
      currency_code: blankToNull(price?.currency)?.toLowerCase() ?? null,
      stock: stockOf(model.stock_info_v2),
      status: blankToNull(model.model_status) ?? blankToNull(item.item_status),
    }
  })
}
