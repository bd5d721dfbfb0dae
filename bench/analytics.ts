/**
 * bench:analytics — the Marketplace analytics page's queries on a year of orders.
 *
 *   npm run bench:analytics                    # 100,000 orders over 3 shops and 365 days
 *   npm run bench:analytics -- --orders 20000
 *
 * Boots the app (fresh database), creates one real Medusa order (createOrderWorkflow, 5 lines) as a template,
 * then writes N orders directly in SQL (set-based INSERT ... SELECT over generate_series, not through
 * workflows): Medusa's `order`, `order_line_item` (1-3 lines of 5 products) and `order_item` rows cloned from
 * the template, the plugin's order links (marketplace creation times spread over the last 365 days, 3 shops,
 * 5% cancelled, 60% completed with escrow fees by kind), the order link <-> order module links, and returns on
 * 3% of the orders. Rows written in SQL bypass the workflows that keep the analytics rollup, so it then fills
 * the rollup as the migration does for an existing install (BACKFILL_SQL, timed). Then it runs the page's
 * queries (`channelAnalytics`: figures, fees by kind, top products) for 90-day ranges (every shop, and one
 * shop at a time), and times the computation of one marked shop's day (`refreshAnalyticsRollup`, what the
 * every-minute job and a read of the page do once per day marked by imports; 30 days picked across the year).
 *
 * Closing line: `bench:analytics orders=.. p95_ms=.. p50_ms=.. queries=.. orders_per_90_days=.. backfill_s=..
 * refresh_p50_ms=.. refresh_p95_ms=..`. Target: p95 <= 300 ms.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { analyticsStatements, channelAnalytics } from "../src/api/admin/marketplace/analytics/aggregates"
import { BACKFILL_SQL, refreshAnalyticsRollup } from "../src/modules/marketplace/utils/analytics-rollup"
import { seedStore } from "../integration-tests/helpers/store"

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000)
const SHOPS = 3
const RUNS_PER_RANGE = Number(process.env.BENCH_RUNS ?? 3)
const SKUS = ["BENCH-A", "BENCH-B", "BENCH-C", "BENCH-D", "BENCH-E"]

jest.setTimeout(60 * 60_000)

type Knex = { raw: (sql: string, bindings?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }
type RollupKnex = Parameters<typeof refreshAnalyticsRollup>[0]

/** The columns of `table` that take no sequence default, in order: what a clone must copy or override. */
async function columnsOf(db: Knex, table: string): Promise<string[]> {
  const { rows } = await db.raw(
    `select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = ? and coalesce(column_default, '') not like 'nextval%'
      order by ordinal_position`,
    [table]
  )
  return rows.map((r) => String(r.column_name))
}

/** `insert into table (cols) select <override or t.col>... from <from>`: clones template rows with new values. */
async function cloneInsert(db: Knex, table: string, overrides: Record<string, string>, from: string) {
  const cols = await columnsOf(db, table)
  const exprs = cols.map((c) => overrides[c] ?? `t."${c}"`)
  await db.raw(`insert into "${table}" (${cols.map((c) => `"${c}"`).join(", ")}) select ${exprs.join(", ")} from ${from}`)
}

