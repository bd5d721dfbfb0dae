import { defaultPackageStatus, type SandboxOrder, type SandboxPackage, type SandboxProduct, type SandboxShop, type TiktokOrderStatus } from "./core"
import type { SandboxReturn } from "./returns"

// Amounts are kept to 4 decimals so float sums never print as 79.89999999.
const sum = (values: string[]) => String(Number(values.reduce((total, v) => total + Number(v), 0).toFixed(4)))

/** A line's `display_status` from its package's status: the order status that package alone would give. */
function lineDisplayStatus(order: SandboxOrder, pkg: SandboxPackage): TiktokOrderStatus {
  if (order.status === "CANCELLED") return "CANCELLED"
  switch (pkg.status) {
    case "PROCESSING":
      return "AWAITING_COLLECTION"
    case "FULFILLING":
      return "IN_TRANSIT"
    case "COMPLETED":
      return order.status === "COMPLETED" ? "COMPLETED" : "DELIVERED"
    case "CANCELLED":
      return "CANCELLED"
    default:
      return "AWAITING_SHIPMENT"
  }
}

/**
 * An order as `GET /order/202507/orders` prints it: one line item per unit, amounts as strings. Each line carries
 * its package's id, status (`package_status`, `display_status`), tracking number and carrier: its own package's
 * for a split or combined order (`packages`: the sandbox's packages with a state of their own), the order's
 * otherwise.
 */
export function orderView(order: SandboxOrder, packages: ReadonlyMap<string, SandboxPackage>): Record<string, unknown> {
  const units = order.units
  const own = order.package_ids.map((id) => packages.get(id)).find((p) => !!p)
  const lineState = (packageId: string) => {
    const pkg = packages.get(packageId)
    if (!pkg) return { display_status: order.status, package_status: defaultPackageStatus(order), tracking_number: order.tracking_number }
    return { display_status: lineDisplayStatus(order, pkg), package_status: pkg.status, tracking_number: pkg.tracking_number }
  }
  const original = sum(units.map((u) => u.original_price))
  const sellerDiscount = sum(units.map((u) => u.seller_discount))
  const platformDiscount = sum(units.map((u) => u.platform_discount))
  const subTotal = sum(units.map((u) => u.sale_price))
  return {
    id: order.id,
    status: order.status,
    create_time: order.create_time,
    update_time: order.update_time,
    ...(order.paid_time !== null ? { paid_time: order.paid_time } : {}),
    user_id: order.user_id,
    buyer_email: order.buyer_email,
    buyer_message: order.buyer_message,
    commerce_platform: order.commerce_platform,
    is_on_hold_order: order.status === "ON_HOLD",
    is_buyer_request_cancel: order.cancellation?.status === "CANCELLATION_REQUEST_PENDING",
    ...(order.cancellation ? { request_cancel_time: order.cancellation.create_time, cancellation_initiator: order.cancellation.role } : {}),
    ...(order.status === "CANCELLED" && order.cancellation ? { cancel_reason: order.cancellation.cancel_reason_text } : {}),
    shipping_type: order.shipping_type,
    shipping_provider: order.shipping_provider_name,
    shipping_provider_id: order.shipping_provider_id,
    delivery_option_id: DELIVERY_OPTION_ID,
    delivery_option_name: "Standard shipping",
    payment_method_name: "Bank transfer",
    ...(order.tracking_number ? { tracking_number: order.tracking_number } : {}),
    payment: {
      currency: order.currency,
      original_total_product_price: original,
      seller_discount: sellerDiscount,
      platform_discount: platformDiscount,
      sub_total: subTotal,
      original_shipping_fee: order.original_shipping_fee,
      shipping_fee: order.shipping_fee,
      shipping_fee_seller_discount: "0",
      shipping_fee_platform_discount: "0",
      tax: "0",
      total_amount: sum([subTotal, order.shipping_fee]),
    },
    recipient_address: {
      name: order.recipient.name,
      phone_number: order.recipient.phone,
      address_line1: order.recipient.line1,
      postal_code: order.recipient.postal_code,
      region_code: order.recipient.region_code,
      full_address: `${order.recipient.line1}, ${order.recipient.city}, ${order.recipient.province}, ${order.recipient.postal_code}`,
      district_info: [
        { address_level_name: "Province", address_name: order.recipient.province, address_level: "L1" },
        { address_level_name: "City", address_name: order.recipient.city, address_level: "L2" },
      ],
    },
    packages: order.package_ids.map((id) => ({ id })),
    // "COMBINED" / "SPLIT" as the order detail spells them (the package detail says COMBINE / SPLIT).
    ...(own ? { split_or_combine_tag: own.tag === "COMBINE" ? "COMBINED" : "SPLIT" } : {}),
    line_items: units.map((u) => {
      const state = lineState(u.package_id)
      return {
      id: u.id,
      product_id: u.product_id,
      sku_id: u.sku_id,
      seller_sku: u.seller_sku,
      product_name: u.product_name,
      sku_name: u.sku_name,
      original_price: u.original_price,
      sale_price: u.sale_price,
      seller_discount: u.seller_discount,
      platform_discount: u.platform_discount,
      currency: order.currency,
      package_id: u.package_id,
      display_status: state.display_status,
      package_status: state.package_status,
      shipping_provider_name: order.shipping_provider_name,
      shipping_provider_id: order.shipping_provider_id,
      ...(state.tracking_number ? { tracking_number: state.tracking_number } : {}),
      }
    }),
  }
}

