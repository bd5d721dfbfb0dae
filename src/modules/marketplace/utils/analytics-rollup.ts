/**
 * The SQL that keeps the analytics rollup (`marketplace_analytics_day`, `marketplace_analytics_product_day`)
 * equal to its sources: for a set of (shop, UTC day) keys, the keys' rows are deleted and computed again from
 * the order links placed that day, their return links and escrow, and Medusa's order lines. Recomputing a whole
 * day, never adding a difference, is what makes it idempotent: a re-import, a repeated event or two processes
 * refreshing the same day leave the same rows. The refresh step serialises the processes per key (advisory
 * locks) so the last refresh reads after the last source write; the migration fills existing data with it.
 *
 * The statements are plain SQL over a relation `keys (connection_id text, day text)` given as SQL: the step
 * passes `unnest(?::text[], ?::text[])` (its bindings once per `?` pair, see `rollupKeyBindings`), the
 * backfill every (shop, day) that has orders.
 */

// The module link order link <-> Medusa order (src/links/order-link-order.ts): Medusa names its table
// <module>_<alias>_<module>_<alias>.
export const ORDER_LINK_ORDER_TABLE = "marketplace_order_link_order_order"

/** The keys of the step: (connection_id, day) pairs as two text arrays, bound once per statement. */
export const STEP_KEYS = `select k.connection_id, k.day from unnest(?::text[], ?::text[]) as k(connection_id, day)`

/** Every (shop, UTC day) that has orders: the keys of a full rebuild (the backfill). */
export const ALL_KEYS = `select distinct l.connection_id, to_char((l.external_created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day
    from marketplace_order_link l
   where l.deleted_at is null and l.external_created_at is not null`

/** The bindings of one statement built over STEP_KEYS. */
export const rollupKeyBindings = (keys: { connection_id: string; day: string }[]) => [
  keys.map((k) => k.connection_id),
  keys.map((k) => k.day),
]

// The order links of the keys: placed on the key's UTC day (served by the index on
// (connection_id, external_created_at)).
const ordersOf = (keys: string) => `
  select l.id, l.connection_id, k.day, l.currency_code, l.status, l.total, l.escrow_fees, l.escrow_fee_total,
         l.escrow_net_payout, l.escrow_synced_at
    from (${keys}) k
    join marketplace_order_link l
      on l.connection_id = k.connection_id and l.deleted_at is null
     and l.external_created_at >= k.day::date::timestamp at time zone 'UTC'
     and l.external_created_at < (k.day::date + 1)::timestamp at time zone 'UTC'`

const raw = (column: string) => `jsonb_build_object('value', (${column})::text, 'precision', 20)`

/** Removes the keys' rows of both rollup tables (then `insertDays` / `insertProducts` write them again). */
export const deleteRollup = (keys: string): string[] =>
  ["marketplace_analytics_day", "marketplace_analytics_product_day"].map(
    (table) => `delete from ${table} t using (${keys}) k where t.connection_id = k.connection_id and t.day = k.day`
  )

/**
 * The keys' figures per shop, day and currency: orders, cancellations, orders with a return (not cancelled by
 * the buyer) and what was refunded, gross sales of the orders not cancelled, escrow fees (total and by kind)
 * and net payouts of the settled orders.
 */
export const insertDays = (keys: string) => `
  insert into marketplace_analytics_day (id, connection_id, day, currency_code, orders, cancellations, returns,
      gross_sales, raw_gross_sales, refunds, raw_refunds, fee_total, raw_fee_total, net_payout, raw_net_payout,
      settled_orders, fees)
  with o as (${ordersOf(keys)}),
       r as (
         select rl.order_link_id, coalesce(sum(rl.refunded_amount), 0) as refunded
           from marketplace_return_link rl
          where rl.deleted_at is null and rl.status <> 'cancelled' and rl.order_link_id in (select o.id from o)
          group by rl.order_link_id
       ),
       f as (
         select x.connection_id, x.day, x.currency_code, jsonb_object_agg(x.kind, x.amount::text) as fees
           from (
             select o.connection_id, o.day, o.currency_code, e.key as kind, sum(e.value::numeric) as amount
               from o cross join lateral jsonb_each_text(o.escrow_fees) e
              where o.escrow_fees is not null and jsonb_typeof(o.escrow_fees) = 'object'
              group by 1, 2, 3, 4
           ) x
          group by 1, 2, 3
       ),
       g as (
         select o.connection_id, o.day, o.currency_code,
                count(*) as orders,
                count(*) filter (where o.status = 'cancelled') as cancellations,
                count(r.order_link_id) as returns,
                coalesce(sum(o.total) filter (where o.status <> 'cancelled'), 0) as gross_sales,
                coalesce(sum(r.refunded), 0) as refunds,
                coalesce(sum(o.escrow_fee_total), 0) as fee_total,
                coalesce(sum(o.escrow_net_payout), 0) as net_payout,
                count(*) filter (where o.escrow_synced_at is not null) as settled_orders
           from o left join r on r.order_link_id = o.id
          group by 1, 2, 3
       )
  select 'mpaday_' || replace(gen_random_uuid()::text, '-', ''), g.connection_id, g.day, g.currency_code, g.orders,
         g.cancellations, g.returns, g.gross_sales, ${raw("g.gross_sales")}, g.refunds, ${raw("g.refunds")},
         g.fee_total, ${raw("g.fee_total")}, g.net_payout, ${raw("g.net_payout")}, g.settled_orders, f.fees
    from g left join f on f.connection_id = g.connection_id and f.day = g.day and f.currency_code = g.currency_code`