async function generate(container: MedusaContainer, connectionIds: string[], templateOrderId: string) {
  const db = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  const now = Date.now()
  await db.raw(`create unlogged table bench_g as select g, ('bench' || lpad(g::text, 7, '0')) as k from generate_series(1, ${ORDERS}) g`)

  // Medusa's orders: the template's row, new ids.
  await cloneInsert(
    db,
    "order",
    { id: `'order_' || g.k`, created_at: `to_timestamp(${now / 1000} - g.g * ${(365 * 86400) / ORDERS})`, updated_at: "now()" },
    `bench_g g cross join "order" t where t.id = '${templateOrderId}'`
  )
  // 1-3 of the template's 5 lines per order, starting at a different product each time.
  await db.raw(
    `create unlogged table bench_lines as
       select g.k, g.g, li.id as template_line, oi.id as template_item, row_number() over (partition by g.g order by li.variant_sku) as n
         from bench_g g
         cross join order_item oi join order_line_item li on li.id = oi.item_id
        where oi.order_id = ?
          and ((ascii(right(li.variant_sku, 1)) - 65 - g.g % 5 + 5) % 5) < 1 + g.g % 3`,
    [templateOrderId]
  )
  await cloneInsert(
    db,
    "order_line_item",
    { id: `'ordli_' || b.k || '_' || b.n` },
    `bench_lines b join order_line_item t on t.id = b.template_line`
  )
  await cloneInsert(
    db,
    "order_item",
    { id: `'orditem_' || b.k || '_' || b.n`, order_id: `'order_' || b.k`, item_id: `'ordli_' || b.k || '_' || b.n` },
    `bench_lines b join order_item t on t.id = b.template_item`
  )

  // The plugin's order links: shop g % 3; 5% cancelled; 60% completed, settled with fees by kind.
  await db.raw(
    `insert into marketplace_order_link (id, external_order_id, external_status, status, external_updated_at,
        external_created_at, currency_code, total, raw_total, escrow_buyer_total, escrow_fees, escrow_fee_total,
        escrow_net_payout, escrow_currency_code, escrow_synced_at, connection_id)
     select 'mpord_' || g.k, g.k, s.status, s.status, c.at, c.at, 'sgd', s.total,
            jsonb_build_object('value', s.total::text, 'precision', 20),
            case when s.settled then s.total end,
            case when s.settled then jsonb_build_object('commission', round(s.total * 0.06, 2)::text,
                                                        'service', round(s.total * 0.03, 2)::text,
                                                        'transaction', round(s.total * 0.02, 2)::text,
                                                        'shipping_actual', '3.49', 'shipping_rebate', '3.49') end,
            case when s.settled then round(s.total * 0.11, 2) end,
            case when s.settled then s.total - round(s.total * 0.11, 2) end,
            case when s.settled then 'sgd' end,
            case when s.settled then c.at + interval '10 days' end,
            (?::text[])[1 + g.g % ${SHOPS}]
       from bench_g g
       cross join lateral (select to_timestamp(${now / 1000} - g.g * ${(365 * 86400) / ORDERS}) as at) c
       cross join lateral (
         select case when g.g % 20 = 0 then 'cancelled' when g.g % 5 < 3 then 'completed' else 'shipped' end as status,
                (10 + (g.g % 90))::numeric + 0.9 as total,
                g.g % 20 <> 0 and g.g % 5 < 3 as settled
       ) s`,
    [connectionIds]
  )
  const linkTable = "marketplace_order_link_order_order"
  const linkCols = await columnsOf(db, linkTable)
  const extra = linkCols.includes("created_at") ? ", created_at, updated_at" : ""
  await db.raw(
    `insert into ${linkTable} (id, order_link_id, order_id${extra})
     select 'mpordlink_' || g.k, 'mpord_' || g.k, 'order_' || g.k${extra ? ", now(), now()" : ""} from bench_g g`
  )
  // Returns on 3% of the orders (not cancelled), refunded.
  await db.raw(
    `insert into marketplace_return_link (id, external_return_id, external_order_id, external_status, status,
        external_updated_at, currency_code, refund_amount, raw_refund_amount, refunded_amount, raw_refunded_amount,
        connection_id, order_link_id)
     select 'mpret_' || g.k, 'R' || g.k, g.k, 'closed', 'closed', now(), 'sgd', 10, '{"value":"10","precision":20}',
            10, '{"value":"10","precision":20}', (?::text[])[1 + g.g % ${SHOPS}], 'mpord_' || g.k
       from bench_g g where g.g % 33 = 1`,
    [connectionIds]
  )
  await db.raw(`drop table bench_lines`)
  await db.raw(`drop table bench_g`)
  await db.raw(
    `analyze "order"; analyze order_item; analyze order_line_item; analyze marketplace_order_link;
     analyze marketplace_return_link; analyze ${linkTable}`
  )
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The page's queries for 90-day ranges ending 0, 45, ..., 270 days ago: every shop, then each shop. */
async function measure(container: MedusaContainer, connectionIds: string[]) {
  const day = (offset: number) => new Date(Date.now() - offset * 86400_000).toISOString().slice(0, 10)
  const ranges = [0, 45, 90, 135, 180, 225, 270].map((end) => ({ from: day(end + 89), to: day(end) }))
  const selections = [connectionIds, ...connectionIds.map((id) => [id])]
  // Warm-up: one of each shape, not counted.
  for (const ids of selections) await channelAnalytics(container, { ...ranges[0], connectionIds: ids })
  const times: number[] = []
  let orders = 0
  for (let run = 0; run < RUNS_PER_RANGE; run++) {
    for (const range of ranges) {
      for (const ids of selections) {
        const t0 = process.hrtime.bigint()
        const result = await channelAnalytics(container, { ...range, connectionIds: ids })
        times.push(Number(process.hrtime.bigint() - t0) / 1e6)
        if (ids.length === connectionIds.length) orders = Math.max(orders, result.totals.reduce((n, t) => n + t.orders, 0))
      }
    }
  }
  return { p95: percentile(times, 95), p50: percentile(times, 50), count: times.length, orders }
}

/** Each statement alone on the first range (every shop): its median time, and its plan with BENCH_EXPLAIN=1. */
async function perStatement(container: MedusaContainer, connectionIds: string[], label: string) {
  const db = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  const day = (offset: number) => new Date(Date.now() - offset * 86400_000).toISOString().slice(0, 10)
  const statements = analyticsStatements({ from: day(89), to: day(0), connectionIds })
  const parts: string[] = []
  for (const [name, [sql, bindings]] of Object.entries(statements)) {
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint()
      await db.raw(sql, bindings)
      times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    parts.push(`${name} ${percentile(times, 50).toFixed(0)} ms`)
    if (process.env.BENCH_EXPLAIN) {
      const plan = await db.raw(`explain (analyze, buffers) ${sql}`, bindings)
      console.log(`${label} ${name}:\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`)
    }
  }
  console.log(`${label}: ${parts.join(", ")}`)
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("measures the analytics queries", async () => {
      const container = getContainer()
      const db = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const store = await seedStore(container, SKUS, { stock: 1_000_000 })
      const connections = await marketplace.createConnections(
        Array.from({ length: SHOPS }, (_, i) => ({ platform: "shopee", external_shop_id: `bench-${i + 1}`, name: `Bench shop ${i + 1}`, currency_code: "sgd" }))
      )
      const { result: template } = await createOrderWorkflow(container).run({
        input: {
          region_id: store.region_id,
          sales_channel_id: store.sales_channel_id,
          email: "bench@example.com",
          currency_code: "sgd",
          items: SKUS.map((sku, i) => ({ variant_id: store.variants[sku].id, quantity: 1 + (i % 2), unit_price: 10 + i, title: `Item ${sku}` })),
          shipping_methods: [{ name: "Standard", amount: 3 }],
        },
      })

      const t0 = Date.now()
      await generate(container, connections.map((c) => c.id), template.id)
      console.log(`generated ${ORDERS} orders in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

      const t1 = Date.now()
      await db.raw(BACKFILL_SQL)
      await db.raw(`analyze marketplace_analytics_day; analyze marketplace_analytics_product_day`)
      const backfill = (Date.now() - t1) / 1000
      console.log(`filled the analytics rollup in ${backfill.toFixed(1)} s`)

      await perStatement(container, connections.map((c) => c.id), "rollup")
      const measured = await measure(container, connections.map((c) => c.id))
      console.log(`page queries: p50 ${measured.p50.toFixed(1)} ms, p95 ${measured.p95.toFixed(1)} ms over ${measured.count} queries`)

      // What an import, escrow or return workflow adds: one shop's day computed again (~90 orders a day here).
      const refreshTimes: number[] = []
      for (let i = 0; i < 30; i++) {
        const day = new Date(Date.now() - (3 + i * 12) * 86400_000).toISOString().slice(0, 10)
        const t0 = process.hrtime.bigint()
        await refreshAnalyticsRollup(container.resolve<RollupKnex>(ContainerRegistrationKeys.PG_CONNECTION), [
          { connection_id: connections[i % SHOPS].id, day },
        ])
        refreshTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
      console.log(`refresh of one shop's day: p50 ${percentile(refreshTimes, 50).toFixed(1)} ms, p95 ${percentile(refreshTimes, 95).toFixed(1)} ms`)

      const total = await db.raw(`select count(*) as n from marketplace_order_link`)
      if (process.env.BENCH_KEEP) {
        // Keeps a copy of the generated database for studying plans: pg_dump of the runner's database.
        const { rows } = await db.raw(`select current_database() as name`)
        require("child_process").execSync(`pg_dump -h localhost -U postgres -Fc -f ${process.env.BENCH_KEEP} ${rows[0].name}`)
        console.log(`kept the database in ${process.env.BENCH_KEEP}`)
      }
      const r = (n: number) => Math.round(n)
      console.log(
        `bench:analytics orders=${total.rows[0].n} p95_ms=${r(measured.p95)} p50_ms=${r(measured.p50)} queries=${measured.count} orders_per_90_days=${measured.orders} backfill_s=${backfill.toFixed(1)} refresh_p50_ms=${percentile(refreshTimes, 50).toFixed(1)} refresh_p95_ms=${percentile(refreshTimes, 95).toFixed(1)}`
      )
      expect(measured.orders).toBeGreaterThan(0)
    })
  },
})