const DELIVERY_OPTION_ID = "7091146663229654785"

/**
 * A package as "Get Package Detail" (fulfillment 202309) prints it: every order with units in it (several for a
 * combined package), its own status, tracking number and handover when split or combined (`pkg`), else the
 * order's (the one package TikTok made at payment holds the whole order).
 */
export function packageView(orders: SandboxOrder[], packageId: string, pkg: SandboxPackage | undefined): Record<string, unknown> {
  const first = orders[0]
  const units = orders.flatMap((o) => o.units.filter((u) => u.package_id === packageId))
  const skusOf = (order: SandboxOrder) => {
    const skus = new Map<string, { id: string; name: string; quantity: number }>()
    for (const u of order.units.filter((unit) => unit.package_id === packageId)) {
      const sku = skus.get(u.sku_id) ?? { id: u.sku_id, name: u.sku_name, quantity: 0 }
      sku.quantity += 1
      skus.set(u.sku_id, sku)
    }
    return [...skus.values()]
  }
  const tracking = pkg ? pkg.tracking_number : first.tracking_number
  const handover = pkg ? pkg.handover_method : first.handover_method
  return {
    package_id: packageId,
    orders: orders.map((o) => ({ id: o.id, skus: skusOf(o) })),
    package_status: pkg ? pkg.status : defaultPackageStatus(first),
    split_and_combine_tag: pkg?.tag ?? "DEFAULT",
    has_multi_skus: new Set(units.map((u) => u.sku_id)).size > 1,
    note_tag: orders.some((o) => o.buyer_message) ? "BUYER_NOTED" : "BUYER_UNNOTED",
    shipping_provider_name: first.shipping_provider_name,
    shipping_provider_id: first.shipping_provider_id,
    shipping_type: first.shipping_type,
    delivery_option_name: "Standard shipping",
    delivery_option_id: DELIVERY_OPTION_ID,
    ...(tracking ? { tracking_number: tracking } : {}),
    ...(handover ? { handover_method: handover } : {}),
    order_line_item_ids: units.map((u) => u.id),
    create_time: pkg?.create_time ?? first.paid_time ?? first.create_time,
    update_time: pkg?.update_time ?? first.update_time,
  }
}

export function shopView(shop: SandboxShop): Record<string, unknown> {
  return { id: shop.id, name: shop.name, region: shop.region, seller_type: "LOCAL", cipher: shop.cipher, code: shop.code }
}

export function productView(product: SandboxProduct, currency: string): Record<string, unknown> {
  return {
    id: product.id,
    title: product.title,
    status: product.status,
    skus: product.skus.map((s) => ({
      id: s.id,
      seller_sku: s.seller_sku,
      price: { currency, tax_exclusive_price: s.price, sale_price: s.price },
      inventory: s.inventory.map((i) => ({ warehouse_id: i.warehouse_id, quantity: i.quantity })),
    })),
  }
}