/**
 * The keys' products per shop, day and currency, on the orders not cancelled: Medusa's order lines at the
 * order's current version, units x unit price (the item's own price when it has one, as after a marketplace
 * discount), and the orders that had the product.
 */
export const insertProducts = (keys: string) => `
  insert into marketplace_analytics_product_day (id, connection_id, day, currency_code, product_key, variant_id,
      product_id, sku, title, quantity, raw_quantity, sales, raw_sales, orders)
  with o as (${ordersOf(keys)}),
       per_order as (
         select o.connection_id, o.day, o.currency_code, o.id, coalesce(li.variant_id, li.title) as product_key,
                min(li.variant_id) as variant_id, min(li.product_id) as product_id, min(li.variant_sku) as sku,
                min(li.title) as title, sum(oi.quantity) as quantity,
                sum(oi.quantity * coalesce(oi.unit_price, li.unit_price)) as sales
           from o
           join ${ORDER_LINK_ORDER_TABLE} x on x.order_link_id = o.id and x.deleted_at is null
           join "order" mo on mo.id = x.order_id and mo.deleted_at is null
           join order_item oi on oi.order_id = mo.id and oi.version = mo.version and oi.deleted_at is null
           join order_line_item li on li.id = oi.item_id and li.deleted_at is null
          where o.status <> 'cancelled'
          group by 1, 2, 3, 4, 5
       ),
       p as (
         select connection_id, day, currency_code, product_key, min(variant_id) as variant_id,
                min(product_id) as product_id, min(sku) as sku, min(title) as title, sum(quantity) as quantity,
                sum(sales) as sales, count(*) as orders
           from per_order
          group by 1, 2, 3, 4
       )
  select 'mpapday_' || replace(gen_random_uuid()::text, '-', ''), p.connection_id, p.day, p.currency_code,
         p.product_key, p.variant_id, p.product_id, p.sku, p.title, p.quantity, ${raw("p.quantity")}, p.sales,
         ${raw("p.sales")}, p.orders
    from p`

/**
 * The whole rebuild of the migration: both tables emptied, then every day that has orders. The products need
 * Medusa's order tables and the order link <-> order link table: a fresh install migrates before Medusa syncs
 * the link tables, and then has no orders to count.
 */
export const BACKFILL_SQL = `do $$ begin
  delete from marketplace_analytics_day;
  delete from marketplace_analytics_product_day;
  ${insertDays(ALL_KEYS)};
  if to_regclass('${ORDER_LINK_ORDER_TABLE}') is not null and to_regclass('"order"') is not null
     and to_regclass('order_item') is not null and to_regclass('order_line_item') is not null then
    ${insertProducts(ALL_KEYS)};
  end if;
end $$;`

const REFRESH_CHUNK = 100

/** A (shop, UTC day) of the rollup. */
export type RollupKey = { connection_id: string; day: string }

type Knex = {
  raw: (sql: string, bindings?: unknown[]) => Promise<unknown>
  transaction: <T>(work: (trx: { raw: (sql: string, bindings?: unknown[]) => Promise<unknown> }) => Promise<T>) => Promise<T>
}

/** The UTC day (YYYY-MM-DD) of a marketplace creation time. */
export const rollupDayOf = (at: Date | string) => new Date(at).toISOString().slice(0, 10)

/** Distinct keys, sorted: every process takes the keys' locks in the same order (no deadlock). */
export function distinctRollupKeys(keys: RollupKey[]): RollupKey[] {
  const seen = new Map(keys.map((k) => [`${k.connection_id} ${k.day}`, k]))
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => ({ ...k }))
}

/**
 * Computes the keys' rollup rows again from their sources, in one transaction. Each key's advisory lock is
 * held to the commit, so two processes refreshing one day go one after the other and the second one's
 * statements (each reads a fresh snapshot under READ COMMITTED) see every source write committed before it.
 *
 * @example
 * await refreshAnalyticsRollup(knex, [{ connection_id: "mpcon_123", day: "2026-11-10" }])
 */
export async function refreshAnalyticsRollup(knex: Knex, keys: RollupKey[]): Promise<RollupKey[]> {
  const sorted = distinctRollupKeys(keys)
  // A transaction per 100 keys: a year of many shops must not hold thousands of locks at once (PostgreSQL's
  // lock table is shared and bounded by max_locks_per_transaction).
  for (let i = 0; i < sorted.length; i += REFRESH_CHUNK) {
    const chunk = sorted.slice(i, i + REFRESH_CHUNK)
    const bindings = rollupKeyBindings(chunk)
    await knex.transaction(async (trx) => {
      for (const k of chunk) {
        await trx.raw(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`marketplace-analytics:${k.connection_id}:${k.day}`])
      }
      for (const sql of deleteRollup(STEP_KEYS)) await trx.raw(sql, bindings)
      await trx.raw(insertDays(STEP_KEYS), bindings)
      await trx.raw(insertProducts(STEP_KEYS), bindings)
    })
  }
  return sorted
}
