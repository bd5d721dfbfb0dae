import { currencyDecimals, roundMoney } from "../kit/money"
import type { SandboxOrder, SandboxShop, TiktokStore } from "./core"
import { ADJUSTMENT_TYPES, type AdjustmentType, type SandboxAdjustment, type SandboxStatement } from "./finance-model"

/**
 * The sandbox's settlement of a TikTok Shop order (Finance API), computed from the order, deterministic:
 * - revenue per SKU = the units' original prices (`subtotal_before_discount_amount`) less the seller's discounts;
 * - fees, negative as TikTok prints charges: platform commission 4 %, transaction fee 2 %, Seller Free Shipping
 *   Programme service fee 3 % of the revenue; no tax (`gst_amount` 0);
 * - shipping: the carrier's fee 5 % of the revenue (negative), TikTok's shipping discount 2 % (positive), and
 *   what the buyer paid for shipping on the order's first SKU;
 * - settlement = revenue + shipping costs + fees and taxes.
 * An order is settled once COMPLETED, in the statement of its shop and UTC day of completion; an adjustment goes
 * into the statement of the day it is made. Statements carry the time of 00:00 UTC of their day and are listed
 * at once (TikTok's overview: generated at 00:00, closed at 00:00 the next day).
 */
export const FEE_RATES = { commission: 0.04, transaction: 0.02, sfp_service: 0.03, shipping_actual: 0.05, shipping_discount: 0.02 } as const

export { ADJUSTMENT_TYPES }
export type { AdjustmentType, SandboxAdjustment, SandboxStatement }

const DAY = 24 * 3600

const fixed = (n: number, currency: string) => {
  const r = roundMoney(n, currency)
  return (Object.is(r, -0) ? 0 : r).toFixed(currencyDecimals(currency))
}

/** The statement of the shop's UTC day of `time`, made when first needed. */
export function statementFor(state: TiktokStore, shopId: string, time: number): SandboxStatement {
  const day = Math.floor(time / DAY) * DAY
  const key = `${shopId}:${day}`
  let statement = state.statements.get(key)
  if (!statement) {
    statement = { id: `723880${String(state.nextSeq()).padStart(13, "0")}`, shop_id: shopId, statement_time: day }
    state.statements.set(key, statement)
  }
  return statement
}

export const statementById = (state: TiktokStore, id: string) => [...state.statements.values()].find((s) => s.id === id) ?? null

/** "Get Transactions by Order" for one order: empty (no amounts, no transactions) until the order is settled. */
export function orderTransactionsView(state: TiktokStore, order: SandboxOrder): Record<string, unknown> {
  const head = { order_id: order.id, order_create_time: order.create_time, currency: order.currency }
  if (order.status !== "COMPLETED" || order.settle_time === null) return { ...head, sku_transactions: [], total_count: 0 }
  const statement = statementFor(state, order.shop_id, order.settle_time)
  const c = order.currency
  const bySku = new Map<string, SandboxOrder["units"]>()
  for (const u of order.units) bySku.set(u.sku_id, [...(bySku.get(u.sku_id) ?? []), u])
  let first = true
  const skus = [...bySku.values()].map((units) => {
    const subtotal = units.reduce((n, u) => n + Number(u.original_price), 0)
    const sellerDiscount = -units.reduce((n, u) => n + Number(u.seller_discount), 0)
    const revenue = roundMoney(subtotal + sellerDiscount, c)
    const fees = {
      platform_commission_amount: -roundMoney(revenue * FEE_RATES.commission, c),
      transaction_fee_amount: -roundMoney(revenue * FEE_RATES.transaction, c),
      sfp_service_fee_amount: -roundMoney(revenue * FEE_RATES.sfp_service, c),
      affiliate_commission_amount: 0,
    }
    const shipping = {
      actual_shipping_fee_amount: -roundMoney(revenue * FEE_RATES.shipping_actual, c),
      shipping_fee_discount_amount: roundMoney(revenue * FEE_RATES.shipping_discount, c),
      customer_paid_shipping_fee_amount: first ? Number(order.shipping_fee) : 0,
    }
    first = false
    const feeTax = Object.values(fees).reduce((n, v) => n + v, 0)
    const shippingCost = Object.values(shipping).reduce((n, v) => n + v, 0)
    return {
      sku_id: units[0].sku_id,
      sku_name: units[0].sku_name,
      product_name: units[0].product_name,
      statement_id: statement.id,
      quantity: String(units.length),
      revenue_amount: fixed(revenue, c),
      revenue_breakdown: { subtotal_before_discount_amount: fixed(subtotal, c), seller_discount_amount: fixed(sellerDiscount, c) },
      shipping_cost_amount: fixed(shippingCost, c),
      shipping_cost_breakdown: Object.fromEntries(Object.entries(shipping).map(([k, v]) => [k, fixed(v, c)])),
      fee_tax_amount: fixed(feeTax, c),
      fee_tax_breakdown: { fee: Object.fromEntries(Object.entries(fees).map(([k, v]) => [k, fixed(v, c)])), tax: { gst_amount: fixed(0, c) } },
      settlement_amount: fixed(revenue + shippingCost + feeTax, c),
    }
  })
  const total = (field: "revenue_amount" | "shipping_cost_amount" | "fee_tax_amount" | "settlement_amount") => fixed(skus.reduce((n, s) => n + Number(s[field]), 0), c)
  return {
    ...head,
    revenue_amount: total("revenue_amount"),
    fee_and_tax_amount: total("fee_tax_amount"),
    shipping_cost_amount: total("shipping_cost_amount"),
    settlement_amount: total("settlement_amount"),
    sku_transactions: skus,
    total_count: skus.length,
  }
}

