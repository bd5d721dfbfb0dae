import { addDecimals, compareDecimals, multiplyDecimal, normalizeDecimal } from "../kit"
import type { Address, AuthorizationGrant, MarketplaceOrder, MarketplaceOrderItem, MarketplacePackage, OrderStatus, PackageStage, TokenSet } from "../types"
import type { TiktokLineItem, TiktokOrder, TiktokShopsData, TiktokTokenData } from "./schemas"

/**
 * TikTok Shop's order statuses ("Order status" in the Order API overview) in the plugin's vocabulary:
 * - UNPAID: placed, not paid;
 * - ON_HOLD: paid, but held by the platform for its cancellation window (the buyer may still cancel without the
 *   seller): imported as `paid`, stock reserved, not to be shipped yet;
 * - AWAITING_SHIPMENT: paid, waiting for the seller to arrange shipment: `paid`;
 * - PARTIALLY_SHIPPING: some packages left, not all: `processed` (part of it is still at the seller's);
 * - AWAITING_COLLECTION: shipment arranged, the carrier has not collected it: `processed`;
 * - IN_TRANSIT: `shipped`; DELIVERED: `delivered`; COMPLETED: `completed`; CANCELLED: `cancelled`.
 * TikTok has no order status for a buyer's pending cancellation request: the order keeps its status and says
 * `is_buyer_request_cancel` (see `orderStatusOf`).
 */
export const ORDER_STATUS_MAP: Record<string, OrderStatus> = {
  UNPAID: "unpaid",
  ON_HOLD: "paid",
  AWAITING_SHIPMENT: "paid",
  PARTIALLY_SHIPPING: "processed",
  AWAITING_COLLECTION: "processed",
  IN_TRANSIT: "shipped",
  DELIVERED: "delivered",
  COMPLETED: "completed",
  CANCELLED: "cancelled",
}

/** The statuses a search must name to see every order past payment (UNPAID left out unless asked). */
export const PAID_STATUSES = Object.keys(ORDER_STATUS_MAP).filter((s) => s !== "UNPAID")

export function toOrderStatus(status: string): OrderStatus | null {
  return ORDER_STATUS_MAP[status.toUpperCase()] ?? null
}

/**
 * The order's status with its cancellation: a paid order that has not left, with a buyer's cancellation request
 * pending (type 11 webhook, "Search Cancellations" CANCELLATION_REQUEST_PENDING), is `cancel_requested`; once the
 * request is accepted TikTok cancels the order (CANCELLED), once withdrawn the flag goes.
 */
export function orderStatusOf(order: Pick<TiktokOrder, "status" | "is_buyer_request_cancel">): OrderStatus | null {
  const status = toOrderStatus(order.status)
  return order.is_buyer_request_cancel && (status === "paid" || status === "processed") ? "cancel_requested" : status
}

export function toTokenSet(data: TiktokTokenData): TokenSet {
  return {
    access_token: data.access_token,
    refresh_token: data.refresh_token,
    // Absolute Unix times, not durations.
    access_token_expires_at: new Date(data.access_token_expire_in * 1000),
    refresh_token_expires_at: data.refresh_token_expire_in ? new Date(data.refresh_token_expire_in * 1000) : null,
  }
}

/** One grant covers every shop of the seller; each shop's cipher goes into its connection's metadata. */
export function toGrant(token: TiktokTokenData, shops: TiktokShopsData): AuthorizationGrant {
  return {
    seller_id: token.open_id ?? null,
    tokens: toTokenSet(token),
    shops: shops.shops.map((shop) => ({
      shop_id: shop.id,
      name: shop.name ?? null,
      region: shop.region ?? null,
      metadata: { cipher: shop.cipher, shop_code: shop.code ?? null, seller_type: shop.seller_type ?? null },
    })),
    metadata: {
      seller_name: token.seller_name ?? null,
      seller_base_region: token.seller_base_region ?? null,
    },
  }
}

const money = (value: string | null | undefined) => normalizeDecimal(value ?? "0")

/**
 * TikTok lists one line item per unit (no quantity field). Units of one SKU at one price become one line;
 * a unit sold at another price (a flash deal on one unit) stays a line of its own. The SKU id identifies
 * the variant; the seller SKU is carried for matching by SKU.
 */
