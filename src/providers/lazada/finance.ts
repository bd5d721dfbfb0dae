import { addDecimals, chunk, multiplyDecimal } from "../kit"
import type { FeeKind, MarketplaceEscrow } from "../types"
import type { LazadaHttp, LazadaScope } from "./http"
import { LAZADA_LIMITS } from "./limits"
import { countryOf } from "./orders"
import { LAZADA_CURRENCIES } from "./regions"
import { type LazadaTransaction, transactionsAnswerSchema } from "./schemas"

const DAY_MS = 24 * 3600_000
/** QueryTransactionDetails refuses a range of 180 days or more (error 1000012): the provider asks for 179. */
export const TRANSACTION_WINDOW_DAYS = 179
/** "The supported maximum number is 500" (`limit`). */
export const TRANSACTION_PAGE_SIZE = 500

/**
 * How a row's fee name (`fee_name`, else `transaction_type`: "Transaction type or fee name") is read. The docs list
 * no names (the sample says "Payment Fee"); these are the names of Lazada's Seller Center statements. The first
 * matching rule wins. `revenue` and `buyer_shipping` make the buyer total; `adjustment` rows are adjustments;
 * fees are signed as the plugin wants them (what the seller pays positive: Lazada prints charges negative).
 */
const RULES: { kind: FeeKind | "revenue" | "adjustment"; pattern: RegExp }[] = [
  { kind: "adjustment", pattern: /adjust|claim|compensat|reversal|chargeback|penalt/i },
  { kind: "revenue", pattern: /^item price( credit)?$|^orders?[- ]sales$/i },
  { kind: "shipping_paid_by_buyer", pattern: /shipping fee.*(paid by (customer|buyer))/i },
  { kind: "shipping_actual", pattern: /shipping fee( paid by seller)?$|shipping fee \(paid by seller\)/i },
  { kind: "commission", pattern: /commission/i },
  { kind: "transaction", pattern: /payment fee|transaction fee|handling fee/i },
  { kind: "voucher", pattern: /voucher|promotional charge|bundle|flexi ?combo|discount/i },
  { kind: "service", pattern: /service fee|max fee|program(me)? fee|lazcoin|campaign fee|marketing/i },
  { kind: "tax", pattern: /\b(vat|wht|gst|tax)\b/i },
]

/** The name a row goes by. */
export const feeNameOf = (row: LazadaTransaction): string => (row.fee_name || row.transaction_type || "").trim()

/** What a row is: a fee kind, the order's revenue, or an adjustment; an unknown name is `other`. */
export function kindOf(row: LazadaTransaction): FeeKind | "revenue" | "adjustment" {
  const name = feeNameOf(row)
  return RULES.find((r) => r.pattern.test(name))?.kind ?? "other"
}

/** "17 May 2016" (the docs' sample) or an ISO date, read as that day at 00:00 UTC. */
export function transactionDate(text: string | null): Date | null {
  if (!text) return null
  const iso = /^\d{4}-\d{2}-\d{2}/.exec(text.trim())
  const ms = iso ? Date.parse(`${iso[0]}T00:00:00Z`) : Date.parse(`${text.trim()} 00:00:00 UTC`)
  return Number.isNaN(ms) ? null : new Date(ms)
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * One order's escrow from its transaction rows (`rows` not empty). Fees: the rows by kind (`kindOf`), negated
 * (charges are negative on Lazada) except the shipping the buyer paid, which is a contribution as printed.
 * Adjustments: rows of an adjustment type, and rows of an unknown name dated after the order's first transaction
 * day (added after the settlement). `buyer_total`: the item prices plus the shipping the buyer paid, less the
 * seller's vouchers (Lazada's own vouchers are not in the seller's transactions). `net_payout`: the sum of every row.
 */
export function toEscrow(orderId: string, rows: LazadaTransaction[], currency: string): MarketplaceEscrow {
  const days = rows.map((r) => transactionDate(r.transaction_date)?.getTime()).filter((t): t is number => t !== undefined)
  const first = days.length ? Math.min(...days) : null
  const fees = new Map<FeeKind, string[]>()
  const revenue: string[] = []
  const adjustments: MarketplaceEscrow["adjustments"] = []
  for (const row of rows) {
    const at = transactionDate(row.transaction_date)
    let kind = kindOf(row)
    if (kind === "other" && first !== null && at !== null && at.getTime() > first) kind = "adjustment"
    if (kind === "adjustment") {
      adjustments.push({ reason: row.comment?.trim() || feeNameOf(row) || null, amount: row.amount, at })
      continue
    }
    if (kind === "revenue") {
      revenue.push(row.amount)
      continue
    }
    const value = kind === "shipping_paid_by_buyer" ? row.amount : multiplyDecimal(row.amount, -1)
    fees.set(kind, [...(fees.get(kind) ?? []), value])
  }
  const sum = (values: string[] | undefined) => addDecimals("0", ...(values ?? []))
  const sellerVouchers = sum(fees.get("voucher"))
  return {
    external_order_id: orderId,
    currency_code: currency,
    buyer_total: addDecimals(sum(revenue), sum(fees.get("shipping_paid_by_buyer")), multiplyDecimal(sellerVouchers, -1)),
    fees: Object.fromEntries([...fees].map(([kind, values]) => [kind, sum(values)])),
    adjustments,
    net_payout: sum(rows.map((r) => r.amount)),
    // Rows say whether they are paid, not when; GetPayoutStatus dates statements, not orders.
    payout_at: null,
    raw: { order_no: orderId, transactions: rows },
  }
}

/** Every transaction row of one order within the window, `limit` 500 a page. */
async function orderTransactions(http: LazadaHttp, scope: LazadaScope & { kind: "shop" }, orderId: string, nowMs: number): Promise<LazadaTransaction[]> {
  const rows: LazadaTransaction[] = []
  // The days are UTC days; the end is tomorrow so that a row of today in a country ahead of UTC is in range.
  const end = nowMs + DAY_MS
  const params = { trade_order_id: orderId, start_time: isoDay(end - TRANSACTION_WINDOW_DAYS * DAY_MS), end_time: isoDay(end), limit: TRANSACTION_PAGE_SIZE }
  for (let offset = 0; ; offset += TRANSACTION_PAGE_SIZE) {
    const answer = await http.call({
      method: "GET",
      apiPath: "/finance/transaction/details/get",
      scope,
      params: { ...params, offset },
      schema: transactionsAnswerSchema,
      idempotent: true,
    })
    // The filter by order is Lazada's; a row of another order is not this order's money.
    rows.push(...answer.data.filter((r) => r.order_no === orderId))
    if (answer.data.length < TRANSACTION_PAGE_SIZE) return rows
  }
}

/**
 * The escrow of each settled order: QueryTransactionDetails by `trade_order_id` (one order a call, over the last
 * 179 days). An order without transaction rows is not settled yet and is left out.
 */
export async function getEscrows(http: LazadaHttp, scope: LazadaScope & { kind: "shop" }, externalIds: string[], nowMs: number): Promise<MarketplaceEscrow[]> {
  const ids = [...new Set(externalIds.map((id) => id.trim()).filter(Boolean))]
  const country = countryOf(scope.session)
  const currency = (country && LAZADA_CURRENCIES[country]) || ""
  const out: MarketplaceEscrow[] = []
  for (const batch of chunk(ids, LAZADA_LIMITS.escrow_batch)) {
    for (const id of batch) {
      const rows = await orderTransactions(http, scope, id, nowMs)
      if (rows.length) out.push(toEscrow(id, rows, currency))
    }
  }
  return out
}
