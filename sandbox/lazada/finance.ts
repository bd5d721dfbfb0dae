import { currencyDecimals, roundMoney } from "../kit/money"
import { CURRENCY, type LazadaStore, type SandboxOrder, type SandboxOrderItem } from "./core"
import { ADJUSTMENT_NAMES, type AdjustmentName, type SandboxAdjustment } from "./orders-model"

export { ADJUSTMENT_NAMES }
export type { AdjustmentName, SandboxAdjustment }

/**
 * The sandbox's QueryTransactionDetails rows (`/finance/transaction/details/get`) of an order, computed from the
 * order, deterministic. Each order item (one unit) has rows once delivered, dated the UTC day it was delivered:
 * - "Item Price Credit": the item's price (positive);
 * - "Commission" 4 %, "Payment Fee" 2 %, "Free Shipping Max Fee" 3 % (a service fee), "Shipping Fee Paid by Seller"
 *   5 % of the item price, each negative (charges);
 * - on the order's first item also "Shipping Fee (Paid By Customer)" (the order's shipping fee, positive, 0.00 when
 *   free) and, when the order has a seller voucher, "Promotional Charges Vouchers" (the voucher, negative).
 * Adjustments (control API) are rows of their own after settlement, dated the day they are made, with the reason in
 * `comment` ("Comments by regional finance team"). Statements are weekly, Monday to Sunday (the docs' sample:
 * "11 May 2016 - 17 May 2016"), all "Not paid".
 */
export const FEE_RATES = { commission: 0.04, payment_fee: 0.02, free_shipping_max_fee: 0.03, shipping_fee_paid_by_seller: 0.05 } as const

/** The sandbox's `fee_type` ids per fee name ("Payment Fee" is 13 in the docs' sample; the others are the sandbox's). */
export const FEE_TYPES: Record<string, string> = {
  "Item Price Credit": "1",
  Commission: "3",
  "Payment Fee": "13",
  "Free Shipping Max Fee": "46",
  "Shipping Fee Paid by Seller": "7",
  "Shipping Fee (Paid By Customer)": "8",
  "Promotional Charges Vouchers": "20",
  "Shipping Fee Adjustment": "60",
  "Other Adjustment": "61",
}



export interface SandboxTransaction extends Record<string, string> {
  order_no: string
  orderItem_no: string
  amount: string
  fee_name: string
  transaction_type: string
  fee_type: string
  transaction_date: string
}

const DAY = 24 * 3600
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** "17 May 2016", as the docs' sample writes dates. */
export function dayText(seconds: number): string {
  const d = new Date(seconds * 1000)
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

/** The week (Monday to Sunday) of a day, as `statement` prints it. */
function statementOf(seconds: number): string {
  const day = Math.floor(seconds / DAY)
  // 1970-01-01 was a Thursday: days since the Monday before it.
  const monday = day - ((day + 3) % 7)
  return `${dayText(monday * DAY)} - ${dayText((monday + 6) * DAY)}`
}

/** Whether an order item has been delivered (its rows exist): delivered, or returned after delivery. */
export const isSettledItem = (state: LazadaStore, item: SandboxOrderItem) => state.deliveredAt.has(item.order_item_id)

/** The transaction rows of an order (empty until an item is delivered), adjustments included, oldest first. */
export function orderTransactions(state: LazadaStore, order: SandboxOrder): SandboxTransaction[] {
  const currency = CURRENCY[order.country]
  const digits = currencyDecimals(currency)
  const fixed = (n: number) => {
    const r = roundMoney(n, currency)
    return (Object.is(r, -0) ? 0 : r).toFixed(digits)
  }
  const rows: SandboxTransaction[] = []
  let n = 0
  const row = (item: SandboxOrderItem, feeName: string, amount: number | string, at: number, extra: Record<string, string> = {}): SandboxTransaction => ({
    order_no: order.order_id,
    orderItem_no: item.order_item_id,
    orderItem_status: item.status,
    reference: item.order_item_id,
    amount: typeof amount === "number" ? fixed(amount) : amount,
    VAT_in_amount: fixed(0),
    WHT_amount: fixed(0),
    WHT_included_in_amount: "No",
    fee_type: FEE_TYPES[feeName] ?? "0",
    fee_name: feeName,
    transaction_type: feeName,
    transaction_date: dayText(at),
    transaction_number: `${order.seller_id}-${order.order_id.slice(-8)}${String(++n).padStart(3, "0")}`,
    statement: statementOf(at),
    paid_status: "Not paid",
    seller_sku: item.sku,
    lazada_sku: item.shop_sku,
    shipping_provider: item.shipment_provider,
    shipping_speed: "Standard",
    shipment_type: "Dropshipping",
    payment_ref_id: "",
    details: "",
    comment: "",
    ...extra,
  })
  const first = order.items[0]
  for (const item of order.items) {
    const at = state.deliveredAt.get(item.order_item_id)
    if (at === undefined) continue
    const price = Number(item.item_price)
    rows.push(
      row(item, "Item Price Credit", item.item_price, at),
      row(item, "Commission", -price * FEE_RATES.commission, at),
      row(item, "Payment Fee", -price * FEE_RATES.payment_fee, at),
      row(item, "Free Shipping Max Fee", -price * FEE_RATES.free_shipping_max_fee, at),
      row(item, "Shipping Fee Paid by Seller", -price * FEE_RATES.shipping_fee_paid_by_seller, at)
    )
    if (item === first) {
      rows.push(row(item, "Shipping Fee (Paid By Customer)", Number(order.shipping_fee), at))
      if (Number(order.voucher_seller) > 0) rows.push(row(item, "Promotional Charges Vouchers", -Number(order.voucher_seller), at))
    }
  }
  for (const a of state.adjustments.filter((x) => x.order_id === order.order_id)) {
    const item = order.items.find((i) => i.order_item_id === a.order_item_id) ?? first
    rows.push(row(item, a.fee_name, a.amount, a.created_at, { comment: a.comment, details: a.comment }))
  }
  return rows
}

/** An adjustment row after settlement (the order must have rows already), dated now. */
export function addAdjustment(state: LazadaStore, order: SandboxOrder, input: { amount: string; comment: string; fee_name?: AdjustmentName }): SandboxAdjustment {
  const settled = order.items.find((i) => state.deliveredAt.has(i.order_item_id))
  if (!settled) throw new Error(`Order ${order.order_id} is not settled yet (no item delivered)`)
  const currency = CURRENCY[order.country]
  const amount = roundMoney(Number(input.amount), currency)
  const adjustment: SandboxAdjustment = {
    order_id: order.order_id,
    order_item_id: settled.order_item_id,
    fee_name: input.fee_name ?? (/shipping|logistic/i.test(input.comment) ? "Shipping Fee Adjustment" : "Other Adjustment"),
    amount: (Object.is(amount, -0) ? 0 : amount).toFixed(currencyDecimals(currency)),
    comment: input.comment,
    created_at: state.nowSec(),
    seq: state.nextSeq(),
  }
  state.adjustments.push(adjustment)
  return adjustment
}
