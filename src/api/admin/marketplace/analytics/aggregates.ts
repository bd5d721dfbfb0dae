import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type Knex = {
  raw: (sql: string, bindings: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>
}

const pg = (scope: MedusaContainer) => scope.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
const num = (value: unknown) => Number(value ?? 0)
// Sums of exact decimals come back from PostgreSQL as text; 6 places keep them exact through a JS number.
const money = (value: unknown) => Number(num(value).toFixed(6))
const rate = (part: number, whole: number) => (whole ? Number((part / whole).toFixed(4)) : 0)

/** The shops and days one request covers: UTC days, both ends included. */
export type AnalyticsRange = {
  from: string
  to: string
  /** The shops to read (already narrowed by platform); empty reads nothing. */
  connectionIds: string[]
  /** How many top products. */
  top?: number
}

/** The figures of one shop, one currency or one day. Amounts are in the shop's currency. */
export type AnalyticsFigures = {
  orders: number
  cancellations: number
  cancellation_rate: number
  returns: number
  return_rate: number
  /** What the buyers paid for the orders not cancelled (the marketplace's order total). */
  gross_sales: number
  /** What was refunded on the orders' returns (the return links' refunded_amount). */
  refunds: number
  /** gross_sales / orders not cancelled. */
  average_order_value: number
  /** The fees the seller pays (each order's escrow fee total). */
  fee_total: number
  /** What the marketplace pays out (each settled order's net payout, after adjustments). */
  net_payout: number
  /** Orders whose escrow is known (net payout and fees count only these). */
  settled_orders: number
}

export type AnalyticsDay = AnalyticsFigures & { date: string; fees: Record<string, number> }

export type AnalyticsChannel = {
  connection_id: string
  /** The currency of the shop's orders (null when it has none in the range). */
  currency_code: string | null
  totals: AnalyticsFigures
  /** Fees and contributions by the provider's fee kinds (`vocabulary.fee_kinds`). */
  fees: Record<string, number>
  /** Every day of the range, oldest first, zeros included. */
  series: AnalyticsDay[]
}

export type AnalyticsCurrencyTotals = AnalyticsFigures & { currency_code: string; fees: Record<string, number> }

/** A product (variant) by units sold on the orders not cancelled; sales = units x unit price. */
export type AnalyticsTopProduct = {
  variant_id: string | null
  product_id: string | null
  sku: string | null
  title: string
  currency_code: string
  quantity: number
  sales: number
  orders: number
}

export type AnalyticsResult = {
  channels: AnalyticsChannel[]
  /** The shops summed per currency (shops in different currencies are never added together). */
  totals: AnalyticsCurrencyTotals[]
  top_products: AnalyticsTopProduct[]
}

const EMPTY_ROW: Record<string, unknown> = {}

function figures(row: Record<string, unknown>): AnalyticsFigures {
  const orders = num(row.orders)
  const cancellations = num(row.cancellations)
  const returns = num(row.returns)
  const gross = money(row.gross_sales)
  const kept = orders - cancellations
  return {
    orders,
    cancellations,
    cancellation_rate: rate(cancellations, orders),
    returns,
    return_rate: rate(returns, orders),
    gross_sales: gross,
    refunds: money(row.refunds),
    average_order_value: kept ? money(gross / kept) : 0,
    fee_total: money(row.fee_total),
    net_payout: money(row.net_payout),
    settled_orders: num(row.settled_orders),
  }
}

/** Every UTC day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400_000) {
    days.push(new Date(t).toISOString().slice(0, 10))
  }
  return days
}

/**
 * The three statements of the page (exported for the benchmark, which explains them). They read the analytics
 * rollup (`marketplace_analytics_day`, `marketplace_analytics_product_day`: per shop, UTC day and currency,
 * kept by the import, escrow and return workflows): one row per shop and day of the range, one per product
 * sold that day, whatever the number of orders. Every figure is a sum or a count, so the days add up exactly.
 */
export function analyticsStatements(range: AnalyticsRange): Record<"figures" | "fees" | "products", [string, unknown[]]> {
  const { from, to, connectionIds, top = 10 } = range
  const bindings = [connectionIds, from, to]
  const DAYS = `from marketplace_analytics_day d
   where d.deleted_at is null and d.connection_id = any(?) and d.day >= ? and d.day <= ?`
  return {
    // Per shop and day, per shop, per currency in one pass (grouping sets).
    figures: [
      `select d.connection_id, d.day, d.currency_code,
              grouping(d.connection_id) as g_connection, grouping(d.day) as g_day,
              sum(d.orders) as orders, sum(d.cancellations) as cancellations, sum(d.returns) as returns,
              sum(d.gross_sales) as gross_sales, sum(d.refunds) as refunds, sum(d.fee_total) as fee_total,
              sum(d.net_payout) as net_payout, sum(d.settled_orders) as settled_orders
         ${DAYS}
        group by grouping sets ((d.connection_id, d.day, d.currency_code), (d.connection_id, d.currency_code), (d.currency_code))`,
      bindings,
    ],
    // Fees by kind, the same groupings.
    fees: [
      `select d.connection_id, d.day, d.currency_code, grouping(d.connection_id) as g_connection,
              grouping(d.day) as g_day, f.key as kind, sum(f.value::numeric) as amount
         from marketplace_analytics_day d cross join lateral jsonb_each_text(d.fees) f
        where d.deleted_at is null and d.connection_id = any(?) and d.day >= ? and d.day <= ?
          and d.fees is not null and jsonb_typeof(d.fees) = 'object'
        group by grouping sets ((d.connection_id, d.day, d.currency_code, f.key), (d.connection_id, d.currency_code, f.key),
                                (d.currency_code, f.key))`,
      bindings,
    ],
    // A product sold as a variant; an unmatched (custom) line by its title.
    products: [
      `select min(p.variant_id) as variant_id, min(p.product_id) as product_id, min(p.sku) as sku, min(p.title) as title,
              p.currency_code, sum(p.quantity) as quantity, sum(p.sales) as sales, sum(p.orders) as orders
         from marketplace_analytics_product_day p
        where p.deleted_at is null and p.connection_id = any(?) and p.day >= ? and p.day <= ?
        group by p.product_key, p.currency_code
        order by quantity desc, sales desc, title asc
        limit ?`,
      [...bindings, top],
    ],
  }
}

/**
 * The page's figures, read from the analytics rollup (itself computed in the database from the plugin's order,
 * escrow and return records and Medusa's order lines): one grouped query for the figures (per shop and day,
 * per shop, per currency), one for the fees by kind (the same groupings), one for the top products.
 */
export async function channelAnalytics(scope: MedusaContainer, range: AnalyticsRange): Promise<AnalyticsResult> {
  const { from, to, connectionIds } = range
  if (!connectionIds.length) {
    return { channels: [], totals: [], top_products: [] }
  }
  const statements = analyticsStatements(range)
  const [figureRows, feeRows, productRows] = await Promise.all(
    [statements.figures, statements.fees, statements.products].map(([sql, bindings]) => pg(scope).raw(sql, bindings))
  )

  const days = daysOf(from, to)
  const byChannelDay = new Map<string, Map<string, Record<string, unknown>>>()
  const channelTotals = new Map<string, Record<string, unknown>>()
  const currencyTotals = new Map<string, Record<string, unknown>>()
  for (const row of figureRows.rows) {
    const connectionId = String(row.connection_id)
    if (num(row.g_connection)) {
      currencyTotals.set(String(row.currency_code), row)
    } else if (num(row.g_day)) {
      channelTotals.set(connectionId, row)
    } else {
      const perDay = byChannelDay.get(connectionId) ?? new Map()
      perDay.set(String(row.day), row)
      byChannelDay.set(connectionId, perDay)
    }
  }
  // Fees by kind, keyed "<currency>" (per currency), "<connection>" (per shop) or "<connection> <day>".
  const fees = new Map<string, Record<string, number>>()
  for (const row of feeRows.rows) {
    const key = num(row.g_connection)
      ? String(row.currency_code)
      : num(row.g_day)
        ? String(row.connection_id)
        : `${row.connection_id} ${row.day}`
    const kinds = fees.get(key) ?? {}
    kinds[String(row.kind)] = money(row.amount)
    fees.set(key, kinds)
  }

  return {
    channels: connectionIds.map((connectionId) => ({
      connection_id: connectionId,
      currency_code: channelTotals.has(connectionId) ? String(channelTotals.get(connectionId)!.currency_code) : null,
      totals: figures(channelTotals.get(connectionId) ?? EMPTY_ROW),
      fees: fees.get(connectionId) ?? {},
      series: days.map((date) => ({
        date,
        ...figures(byChannelDay.get(connectionId)?.get(date) ?? EMPTY_ROW),
        fees: fees.get(`${connectionId} ${date}`) ?? {},
      })),
    })),
    totals: [...currencyTotals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency_code, row]) => ({ currency_code, ...figures(row), fees: fees.get(currency_code) ?? {} })),
    top_products: productRows.rows.map((row) => ({
      variant_id: row.variant_id ? String(row.variant_id) : null,
      product_id: row.product_id ? String(row.product_id) : null,
      sku: row.sku ? String(row.sku) : null,
      title: String(row.title ?? ""),
      currency_code: String(row.currency_code),
      quantity: num(row.quantity),
      sales: money(row.sales),
      orders: num(row.orders),
    })),
  }
}
