import { MathBN } from "@medusajs/framework/utils"
import type { Address, MarketplaceOrder, MarketplaceOrderItem, Money } from "../../../providers/types"
import { minorUnitDigits } from "../../../lib/decimal"
import type { ConnectionSettings } from "../../../modules/marketplace/types"

/** The domain of placeholder e-mails: `.invalid` is reserved (RFC 2606), so it can never reach a person. */
export const PLACEHOLDER_EMAIL_DOMAIN = "marketplace.invalid"

/**
 * The buyer's e-mail, or a placeholder keyed on the platform's buyer id, so that a returning buyer is the
 * same Medusa customer (Medusa's order creation reuses the customer of an e-mail).
 */
export function buyerEmail(platform: string, order: MarketplaceOrder): string {
  if (order.buyer.email && /.+@.+\..+/.test(order.buyer.email)) {
    return order.buyer.email.toLowerCase()
  }
  const safe = (v: string) => v.toLowerCase().replace(/[^a-z0-9._-]/g, "-")
  const who = order.buyer.external_id ? `buyer-${safe(order.buyer.external_id)}` : `order-${safe(order.external_id)}`
  return `${who}@${safe(platform)}.${PLACEHOLDER_EMAIL_DOMAIN}`
}

/** A Medusa address from the platform's, kept as given (masked parts included). */
export function toMedusaAddress(address: Address | null, fallbackCountry: string | null) {
  if (!address) {
    return undefined
  }
  const country = (address.country_code ?? fallbackCountry ?? "").toLowerCase() || undefined
  return {
    first_name: address.name ?? undefined,
    last_name: undefined,
    phone: address.phone ?? undefined,
    address_1: address.address_1 ?? address.full_address ?? undefined,
    address_2: address.address_2 ?? undefined,
    city: address.city ?? address.district ?? undefined,
    province: address.province ?? undefined,
    postal_code: address.postal_code ?? undefined,
    country_code: country,
    metadata: {
      full_address: address.full_address,
      district: address.district,
    },
  }
}

const lineTotal = (item: MarketplaceOrderItem) => MathBN.mult(item.unit_price, item.quantity)

/**
 * Spreads an order-level discount (seller vouchers) over the lines in proportion to their totals, so that
 * Medusa's order total is the marketplace's. Every share but the last is rounded down to the currency's
 * smallest unit (`decimals`: 0 for IDR, VND, JPY); the last line takes the remainder, so the sum is exact.
 */
export function spreadDiscount(items: MarketplaceOrderItem[], discount: Money, decimals = 2): Money[] {
  const shares = items.map(() => "0")
  if (!items.length || MathBN.lte(discount, 0)) {
    return shares
  }
  const subtotal = MathBN.sum(...items.map(lineTotal))
  if (MathBN.lte(subtotal, 0)) {
    return shares
  }
  let given = MathBN.convert(0)
  items.forEach((item, i) => {
    if (i === items.length - 1) {
      shares[i] = MathBN.sub(discount, given).toFixed()
      return
    }
    const share = MathBN.div(MathBN.mult(discount, lineTotal(item)), subtotal).decimalPlaces(decimals, 1)
    given = MathBN.add(given, share)
    shares[i] = share.toFixed()
  })
  return shares
}

export type ResolvedLine = {
  line_id: string
  variant_id: string | null
}

/** The items of Medusa's createOrderWorkflow for a marketplace order, on variants where matched. */
export function toOrderItems(order: MarketplaceOrder, resolved: ResolvedLine[]) {
  const variants = new Map(resolved.map((r) => [r.line_id, r.variant_id]))
  return order.items.map((item) => {
    const variant_id = variants.get(item.line_id) ?? null
    const title = item.variant_title ? `${item.title} (${item.variant_title})` : item.title
    return {
      ...(variant_id ? { variant_id } : { requires_shipping: false }),
      title,
      subtitle: item.variant_title ?? undefined,
      quantity: item.quantity,
      unit_price: item.unit_price,
      compare_at_unit_price: item.original_unit_price ?? undefined,
      is_tax_inclusive: true,
      metadata: {
        marketplace_line_id: item.line_id,
        external_item_id: item.external_item_id,
        external_model_id: item.external_model_id,
        sku: item.sku,
        unmatched: !variant_id,
      },
    }
  })
}