export function groupLineItems(items: TiktokLineItem[]): MarketplaceOrderItem[] {
  const groups = new Map<string, MarketplaceOrderItem>()
  for (const item of items) {
    const unit = money(item.original_price ?? item.sale_price)
    const key = `${item.product_id}|${item.sku_id}|${item.seller_sku ?? ""}|${unit}|${money(item.sale_price)}`
    const existing = groups.get(key)
    if (existing) {
      existing.quantity += 1
      continue
    }
    groups.set(key, {
      // The first unit's line id: stable as long as TikTok keeps the order's lines.
      line_id: item.id,
      external_item_id: item.product_id,
      external_model_id: item.sku_id,
      sku: item.seller_sku || null,
      title: item.product_name ?? `Product ${item.product_id}`,
      variant_title: item.sku_name || null,
      quantity: 1,
      unit_price: unit,
      original_unit_price: item.original_price != null ? money(item.original_price) : null,
      image_url: item.sku_image ?? null,
    })
  }
  return [...groups.values()]
}

function sumItems(items: TiktokLineItem[], field: "seller_discount" | "platform_discount"): string {
  return addDecimals("0", ...items.map((i) => money(i[field])))
}

function addressOf(order: TiktokOrder): Address | null {
  const a = order.recipient_address
  if (!a) return null
  const level = (name: string) =>
    a.district_info?.find((d) => (d.address_level_name ?? "").toLowerCase() === name.toLowerCase())?.address_name ?? null
  return {
    name: a.name ?? null,
    phone: a.phone_number ?? null,
    address_1: a.address_line1 || a.address_detail || null,
    address_2: a.address_line2 || null,
    city: level("city") ?? level("regency"),
    district: level("district"),
    province: level("province") ?? level("state"),
    postal_code: a.postal_code ?? null,
    country_code: a.region_code ? a.region_code.toLowerCase() : null,
    full_address: a.full_address ?? null,
  }
}

/**
 * Product discounts, seller's and platform's, are kept apart from the price: lines carry the list price, and
 * the order's `discount_total` is both discounts, so Medusa's total (lines + shipping - discounts) is TikTok's
 * `sub_total + shipping_fee`, i.e. its `total_amount` where no tax is added on top. Shipping discounts are
 * already inside `shipping_fee` (what the buyer pays for shipping).
 */
export function orderDiscount(order: TiktokOrder): string {
  const fromPayment =
    order.payment.seller_discount != null || order.payment.platform_discount != null
      ? addDecimals(money(order.payment.seller_discount), money(order.payment.platform_discount))
      : null
  return fromPayment ?? addDecimals(sumItems(order.line_items, "seller_discount"), sumItems(order.line_items, "platform_discount"))
}

/** The channel an order was placed on, when it is not TikTok Shop itself (Tokopedia orders since the migration). */
export function channelOf(order: TiktokOrder): string | null {
  const platform = (order.commerce_platform ?? "").toUpperCase()
  return platform && platform !== "TIKTOK_SHOP" ? platform.toLowerCase() : null
}

export function toMarketplaceOrder(order: TiktokOrder): MarketplaceOrder {
  const status = orderStatusOf(order)
  if (!status) {
    throw new Error(`TikTok Shop order ${order.id} has an unknown status ${order.status}`)
  }
  const items = groupLineItems(order.line_items)
  const discount = orderDiscount(order)
  const shipping = money(order.payment.shipping_fee)
  const total = order.payment.total_amount != null ? money(order.payment.total_amount) : null
  const linesTotal = addDecimals("0", ...items.map((i) => multiplyDecimal(i.unit_price, i.quantity)))
  const computed = addDecimals(linesTotal, shipping, multiplyDecimal(discount, -1))
  return {
    external_id: order.id,
    status,
    external_status: order.status,
    currency_code: order.payment.currency.toLowerCase(),
    country_code: order.recipient_address?.region_code?.toLowerCase() ?? null,
    created_at: new Date(order.create_time * 1000),
    updated_at: new Date(order.update_time * 1000),
    paid_at: order.paid_time ? new Date(order.paid_time * 1000) : null,
    // `buyer_email` is TikTok's masked relay address, not the buyer's: the customer is keyed on the buyer id
    // (the plugin's placeholder e-mail), as for platforms that give no e-mail.
    buyer: { external_id: order.user_id ?? null, username: null, email: null, phone: null },
    shipping_address: addressOf(order),
    items,
    shipping: {
      method_name: order.delivery_option_name ?? null,
      carrier: order.shipping_provider ?? null,
      amount: shipping,
    },
    discount_total: discount,
    total: total ?? computed,
    packages: order.packages.map((p) => toPackage(order, p.id)),
    payment_method: order.payment_method_name ?? null,
    note: order.buyer_message || null,
    cancel_reason: order.cancel_reason || null,
    channel: channelOf(order),
    raw: order,
  }
}