/** What the buyer paid for the returned units: their sale prices (no shipping back on a partial return). */
export function returnRefund(ret: SandboxReturn, order: SandboxOrder): string {
  return sum(ret.unit_ids.map((id) => order.units.find((u) => u.id === id)?.sale_price ?? "0"))
}

const money = (currency: string, total: string) => ({
  currency,
  refund_total: total,
  refund_subtotal: total,
  refund_shipping_fee: "0",
  refund_tax: "0",
})

const NEXT_ACTION: Partial<Record<SandboxReturn["status"], string>> = {
  RETURN_OR_REFUND_REQUEST_PENDING: "SELLER_RESPOND_RETURN",
  BUYER_SHIPPED_ITEM: "SELLER_RESPOND_RECEIVE_PACKAGE",
  REPLACEMENT_REQUEST_PENDING: "SELLER_RESPOND_REPLACEMENT",
}

/** A return as "Search Returns" prints it: one return line item per unit, amounts as strings. */
export function returnView(ret: SandboxReturn, order: SandboxOrder): Record<string, unknown> {
  const action = ret.status === "RETURN_OR_REFUND_REQUEST_PENDING" && ret.return_type === "REFUND" ? "SELLER_RESPOND_REFUND" : NEXT_ACTION[ret.status]
  return {
    order_id: ret.order_id,
    return_id: ret.id,
    return_type: ret.return_type,
    return_status: ret.status,
    ...(ret.arbitration_status ? { arbitration_status: ret.arbitration_status } : {}),
    role: ret.role,
    return_reason: ret.return_reason,
    return_reason_text: ret.return_reason_text,
    can_buyer_keep_item: ret.return_type === "REFUND",
    create_time: ret.create_time,
    update_time: ret.update_time,
    seller_next_action_response: action ? [{ action, deadline: ret.update_time + 2 * 86400 }] : [],
    return_line_items: ret.unit_ids.map((unitId, i) => {
      const unit = order.units.find((u) => u.id === unitId)
      return {
        return_line_item_id: ret.line_ids[i],
        order_line_item_id: unitId,
        sku_id: unit?.sku_id,
        sku_name: unit?.sku_name,
        product_name: unit?.product_name,
        seller_sku: unit?.seller_sku,
        refund_amount: money(order.currency, unit?.sale_price ?? "0"),
      }
    }),
    refund_amount: money(order.currency, returnRefund(ret, order)),
  }
}

/** An order's cancellation as "Search Cancellations" prints it: the units it cancels and what the buyer gets back. */
export function cancellationView(order: SandboxOrder): Record<string, unknown> {
  const c = order.cancellation as NonNullable<SandboxOrder["cancellation"]>
  const total = sum([...order.units.map((u) => u.sale_price), order.shipping_fee])
  return {
    cancel_id: c.id,
    order_id: order.id,
    cancel_type: c.cancel_type,
    cancel_status: c.status,
    role: c.role,
    cancel_reason: c.cancel_reason,
    cancel_reason_text: c.cancel_reason_text,
    create_time: c.create_time,
    update_time: c.update_time,
    seller_next_action_response: c.status === "CANCELLATION_REQUEST_PENDING" ? [{ action: "SELLER_RESPOND_CANCEL", deadline: c.update_time + 2 * 86400 }] : [],
    refund_amount: { ...money(order.currency, total), refund_subtotal: sum(order.units.map((u) => u.sale_price)), refund_shipping_fee: order.shipping_fee },
    cancel_line_items: order.units.map((u, i) => ({
      cancel_line_item_id: `${c.id.slice(0, -3)}${String(i).padStart(3, "0")}`,
      order_line_item_id: u.id,
      sku_id: u.sku_id,
      sku_name: u.sku_name,
      product_name: u.product_name,
      seller_sku: u.seller_sku,
      refund_amount: money(order.currency, u.sale_price),
    })),
  }
}
