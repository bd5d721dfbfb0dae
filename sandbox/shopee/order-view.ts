import { roundMoney, sumMoney } from "../kit/money"
import type { SandboxOrder } from "./types"

/**
 * What the buyer paid: items after discounts + shipping the buyer bore - vouchers - coins,
 * as "total_amount" is documented in v2.order.get_order_detail.
 */
export function orderTotalAmount(order: SandboxOrder): number {
  const c = order.currency
  const items = sumMoney(
    order.lines.map((l) => l.discounted_price * l.quantity),
    c
  )
  return roundMoney(
    items + order.buyer_paid_shipping_fee - order.voucher_from_seller - order.voucher_from_shopee - order.coins,
    c
  )
}

/** Values accepted in `response_optional_fields` of v2.order.get_order_detail. */
export const ORDER_OPTIONAL_FIELDS = new Set([
  "buyer_user_id",
  "buyer_username",
  "estimated_shipping_fee",
  "recipient_address",
  "actual_shipping_fee",
  "goods_to_declare",
  "note",
  "note_update_time",
  "item_list",
  "pay_time",
  "dropshipper",
  "dropshipper_phone",
  "split_up",
  "buyer_cancel_reason",
  "cancel_by",
  "cancel_reason",
  "actual_shipping_fee_confirmed",
  "buyer_cpf_id",
  "fulfillment_flag",
  "pickup_done_time",
  "package_list",
  "shipping_carrier",
  "payment_method",
  "total_amount",
  "invoice_data",
  "order_chargeable_weight_gram",
  "return_request_due_date",
])

function optionalField(order: SandboxOrder, field: string): unknown {
  switch (field) {
    case "buyer_user_id":
      return order.buyer_user_id
    case "buyer_username":
      return order.buyer_username
    case "estimated_shipping_fee":
      return order.estimated_shipping_fee
    case "recipient_address":
      return { ...order.recipient_address }
    case "actual_shipping_fee":
      return order.actual_shipping_fee
    case "goods_to_declare":
      return false
    case "note":
      return order.note
    case "note_update_time":
      return order.note_update_time
    case "item_list":
      return order.lines.map((line) => ({
        item_id: line.item_id,
        item_name: line.item_name,
        item_sku: line.item_sku,
        model_id: line.model_id,
        model_name: line.model_name,
        model_sku: line.model_sku,
        model_quantity_purchased: line.quantity,
        model_original_price: line.original_price,
        model_discounted_price: line.discounted_price,
        wholesale: false,
        weight: line.weight,
        add_on_deal: false,
        main_item: false,
        add_on_deal_id: 0,
        promotion_type: "",
        promotion_id: 0,
        order_item_id: line.item_id,
        promotion_group_id: 0,
        image_info: { image_url: "" },
        product_location_id: [],
        is_prescription_item: false,
        is_b2c_owned_item: false,
      }))
    case "pay_time":
      // Docs: "NULL when order is not paid yet"; the key is left out (undefined) in that case.
      return order.pay_time
    case "dropshipper":
    case "dropshipper_phone":
    case "buyer_cpf_id":
    case "invoice_data":
      return null
    case "split_up":
      return false
    case "buyer_cancel_reason":
      return order.buyer_cancel_reason
    case "cancel_by":
      return order.cancel_by
    case "cancel_reason":
      return order.cancel_reason
    case "actual_shipping_fee_confirmed":
      return ["SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"].includes(order.order_status)
    case "fulfillment_flag":
      return "fulfilled_by_local_seller"
    case "pickup_done_time":
      return order.pickup_done_time ?? 0
    case "package_list":
      return [
        {
          package_number: order.package_number,
          logistics_status: order.logistics_status,
          logistics_channel_id: order.logistics_channel_id,
          shipping_carrier: order.shipping_carrier,
          allow_self_design_awb: false,
          item_list: order.lines.map((line) => ({
            item_id: line.item_id,
            model_id: line.model_id,
            model_quantity: line.quantity,
            order_item_id: line.item_id,
            promotion_group_id: 0,
            product_location_id: "",
          })),
          parcel_chargeable_weight_gram: Math.round(
            order.lines.reduce((w, l) => w + l.weight * l.quantity, 0) * 1000
          ),
        },
      ]
    case "shipping_carrier":
      return order.shipping_carrier
    case "payment_method":
      return order.payment_method
    case "total_amount":
      return orderTotalAmount(order)
    case "order_chargeable_weight_gram":
      return Math.round(order.lines.reduce((w, l) => w + l.weight * l.quantity, 0) * 1000)
    case "return_request_due_date":
      return order.order_status === "COMPLETED" ? order.update_time + 7 * 86400 : 0
    default:
      return undefined
  }
}

/** One entry of get_order_detail's `order_list`: default fields plus the requested optional ones. */
export function orderDetailView(order: SandboxOrder, optional: Set<string>): Record<string, unknown> {
  const view: Record<string, unknown> = {
    order_sn: order.order_sn,
    region: order.region,
    currency: order.currency,
    cod: order.cod,
    order_status: order.order_status,
    message_to_seller: order.message_to_seller,
    create_time: order.create_time,
    update_time: order.update_time,
    days_to_ship: order.days_to_ship,
    ship_by_date: order.ship_by_date,
    reverse_shipping_fee: 0,
  }
  for (const field of optional) {
    if (!ORDER_OPTIONAL_FIELDS.has(field)) {
      continue
    }
    const value = optionalField(order, field)
    if (value !== undefined) {
      view[field] = value
    }
  }
  return view
}
