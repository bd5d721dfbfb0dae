import { addDecimals, multiplyDecimal, normalizeDecimal } from "../kit"
import type {
  Address,
  AuthorizationGrant,
  MarketplaceOrder,
  MarketplaceOrderItem,
  MarketplacePackage,
  OrderStatus,
  PackageStage,
  TokenSet,
} from "../types"
import { apiUrlFor, LAZADA_CURRENCIES } from "./regions"
import type { LazadaOrder, LazadaOrderItem, LazadaTokenAnswer } from "./schemas"

/**
 * Lazada has no order status: every order item has its own (GetMultipleOrderItems, docId 954; "Order status flow",
 * docId 121327). The plugin's order status is derived from the items' statuses by this rule:
 *
 * 1. items that are gone (canceled, lost, damaged by the carrier, scrapped) do not count, unless all are gone:
 *    then the order is `cancelled`;
 * 2. a remaining item waiting for the seller's answer to a buyer's cancellation (`need_cancel_confirm`) makes the
 *    order `cancel_requested`;
 * 3. otherwise the order is where its least advanced remaining item is, on the path
 *    unpaid -> paid -> processed -> shipped -> delivered -> in_return (returned, failed delivery, shipped back).
 *
 * So an order cancelled in part follows its other items, and an order with one item delivered and one returned is
 * `delivered` until the last one is returned too. An item status the table does not know counts as `paid` (the
 * earliest stage after payment), so that an order is never pushed ahead of what the seller must still do.
 */
export const ITEM_STATUS_RANK: Record<string, { rank: number; status: OrderStatus }> = {
  unpaid: { rank: 0, status: "unpaid" },
  pending: { rank: 1, status: "paid" },
  topack: { rank: 1, status: "paid" },
  packed: { rank: 2, status: "processed" },
  repacked: { rank: 2, status: "processed" },
  ready_to_ship_pending: { rank: 2, status: "processed" },
  ready_to_ship: { rank: 2, status: "processed" },
  toship: { rank: 2, status: "processed" },
  shipped: { rank: 3, status: "shipped" },
  // GetOrders' `status` filter and `statuses` list "shipping" beside (or instead of) "shipped": the carrier has it.
  shipping: { rank: 3, status: "shipped" },
  delivered: { rank: 4, status: "delivered" },
  confirmed: { rank: 4, status: "delivered" },
  failed: { rank: 5, status: "in_return" },
  failed_delivery: { rank: 5, status: "in_return" },
  shipped_back: { rank: 5, status: "in_return" },
  shipped_back_success: { rank: 5, status: "in_return" },
  shipped_back_failed: { rank: 5, status: "in_return" },
  returned: { rank: 5, status: "in_return" },
}

/** Item statuses after which the unit is gone from the order. */
export const GONE_ITEM_STATUSES = new Set(["canceled", "cancelled", "lost", "lost_by_3pl", "damaged_by_3pl", "package_scrapped"])

export function orderStatusOf(items: Pick<LazadaOrderItem, "status" | "need_cancel_confirm">[]): OrderStatus {
  const live = items.filter((item) => !GONE_ITEM_STATUSES.has(item.status.toLowerCase()))
  if (live.length === 0) return items.length === 0 ? "unpaid" : "cancelled"
  if (live.some((item) => item.need_cancel_confirm === true)) return "cancel_requested"
  let least = { rank: Number.POSITIVE_INFINITY, status: "paid" as OrderStatus }
  for (const item of live) {
    const entry = ITEM_STATUS_RANK[item.status.toLowerCase()] ?? ITEM_STATUS_RANK.pending
    if (entry.rank < least.rank) least = entry
  }
  return least.status
}

/** The order's own status string: its items' distinct statuses, sorted ("canceled,shipped"). */
export function externalStatusOf(items: Pick<LazadaOrderItem, "status">[]): string {
  return [...new Set(items.map((item) => item.status.toLowerCase()))].sort().join(",")
}

/** The product id in a shop SKU ("2234567_SGAMZ-4567" -> "2234567"), as Seller Center composes it. */
export function productIdOf(item: Pick<LazadaOrderItem, "shop_sku" | "product_id">): string | null {
  if (item.product_id) return item.product_id
  const match = /^(\d+)_/.exec(item.shop_sku ?? "")
  return match ? match[1] : null
}

/** What identifies a unit's variant: Lazada's SKU id, else the seller SKU. */
function variantKey(item: LazadaOrderItem): string {
  return item.sku_id ?? item.sku ?? item.shop_sku ?? item.order_item_id
}

/** The line a unit folds into: same variant, same price. */
export function lineIdOf(item: LazadaOrderItem): string {
  return `${variantKey(item)}@${normalizeDecimal(item.item_price)}`
}