/**
 * The units of each marketplace line not cancelled on the marketplace (`quantity - cancelled_quantity`), by line id.
 *
 * @example
 * liveQuantities(order).get("4567@12.5") // 1 of 2 units left
 */
export function liveQuantities(order: Pick<MarketplaceOrder, "items">): Map<string, number> {
  return new Map(order.items.map((i) => [i.line_id, i.quantity - Math.min(i.quantity, Math.max(0, i.cancelled_quantity ?? 0))]))
}

/**
 * The order-level discount as one amount per marketplace line, in whole units of the order's currency (lines
 * without a share are left out).
 */
export function discountByLine(order: MarketplaceOrder): { line_id: string; amount: Money }[] {
  const shares = spreadDiscount(order.items, order.discount_total, minorUnitDigits(order.currency_code))
  return order.items
    .map((item, i) => ({ line_id: item.line_id, amount: shares[i] }))
    .filter((s) => MathBN.gt(s.amount, 0))
}

/**
 * Compares Medusa's total with the marketplace's. `medusaTotalBeforeDiscount` is the total Medusa computed
 * when it created the order; the marketplace discount then comes off as tax-inclusive adjustments. A
 * difference of half a cent or more is returned for the order link (recorded, never corrected); Medusa's
 * 20-digit tax-inclusive arithmetic leaves smaller ones.
 */
export function totalMismatch(
  medusaTotalBeforeDiscount: Parameters<typeof MathBN.convert>[0],
  discounts: { amount: Money }[],
  marketplaceTotal: Money
): { medusa_total: Money; marketplace_total: Money; difference: Money } | null {
  const medusaTotal = MathBN.sub(medusaTotalBeforeDiscount, MathBN.sum(0, ...discounts.map((d) => d.amount)))
  const difference = MathBN.sub(medusaTotal, marketplaceTotal)
  if (MathBN.lt(MathBN.abs(difference), "0.005")) {
    return null
  }
  return { medusa_total: medusaTotal.toFixed(), marketplace_total: marketplaceTotal, difference: difference.toFixed() }
}

/** The shipping method of a marketplace order: the marketplace's fee, on the connection's logistics option. */
export function marketplaceShippingMethod(order: MarketplaceOrder, shippingOptionId: string | null) {
  return {
    name: order.shipping.method_name ?? order.shipping.carrier ?? "Marketplace shipping",
    amount: order.shipping.amount as unknown as number,
    is_tax_inclusive: true,
    // The connection's marketplace-logistics option: Medusa's fulfilment flows then work on the order.
    shipping_option_id: shippingOptionId ?? undefined,
    data: { carrier: order.shipping.carrier },
  }
}

/**
 * The sales channel an order goes to: the one the connection gives the order's channel (Tokopedia on TikTok
 * Shop, say) in `settings.channel_sales_channels`, else the connection's own.
 *
 * @example
 * orderSalesChannelId({ channel_sales_channels: { tokopedia: "sc_2" } }, "sc_1", { channel: "tokopedia" }) // "sc_2"
 */
export function orderSalesChannelId(
  settings: Pick<ConnectionSettings, "channel_sales_channels"> | null | undefined,
  connectionSalesChannelId: string | null,
  order: Pick<MarketplaceOrder, "channel">
): string | null {
  return (order.channel && settings?.channel_sales_channels?.[order.channel]) || connectionSalesChannelId
}

/** What a Medusa order keeps of its marketplace order in `metadata`. */
export function marketplaceOrderMetadata(platform: string, connectionId: string, order: MarketplaceOrder) {
  return {
    marketplace_platform: platform,
    marketplace_connection_id: connectionId,
    marketplace_order_id: order.external_id,
    marketplace_buyer_id: order.buyer.external_id,
    marketplace_buyer_username: order.buyer.username,
    marketplace_payment_method: order.payment_method,
    marketplace_note: order.note,
    ...(order.channel ? { marketplace_channel: order.channel } : {}),
  }
}

/**
 * The id of the Medusa order imported under an order link: derived from the link id, so that an import that
 * died after creating the order (a SIGKILL runs no compensation) finds it on the next try instead of making
 * a second one, and two creations of it collide on the order table's primary key.
 *
 * @example
 * marketplaceOrderIdFor("mpord_01JABC") // "order_01JABC"
 */
export function marketplaceOrderIdFor(orderLinkId: string): string {
  return `order_${orderLinkId.slice(orderLinkId.indexOf("_") + 1)}`
}