/** A unit's `package_status` in the plugin's stages (CANCELLED aside: a lost or damaged parcel, see `unitStage`). */
const PACKAGE_STATUS_STAGES: Record<string, PackageStage> = {
  TO_FULFILL: "pending",
  PROCESSING: "pending",
  FULFILLING: "shipped",
  COMPLETED: "delivered",
}

/** A unit's `display_status` (order-status words; the docs' sample also prints TO_SHIP) in the plugin's stages. */
const DISPLAY_STATUS_STAGES: Record<string, PackageStage> = {
  UNPAID: "pending",
  ON_HOLD: "pending",
  TO_SHIP: "pending",
  AWAITING_SHIPMENT: "pending",
  AWAITING_COLLECTION: "pending",
  IN_TRANSIT: "shipped",
  DELIVERED: "delivered",
  COMPLETED: "delivered",
  CANCELLED: "cancelled",
}

const STAGE_ORDER: PackageStage[] = ["pending", "shipped", "delivered"]

/**
 * Where one unit's package is: a unit whose `display_status` is CANCELLED is cancelled; otherwise its package's
 * `package_status`, else its `display_status`. Null when the line says neither in words the docs list.
 */
function unitStage(item: TiktokLineItem): PackageStage | null {
  const display = (item.display_status ?? "").toUpperCase()
  if (display === "CANCELLED") return "cancelled"
  return PACKAGE_STATUS_STAGES[(item.package_status ?? "").toUpperCase()] ?? DISPLAY_STATUS_STAGES[display] ?? null
}

/**
 * A package's stage from its units (this order's: a combined package's other orders are not in this detail):
 * cancelled when all are, else the least advanced of the others (all the units of one package move together, so
 * they agree; shipped is only said when all say it). Null when a unit does not say: the package follows the order.
 */
function packageStage(units: TiktokLineItem[]): PackageStage | null {
  const stages = units.map(unitStage)
  if (!stages.length || stages.some((s) => s === null)) return null
  const live = stages.filter((s) => s !== "cancelled") as PackageStage[]
  if (!live.length) return "cancelled"
  return STAGE_ORDER[Math.min(...live.map((s) => STAGE_ORDER.indexOf(s)))]
}

/**
 * One of the order's packages: its stage, status, carrier and tracking number from its units (each line item
 * carries its package's), and the lines it holds. An order with one package whose lines do not name it takes the
 * order's tracking number, as before the lines carried their own.
 */
function toPackage(order: TiktokOrder, packageId: string): MarketplacePackage {
  const named = order.line_items.filter((i) => i.package_id === packageId)
  const units = named.length ? named : order.packages.length === 1 ? order.line_items : []
  const first = <T>(pick: (i: TiktokLineItem) => T | null | undefined) => units.map(pick).find((v) => v != null && v !== "") ?? null
  const single = order.packages.length === 1
  return {
    external_id: packageId,
    status: first((i) => i.package_status),
    stage: packageStage(units),
    carrier: first((i) => i.shipping_provider_name) ?? order.shipping_provider ?? null,
    tracking_number: first((i) => i.tracking_number) ?? (single ? (order.tracking_number ?? null) : null),
    items: packageItems(order, packageId),
  }
}

/**
 * The units a package carries, as grouped lines; empty when the lines do not say or when it holds the whole order
 * (then: the whole order). A combined package holds units of other orders too: the order detail lists only this
 * order's lines, so only they are named.
 */
function packageItems(order: TiktokOrder, packageId: string): { line_id: string; quantity: number }[] {
  const units = order.line_items.filter((i) => i.package_id === packageId)
  if (!units.length || units.length === order.line_items.length) return []
  return groupLineItems(units).map((g) => ({ line_id: lineIdFor(order.line_items, g), quantity: g.quantity }))
}

/** The grouped line (of the whole order) a group of a package's units belongs to. */
function lineIdFor(all: TiktokLineItem[], group: MarketplaceOrderItem): string {
  const whole = groupLineItems(all)
  const match = whole.find(
    (w) =>
      w.external_model_id === group.external_model_id &&
      compareDecimals(w.unit_price, group.unit_price) === 0 &&
      w.sku === group.sku
  )
  return match?.line_id ?? group.line_id
}