/**
 * One Lazada order item is one unit: two units of a SKU are two items. They fold into one line per variant and
 * price, in the order the items first appear; the line id (`<sku id>@<price>`) stays the same as units come and go.
 * Units that are gone (GONE_ITEM_STATUSES: cancelled, lost...) count in `quantity` and in `cancelled_quantity`.
 */
export function foldLines(items: LazadaOrderItem[]): MarketplaceOrderItem[] {
  const lines = new Map<string, MarketplaceOrderItem>()
  for (const item of items) {
    const id = lineIdOf(item)
    const line = lines.get(id)
    // A unit cancelled (or lost) while the rest of the order goes on stays in its line's quantity, as it
    // stays in the order's `price`: the core cancels it from the line by `cancelled_quantity`.
    const gone = GONE_ITEM_STATUSES.has(item.status.toLowerCase()) ? 1 : 0
    if (line) {
      line.quantity += 1
      line.cancelled_quantity = (line.cancelled_quantity ?? 0) + gone
      continue
    }
    lines.set(id, {
      line_id: id,
      external_item_id: productIdOf(item) ?? variantKey(item),
      external_model_id: variantKey(item),
      sku: item.sku ?? null,
      title: item.name ?? item.sku ?? id,
      variant_title: item.variation || null,
      quantity: 1,
      cancelled_quantity: gone,
      unit_price: normalizeDecimal(item.item_price),
      original_unit_price: null,
      image_url: item.product_main_image ?? null,
    })
  }
  return [...lines.values()]
}

/**
 * In-return item statuses that come after delivery: `returned` is a reverse order's (Lazada opens one only after the
 * order is "Delivered": guide "Reverse order overview"). The others (failed delivery, shipped back) never reached the
 * buyer.
 */
const RETURNED_AFTER_DELIVERY = new Set(["returned"])

const STAGE_ORDER: PackageStage[] = ["pending", "shipped", "delivered"]

/** Where one live (not gone) unit is, as a package stage, from its place in ITEM_STATUS_RANK. */
function itemStage(status: string): PackageStage {
  const entry = ITEM_STATUS_RANK[status] ?? ITEM_STATUS_RANK.pending
  if (entry.rank < ITEM_STATUS_RANK.shipped.rank) return "pending"
  if (entry.rank === ITEM_STATUS_RANK.shipped.rank) return "shipped"
  if (entry.rank === ITEM_STATUS_RANK.delivered.rank) return "delivered"
  // In return: the goods left in any case; delivered only when the status says the buyer had them.
  return RETURNED_AFTER_DELIVERY.has(status) ? "delivered" : "shipped"
}

/**
 * A package's stage from its units' statuses (Lazada gives none per package: its units share the package's fate, so
 * the package is where its least advanced live unit is): every unit gone -> `cancelled`; otherwise pending before the
 * carrier has it, shipped, delivered (or confirmed); failed deliveries and units shipped back count as shipped (they
 * left, the buyer never had them), a return after delivery as delivered. An unknown status counts as `pending`, as it
 * counts as `paid` in the order's status: a package is never pushed ahead of what the seller must still do.
 */
export function packageStageOf(items: Pick<LazadaOrderItem, "status">[]): PackageStage {
  const live = items.map((item) => item.status.toLowerCase()).filter((status) => !GONE_ITEM_STATUSES.has(status))
  if (live.length === 0) return "cancelled"
  return live.map(itemStage).reduce((least, stage) => (STAGE_ORDER.indexOf(stage) < STAGE_ORDER.indexOf(least) ? stage : least))
}

/**
 * Parcels: the items sharing a `package_id`, with their carrier, tracking code and stage (`packageStageOf`). Units
 * without a package id are no parcel (not packed yet, or moved on without Pack): the order's status covers them.
 */
export function packagesOf(items: LazadaOrderItem[]): MarketplacePackage[] {
  const byPackage = new Map<string, LazadaOrderItem[]>()
  for (const item of items) {
    if (!item.package_id) continue
    byPackage.set(item.package_id, [...(byPackage.get(item.package_id) ?? []), item])
  }
  return [...byPackage.entries()].map(([packageId, units]) => {
    const lines: MarketplacePackage["items"] = []
    for (const unit of units) {
      const lineId = lineIdOf(unit)
      const entry = lines.find((l) => l.line_id === lineId)
      if (entry) entry.quantity += 1
      else lines.push({ line_id: lineId, quantity: 1 })
    }
    return {
      external_id: packageId,
      status: externalStatusOf(units),
      stage: packageStageOf(units),
      // One carrier and one tracking code per package; a unit may not carry them yet (a 3PL slow to assign one).
      carrier: units.find((u) => u.shipment_provider)?.shipment_provider ?? null,
      tracking_number: units.find((u) => u.tracking_code)?.tracking_code || null,
      items: lines,
    }
  })
}

