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

// The module link order link <-> Medusa order (src/links/order-link-order.ts): Medusa names its table
// <module>_<alias>_<module>_<alias>.
const ORDER_LINK_ORDER_TABLE = "marketplace_order_link_order_order"

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
 * The orders of the range: order links whose marketplace creation time falls in [from, to + 1 day), in the
 * chosen shops. Served by the index (connection_id, external_created_at). Referenced once per statement, so
 * PostgreSQL inlines it.
 */
const ORDERS_OF_RANGE = `
  select l.id, l.connection_id, l.currency_code, l.status, l.total, l.escrow_fees, l.escrow_fee_total,
         l.escrow_net_payout, l.escrow_synced_at, (l.external_created_at at time zone 'UTC')::date as day
    from marketplace_order_link l
   where l.deleted_at is null
     and l.connection_id = any(?)
     and l.external_created_at >= ? and l.external_created_at < ?`

/** The three statements of the page (exported for the benchmark, which explains them). */
export function analyticsStatements(range: AnalyticsRange): Record<"figures" | "fees" | "products", [string, unknown[]]> {
  const { from, to, connectionIds, top = 10 } = range
  const start = new Date(`${from}T00:00:00Z`)
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86400_000)
  const bindings = [connectionIds, start, end]
  return {
    // Per shop and day, per shop, per currency in one pass (grouping sets).
    figures: [
      `with o as (${ORDERS_OF_RANGE})
       select o.connection_id, to_char(o.day, 'YYYY-MM-DD') as day, o.currency_code,
              grouping(o.connection_id) as g_connection, grouping(o.day) as g_day,
              count(*) as orders,
              count(*) filter (where o.status = 'cancelled') as cancellations,
              count(r.order_link_id) as returns,
              coalesce(sum(o.total) filter (where o.status <> 'cancelled'), 0) as gross_sales,
              coalesce(sum(r.refunded), 0) as refunds,
              coalesce(sum(o.escrow_fee_total), 0) as fee_total,
              coalesce(sum(o.escrow_net_payout), 0) as net_payout,
              count(*) filter (where o.escrow_synced_at is not null) as settled_orders
         from o
         -- Per order: whether it has a return (one the buyer did not withdraw), and what was refunded (recorded
         -- on the Medusa payment once the provider's returnOutcome says refunded). Few rows: grouped whole.
         left join (
           select rl.order_link_id, coalesce(sum(rl.refunded_amount), 0) as refunded
             from marketplace_return_link rl
            where rl.deleted_at is null and rl.status <> 'cancelled' and rl.connection_id = any(?)
            group by rl.order_link_id
         ) r on r.order_link_id = o.id
        group by grouping sets ((o.connection_id, o.day, o.currency_code), (o.connection_id, o.currency_code), (o.currency_code))`,
      [...bindings, connectionIds],
    ],
    // Fees by kind per shop and day first (one hash pass over the escrow fees), then rolled up.
    fees: [
      `with o as (${ORDERS_OF_RANGE}),
            d as (
              select o.connection_id, o.day, o.currency_code, f.key as kind, sum(f.value::numeric) as amount
                from o cross join lateral jsonb_each_text(o.escrow_fees) f
               where o.escrow_fees is not null and jsonb_typeof(o.escrow_fees) = 'object'
               group by 1, 2, 3, 4
            )
       select d.connection_id, to_char(d.day, 'YYYY-MM-DD') as day, d.currency_code, grouping(d.connection_id) as g_connection,
              grouping(d.day) as g_day, d.kind, sum(d.amount) as amount
         from d
        group by grouping sets ((d.connection_id, d.day, d.currency_code, d.kind), (d.connection_id, d.currency_code, d.kind),
                                (d.currency_code, d.kind))`,
      bindings,
    ],
    // Units per product and order first, then per product: hash aggregates only, no sort of every line.
    products: [
      `with o as (${ORDERS_OF_RANGE}),
            per_order as (
              select coalesce(li.variant_id, li.title) as product_key, o.currency_code, o.id,
                     min(li.variant_id) as variant_id, min(li.product_id) as product_id, min(li.variant_sku) as sku,
                     min(li.title) as title, sum(oi.quantity) as quantity,
                     sum(oi.quantity * coalesce(oi.unit_price, li.unit_price)) as sales
                from o
                join ${ORDER_LINK_ORDER_TABLE} x on x.order_link_id = o.id and x.deleted_at is null
                join "order" mo on mo.id = x.order_id and mo.deleted_at is null
                join order_item oi on oi.order_id = mo.id and oi.version = mo.version and oi.deleted_at is null
                join order_line_item li on li.id = oi.item_id and li.deleted_at is null
               where o.status <> 'cancelled'
               group by 1, 2, 3
            )
       -- A product sold as a variant; an unmatched (custom) line by its title.
       select min(variant_id) as variant_id, min(product_id) as product_id, min(sku) as sku, min(title) as title,
              currency_code, sum(quantity) as quantity, sum(sales) as sales, count(*) as orders
         from per_order
        group by product_key, currency_code
        order by quantity desc, sales desc, title asc
        limit ?`,
      [...bindings, top],
    ],
  }
}

/**
 * The page's figures, computed in the database from the plugin's order, escrow and return records and
 * Medusa's order lines: one grouped query for the figures (per shop and day, per shop, per currency), one for
 * the fees by kind (the same groupings), one for the top products, whatever the volume.
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
