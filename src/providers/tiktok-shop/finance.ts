import { addDecimals, chunk, isDecimal, normalizeDecimal } from "../kit"
import type { FeeKind, MarketplaceEscrow, ShopSession } from "../types"
import type { TiktokShopHttp } from "./http"
import { TIKTOK_SHOP_LIMITS } from "./limits"
import {
  orderTransactionsDataSchema,
  statementsDataSchema,
  statementTransactionsDataSchema,
  type TiktokOrderTransactions,
  type TiktokSkuTransaction,
  type TiktokStatementTransaction,
} from "./schemas"

const DAY = 24 * 3600
/** How far back the statement walk for adjustments goes at most (statements are daily). */
export const ADJUSTMENT_LOOKBACK_SECONDS = 90 * DAY
/** Transactions of a statement that are no adjustment. */
const NOT_ADJUSTMENTS = new Set(["ORDER", "RESERVE"])
/**
 * A statement this old is closed under both readings of the docs (closed at 00:00 the next day, or generated then
 * for the past day): its transactions no longer change.
 */
const CLOSED_AFTER_SECONDS = 2 * DAY

/**
 * The adjustment transactions of closed statements, by connection and statement id, so that the statement walk
 * reads a past day once per process. Adjustments only (orders are the bulk of a statement), at most `max`
 * statements, the oldest entry dropped first.
 */
export class ClosedStatementAdjustments {
  private readonly entries = new Map<string, TiktokStatementTransaction[]>()

  constructor(private readonly max = 5000) {}

  get(connectionId: string, statementId: string): TiktokStatementTransaction[] | undefined {
    return this.entries.get(`${connectionId}:${statementId}`)
  }

  set(connectionId: string, statementId: string, adjustments: TiktokStatementTransaction[]): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(`${connectionId}:${statementId}`, adjustments)
  }
}

type Amounts = Record<string, unknown> | null | undefined

/**
 * `fee_tax_breakdown.fee` fields per plugin fee kind ("Get Transactions by Order" 202501). A fee field not
 * listed goes to `other`; `affiliate_commission_amount_before_pit` is the affiliate commission before the
 * creator's income tax, the same money as `affiliate_commission_amount`, so it is left out.
 */
const FEE_FIELDS: [FeeKind, string[]][] = [
  ["commission", ["platform_commission_amount", "referral_fee_amount", "dynamic_commission_amount", "refund_administration_fee_amount"]],
  [
    "affiliate_commission",
    [
      "affiliate_commission_amount",
      "affiliate_partner_commission_amount",
      "affiliate_ads_commission_amount",
      "external_affiliate_marketing_fee_amount",
      "tap_shop_ads_commission",
      "cofunded_creator_bonus_amount",
      "affiliate_commission_deposit",
      "affiliate_commission_release",
    ],
  ],
  ["transaction", ["transaction_fee_amount", "credit_card_handling_fee_amount", "seller_paylater_handling_fee_amount"]],
  [
    "service",
    [
      "sfp_service_fee_amount",
      "live_specials_fee_amount",
      "bonus_cashback_service_fee_amount",
      "mall_service_fee_amount",
      "voucher_xtra_service_fee_amount",
      "flash_sales_service_fee_amount",
      "cofunded_promotion_service_fee_amount",
      "pre_order_service_fee_amount",
      "tsp_commission_amount",
      "dt_handling_fee_amount",
      "fee_per_item_sold_amount",
      "vn_fix_infrastructure_fee",
      "shipping_fee_guarantee_service_fee",
      "installation_service_fee",
      "campaign_resource_fee",
      "epr_pob_service_fee_amount",
    ],
  ],
]
const LISTED_FEES = new Set([...FEE_FIELDS.flatMap(([, fields]) => fields), "affiliate_commission_amount_before_pit"])

/** `shipping_cost_breakdown` fields with a kind of their own; the others (returns, insurance...) are `shipping_other`. */
const SHIPPING_FIELDS = { actual: "actual_shipping_fee_amount", buyer: "customer_paid_shipping_fee_amount", rebate: "shipping_fee_discount_amount" }

/** The decimal amounts of a breakdown object; empty strings (deprecated fields) and nested objects are skipped. */
function amountsOf(amounts: Amounts, fields?: (name: string) => boolean): string[] {
  return Object.entries(amounts ?? {})
    .filter(([name, value]) => (!fields || fields(name)) && (typeof value === "string" || typeof value === "number"))
    .map(([, value]) => String(value).trim())
    .filter((value) => isDecimal(value))
}