function join(...parts: (string | null | undefined)[]): string | null {
  const text = parts.filter((p) => p && p.trim()).join(" ").trim()
  return text || null
}

function addressOf(order: LazadaOrder, country: string | null): Address | null {
  const a = order.address_shipping
  if (!a) return null
  return {
    name: join(a.first_name, a.last_name),
    phone: a.phone ?? null,
    address_1: a.address1 ?? null,
    address_2: a.address2 || null,
    city: a.city || a.address4 || null,
    district: a.address5 || null,
    province: a.address3 || null,
    postal_code: a.post_code || null,
    country_code: country,
    full_address: null,
  }
}

/**
 * Money, so that the Medusa order's total equals what Lazada states: lines at `item_price` (the units' sum is the
 * order's `price`), the order's `shipping_fee`, and its `voucher` (seller and platform vouchers together, or their
 * parts when only those are given) as the discount: total = price + shipping_fee - voucher.
 */
export function totalsOf(order: LazadaOrder): { shipping: string; discount: string; total: string } {
  const shipping = order.shipping_fee ?? "0"
  const discount = order.voucher ?? addDecimals(order.voucher_seller ?? "0", order.voucher_platform ?? "0")
  return { shipping, discount, total: addDecimals(order.price, shipping, multiplyDecimal(discount, -1)) }
}

export function toMarketplaceOrder(order: LazadaOrder, items: LazadaOrderItem[], country: string | null): MarketplaceOrder {
  const countryCode = country ? country.toLowerCase() : null
  const status = orderStatusOf(items)
  const totals = totalsOf(order)
  const currency = (items.find((i) => i.currency)?.currency ?? (countryCode ? LAZADA_CURRENCIES[countryCode] : null) ?? "")
    .toLowerCase()
  return {
    external_id: order.order_id,
    status,
    external_status: externalStatusOf(items),
    currency_code: currency,
    country_code: countryCode,
    created_at: order.created_at,
    updated_at: latest(order.updated_at, items),
    paid_at: status === "unpaid" ? null : order.created_at,
    buyer: {
      external_id: items.find((i) => i.buyer_id)?.buyer_id ?? null,
      username: join(order.customer_first_name, order.customer_last_name),
      email: null,
      phone: order.address_shipping?.phone ?? null,
    },
    shipping_address: addressOf(order, countryCode),
    items: foldLines(items),
    shipping: { method_name: null, carrier: items.find((i) => i.shipment_provider)?.shipment_provider ?? null, amount: totals.shipping },
    discount_total: totals.discount,
    total: totals.total,
    packages: packagesOf(items),
    payment_method: order.payment_method ?? null,
    note: order.buyer_note || order.remarks || null,
    cancel_reason: items.find((i) => GONE_ITEM_STATUSES.has(i.status.toLowerCase()) && i.reason)?.reason ?? null,
    raw: { order, items },
  }
}

/** The order's update time: its own, or a later one of an item (an item changes without touching the order). */
function latest(orderTime: Date, items: LazadaOrderItem[]): Date {
  let t = orderTime.getTime()
  for (const item of items) {
    if (item.updated_at && item.updated_at.getTime() > t) t = item.updated_at.getTime()
  }
  return new Date(t)
}

export function toTokenSet(answer: LazadaTokenAnswer, nowMs: number): TokenSet {
  return {
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    access_token_expires_at: new Date(nowMs + answer.expires_in * 1000),
    refresh_token_expires_at: answer.refresh_expires_in ? new Date(nowMs + answer.refresh_expires_in * 1000) : null,
  }
}

/**
 * One grant, one connection per country: `country_user_info[]` lists the seller account of each country the
 * merchant authorized; each becomes a shop (its seller id), with the country's API host in its metadata.
 */
export function toGrant(answer: LazadaTokenAnswer, nowMs: number, apiUrlTemplate: string | null): AuthorizationGrant {
  const countries = answer.country_user_info ?? answer.country_user_info_list ?? []
  return {
    seller_id: answer.account ?? countries[0]?.seller_id ?? null,
    tokens: toTokenSet(answer, nowMs),
    shops: countries.map((c) => {
      const country = c.country.toLowerCase()
      return {
        shop_id: c.seller_id,
        // The token answer names no shop; the seller's short code is what Seller Center shows beside it.
        name: c.short_code || `Lazada ${country.toUpperCase()}`,
        region: country.toUpperCase(),
        currency_code: LAZADA_CURRENCIES[country] ?? null,
        metadata: {
          country,
          api_base_url: apiUrlFor(country, apiUrlTemplate),
          user_id: c.user_id ?? null,
          short_code: c.short_code ?? null,
        },
      }
    }),
    metadata: { account: answer.account ?? null, account_platform: answer.account_platform ?? null },
  }
}