/** An adjustment on a settled order (the platform's, after settlement), in today's statement. */
export function addAdjustment(state: TiktokStore, order: SandboxOrder, input: { amount: string; type: AdjustmentType }): SandboxAdjustment {
  const now = state.nowSec()
  const adjustment: SandboxAdjustment = {
    id: `723880${String(state.nextSeq()).padStart(13, "0")}`,
    shop_id: order.shop_id,
    order_id: order.id,
    type: input.type,
    amount: fixed(Number(input.amount), order.currency),
    create_time: now,
    statement_id: statementFor(state, order.shop_id, now).id,
  }
  state.adjustments.push(adjustment)
  return adjustment
}

/** The statements of a shop with at least one transaction, oldest first. */
export function shopStatements(state: TiktokStore, shop: SandboxShop): SandboxStatement[] {
  return [...state.statements.values()].filter((s) => s.shop_id === shop.id && statementTransactions(state, s).length > 0).sort((a, b) => a.statement_time - b.statement_time)
}

/** The transactions of a statement: its orders (type ORDER) and its adjustments. */
export function statementTransactions(state: TiktokStore, statement: SandboxStatement): (Record<string, unknown> & { order_create_time: number; id: string })[] {
  const orders = [...state.orders.values()]
    .filter((o) => o.shop_id === statement.shop_id && o.status === "COMPLETED" && o.settle_time !== null && Math.floor(o.settle_time / DAY) * DAY === statement.statement_time)
    .map((o) => {
      const view = orderTransactionsView(state, o) as Record<string, string>
      return {
        id: `${o.id}01`,
        type: "ORDER",
        order_id: o.id,
        order_create_time: o.create_time,
        settlement_amount: view.settlement_amount,
        revenue_amount: view.revenue_amount,
        shipping_cost_amount: view.shipping_cost_amount,
        fee_tax_amount: view.fee_and_tax_amount,
        adjustment_amount: fixed(0, o.currency),
      }
    })
  const adjustments = state.adjustments
    .filter((a) => a.statement_id === statement.id)
    .map((a) => ({
      id: `${a.id}02`,
      type: a.type,
      adjustment_id: a.id,
      adjustment_order_id: a.order_id,
      order_create_time: state.orders.get(a.order_id)?.create_time ?? a.create_time,
      adjustment_amount: a.amount,
      settlement_amount: a.amount,
    }))
  return [...orders, ...adjustments]
}

/** A statement as "Get Statements" prints it. */
export function statementView(state: TiktokStore, statement: SandboxStatement, currency: string): Record<string, unknown> {
  const transactions = statementTransactions(state, statement)
  const sum = (field: string) => fixed(transactions.reduce((n, t) => n + Number(t[field] ?? 0), 0), currency)
  return {
    id: statement.id,
    statement_time: statement.statement_time,
    currency,
    settlement_amount: sum("settlement_amount"),
    revenue_amount: sum("revenue_amount"),
    fee_amount: sum("fee_tax_amount"),
    adjustment_amount: sum("adjustment_amount"),
    payment_status: "PROCESSING",
    payment_id: "",
  }
}