const negate = (value: string) => normalizeDecimal(value.startsWith("-") ? value.slice(1) : `-${value}`)

/**
 * The fees by kind, summed over the order's SKU transactions. TikTok prints charges as negative amounts; the
 * plugin wants what the seller pays positive, so fee and tax amounts are negated. Shipping: the carrier's fee
 * (`shipping_actual`, positive when the seller is charged), what the buyer paid and the platform's discount
 * (contributions, as TikTok prints them), and the rest of `shipping_cost_breakdown` as `shipping_other`.
 */
export function feesOf(skus: TiktokSkuTransaction[]): MarketplaceEscrow["fees"] {
  const parts = new Map<FeeKind, string[]>()
  const add = (kind: FeeKind, values: string[]) => {
    if (values.length) parts.set(kind, [...(parts.get(kind) ?? []), ...values])
  }
  for (const sku of skus) {
    const fee = sku.fee_tax_breakdown?.fee
    for (const [kind, fields] of FEE_FIELDS) add(kind, amountsOf(fee, (name) => fields.includes(name)).map(negate))
    add("other", amountsOf(fee, (name) => !LISTED_FEES.has(name)).map(negate))
    add("tax", amountsOf(sku.fee_tax_breakdown?.tax).map(negate))
    const shipping = sku.shipping_cost_breakdown
    add("shipping_actual", amountsOf(shipping, (name) => name === SHIPPING_FIELDS.actual).map(negate))
    add("shipping_paid_by_buyer", amountsOf(shipping, (name) => name === SHIPPING_FIELDS.buyer))
    add("shipping_rebate", amountsOf(shipping, (name) => name === SHIPPING_FIELDS.rebate))
    add("shipping_other", amountsOf(shipping, (name) => !Object.values(SHIPPING_FIELDS).includes(name)).map(negate))
  }
  return Object.fromEntries([...parts].map(([kind, values]) => [kind, addDecimals(...values)]))
}

/** Whether TikTok has settled the order: an unsettled order has no transactions and no settlement amount. */
export function isSettled(data: TiktokOrderTransactions | null | undefined): data is TiktokOrderTransactions {
  return !!data && (data.sku_transactions.length > 0 || data.settlement_amount != null)
}

/**
 * One order's escrow from its transactions and the adjustments found for it. `buyer_total`: the docs give no
 * buyer total here; it is the order's revenue (sales after the seller's discounts) plus the shipping the buyer
 * paid. `net_payout`: TikTok's `settlement_amount` plus the adjustments (signed as they reach the seller).
 */
export function toEscrow(
  orderId: string,
  data: TiktokOrderTransactions,
  adjustments: { transaction: TiktokStatementTransaction; statement_time: number }[]
): MarketplaceEscrow {
  const sum = (pick: (s: TiktokSkuTransaction) => string | null | undefined) =>
    addDecimals("0", ...data.sku_transactions.map(pick).filter((v): v is string => typeof v === "string"))
  const revenue = data.revenue_amount ?? sum((s) => s.revenue_amount)
  const buyerShipping = addDecimals("0", ...data.sku_transactions.flatMap((s) => amountsOf(s.shipping_cost_breakdown, (name) => name === SHIPPING_FIELDS.buyer)))
  const settlement = data.settlement_amount ?? sum((s) => s.settlement_amount)
  const amounts = adjustments.map((a) => a.transaction.adjustment_amount ?? a.transaction.settlement_amount ?? "0")
  return {
    external_order_id: data.order_id ?? orderId,
    currency_code: (data.currency ?? "").toLowerCase(),
    buyer_total: addDecimals(revenue, buyerShipping),
    fees: feesOf(data.sku_transactions),
    adjustments: adjustments.map((a, i) => ({ reason: a.transaction.type, amount: normalizeDecimal(amounts[i]), at: new Date(a.statement_time * 1000) })),
    net_payout: addDecimals(settlement, ...amounts),
    // The transactions name no payout time (Get Payments does, per statement); the core records it when known.
    payout_at: null,
    raw: { ...data, adjustment_transactions: adjustments.map((a) => ({ ...a.transaction, statement_time: a.statement_time })) },
  }
}

async function orderTransactions(http: TiktokShopHttp, session: ShopSession, orderId: string): Promise<TiktokOrderTransactions | null> {
  const data = await http.call({
    method: "GET",
    path: `/finance/202501/orders/${encodeURIComponent(orderId)}/statement_transactions`,
    scope: { kind: "shop", session },
    schema: orderTransactionsDataSchema,
    idempotent: true,
  })
  return isSettled(data) ? data : null
}

