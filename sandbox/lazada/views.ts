import { CURRENCY, UTC_OFFSET_HOURS, type Country, type SandboxOrder, type SandboxOrderItem } from "./core"
import type { SandboxReverseLine, SandboxReverseOrder } from "./returns"

/** Payload views: the order and its items as GetOrders / GetOrder / GetMultipleOrderItems print them. */

/** "2018-02-06 11:43:55 +0800": Seller Center's order time format, in the country's offset. */
export function orderTime(seconds: number, country: Country): string {
  const offset = UTC_OFFSET_HOURS[country]
  const local = new Date((seconds + offset * 3600) * 1000).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 19)} +${String(offset).padStart(2, "0")}00`
}

function sum(values: string[]): number {
  return values.reduce((total, v) => total + Number(v), 0)
}

export function orderView(order: SandboxOrder): Record<string, unknown> {
  const price = sum(order.items.map((i) => i.item_price))
  const voucher = Number(order.voucher_seller) + Number(order.voucher_platform)
  return {
    order_id: Number(order.order_id),
    order_number: Number(order.order_id),
    created_at: orderTime(order.created_at, order.country),
    updated_at: orderTime(order.updated_at, order.country),
    price: price.toFixed(2),
    shipping_fee: Number(order.shipping_fee).toFixed(2),
    shipping_fee_original: Number(order.shipping_fee).toFixed(2),
    voucher: voucher.toFixed(2),
    voucher_seller: Number(order.voucher_seller).toFixed(2),
    voucher_platform: Number(order.voucher_platform).toFixed(2),
    voucher_code: "",
    items_count: order.items.length,
    statuses: [...new Set(order.items.map((i) => i.status))],
    customer_first_name: order.customer_first_name,
    customer_last_name: order.customer_last_name,
    payment_method: order.payment_method,
    remarks: "",
    buyer_note: "",
    gift_option: false,
    gift_message: "",
    delivery_info: "",
    national_registration_number: "",
    promised_shipping_times: "",
    extra_attributes: "",
    branch_number: "",
    tax_code: "",
    address_shipping: { ...order.address },
    address_billing: { ...order.address },
  }
}

export function itemView(order: SandboxOrder, item: SandboxOrderItem): Record<string, unknown> {
  return {
    order_item_id: Number(item.order_item_id),
    order_id: Number(order.order_id),
    status: item.status,
    sku: item.sku,
    shop_sku: item.shop_sku,
    sku_id: item.sku_id,
    name: item.name,
    variation: item.variation,
    item_price: item.item_price,
    paid_price: item.paid_price,
    voucher_amount: item.voucher_amount,
    shipping_amount: item.shipping_amount,
    currency: CURRENCY[order.country],
    package_id: item.package_id,
    tracking_code: item.tracking_code,
    tracking_code_pre: "",
    shipment_provider: item.shipment_provider,
    shipping_type: "Dropshipping",
    product_main_image: "",
    product_detail_url: "",
    reason: item.reason,
    reason_detail: "",
    return_status: "",
    buyer_id: Number(item.buyer_id),
    created_at: orderTime(item.created_at, order.country),
    updated_at: orderTime(item.updated_at, order.country),
    is_digital: 0,
    invoice_number: "",
    tax_amount: 0,
    wallet_credits: 0,
    shipping_service_cost: 0,
    need_cancel_confirm: item.need_cancel_confirm,
    // The buyer's cancellation (a reverse order of type CANCEL), when there is one.
    ...(item.reverse_order_id ? { reverse_order_id: Number(item.reverse_order_id) } : {}),
  }
}

/** A reverse line as GetReverseOrdersForSeller (`list`) or GetReverseOrderDetail (`detail`) prints it. */
function reverseLineView(ro: SandboxReverseOrder, line: SandboxReverseLine, item: SandboxOrderItem | undefined, form: "list" | "detail") {
  const product =
    form === "list"
      ? { product: { product_id: Number(item?.shop_sku.split("_")[0] ?? 0), product_sku: item?.sku_id ?? "" }, buyer: { buyer_id: Number(item?.buyer_id ?? 0) } }
      : { productDTO: { product_id: Number(item?.shop_sku.split("_")[0] ?? 0), sku: item?.sku_id ?? "" }, buyer: { user_id: Number(item?.buyer_id ?? 0) } }
  return {
    reverse_order_line_id: Number(line.reverse_order_line_id),
    trade_order_line_id: Number(line.trade_order_line_id),
    reverse_status: line.reverse_status,
    ofc_status: line.ofc_status,
    is_dispute: line.is_dispute,
    is_need_refund: true,
    ...product,
    trade_order_gmt_create: (item?.created_at ?? 0) * 1000,
    refund_amount: line.refund_amount,
    item_unit_price: line.item_unit_price,
    reason_text: line.reason_text,
    reason_code: line.reason_code,
    refund_payment_method: "COD",
    whqc_decision: "",
    return_order_line_gmt_create: line.created_ms,
    return_order_line_gmt_modified: line.modified_ms,
    seller_sku_id: item?.sku ?? "",
    platform_sku_id: item?.shop_sku ?? "",
    tracking_number: line.tracking_number,
    sla: line.modified_ms + 3 * 86400 * 1000,
  }
}

export function reverseOrderView(ro: SandboxReverseOrder, items: Map<string, SandboxOrderItem>, form: "list" | "detail"): Record<string, unknown> {
  const lines = ro.lines.map((l) => reverseLineView(ro, l, items.get(l.trade_order_line_id), form))
  return {
    reverse_order_id: Number(ro.reverse_order_id),
    trade_order_id: Number(ro.trade_order_id),
    request_type: ro.request_type,
    is_rtm: ro.is_rtm,
    shipping_type: ro.shipping_type,
    ...(form === "list" ? { reverse_order_lines: lines } : { reverseOrderLineDTOList: lines }),
  }
}