/** Every page of a paged finance list. */
async function allPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | null | undefined }>): Promise<T[]> {
  const out: T[] = []
  let token: string | undefined
  do {
    const page = await fetchPage(token)
    out.push(...page.items)
    token = page.next || undefined
  } while (token)
  return out
}

/**
 * The adjustments of the given settled orders: the shop's daily statements from the earliest of the orders'
 * settlement statements on ("Get Statements"), and in each the adjustment transactions whose
 * `adjustment_order_id` is one of the orders ("Get Transactions by Statement"). The walk starts at the day of
 * the earliest order creation (at most 90 days back). Closed statements are read once (`cache`).
 */
async function adjustmentsOf(
  http: TiktokShopHttp,
  session: ShopSession,
  settled: Map<string, TiktokOrderTransactions>,
  nowSeconds: number,
  cache: ClosedStatementAdjustments
): Promise<Map<string, { transaction: TiktokStatementTransaction; statement_time: number }[]>> {
  const found = new Map<string, { transaction: TiktokStatementTransaction; statement_time: number }[]>()
  if (!settled.size) return found
  const created = [...settled.values()].map((d) => d.order_create_time ?? nowSeconds)
  const from = Math.max(Math.floor(Math.min(...created) / DAY) * DAY, nowSeconds - ADJUSTMENT_LOOKBACK_SECONDS)
  const statements = await allPages(async (page_token) => {
    const data = await http.call({
      method: "GET",
      path: "/finance/202309/statements",
      scope: { kind: "shop", session },
      query: { statement_time_ge: from, sort_field: "statement_time", sort_order: "ASC", page_size: 100, page_token },
      schema: statementsDataSchema,
      idempotent: true,
    })
    return { items: data.statements, next: data.next_page_token }
  })
  // Adjustments come in the order's settlement statement or later ones: skip the days before the first of them.
  const settlementStatements = new Set([...settled.values()].flatMap((d) => d.sku_transactions.map((s) => s.statement_id).filter(Boolean)))
  const first = statements.findIndex((s) => settlementStatements.has(s.id))
  for (const statement of statements.slice(Math.max(first, 0))) {
    const closed = statement.statement_time < nowSeconds - CLOSED_AFTER_SECONDS
    let adjustments = closed ? cache.get(session.connection_id, statement.id) : undefined
    if (!adjustments) {
      const transactions = await allPages(async (page_token) => {
        const data = await http.call({
          method: "GET",
          path: `/finance/202501/statements/${encodeURIComponent(statement.id)}/statement_transactions`,
          scope: { kind: "shop", session },
          query: { sort_field: "order_create_time", sort_order: "ASC", page_size: 100, page_token },
          schema: statementTransactionsDataSchema,
          idempotent: true,
        })
        return { items: data.transactions, next: data.next_page_token }
      })
      adjustments = transactions.filter((t) => !NOT_ADJUSTMENTS.has(t.type.toUpperCase()) && !!t.adjustment_order_id)
      if (closed) cache.set(session.connection_id, statement.id, adjustments)
    }
    for (const transaction of adjustments) {
      const orderId = transaction.adjustment_order_id
      if (!orderId || !settled.has(orderId)) continue
      found.set(orderId, [...(found.get(orderId) ?? []), { transaction, statement_time: statement.statement_time }])
    }
  }
  return found
}

/**
 * The escrow of each settled order: "Get Transactions by Order" one order at a time (TikTok has no batch
 * endpoint), then one statement walk per batch for the adjustments. Orders TikTok has not settled are left out.
 */
export async function getEscrows(
  http: TiktokShopHttp,
  session: ShopSession,
  externalIds: string[],
  nowMs: number,
  cache: ClosedStatementAdjustments
): Promise<MarketplaceEscrow[]> {
  const ids = [...new Set(externalIds.map((id) => id.trim()).filter(Boolean))]
  const out: MarketplaceEscrow[] = []
  for (const batch of chunk(ids, TIKTOK_SHOP_LIMITS.escrow_batch)) {
    const settled = new Map<string, TiktokOrderTransactions>()
    for (const id of batch) {
      const data = await orderTransactions(http, session, id)
      if (data) settled.set(id, data)
    }
    const adjustments = await adjustmentsOf(http, session, settled, Math.floor(nowMs / 1000), cache)
    for (const [id, data] of settled) out.push(toEscrow(id, data, adjustments.get(id) ?? []))
  }
  return out
}
