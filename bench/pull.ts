/**
 * bench:pull — what one scheduled pull costs when nothing changed on the marketplace.
 *
 *   npm run bench:pull                  # 50 shops
 *   npm run bench:pull -- --shops 10
 *
 * Boots the app (fresh database) with N connected sandbox shops (BENCH_SHOPS, default 50) that have no
 * orders. A first pull of every shop sets up its cursor (the warm-up); then the measured pull: every shop
 * once, as the scheduled job does one interval later. Shop calls are counted by the sandbox; writes are
 * PostgreSQL's own counters for the bench's database (pg_stat_database tup_inserted + tup_updated +
 * tup_deleted, read after the counters are flushed), with the tables written listed from
 * pg_stat_user_tables.
 *
 * Closing line: `bench:pull shops=.. calls=.. calls_per_shop=.. writes=..`.
 * Targets: 1 list call per shop and window, 0 writes.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { runScheduledPull } from "../src/orchestration/orders/order-pull"
import { connectSandboxShop, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"

const SHOPS = Number(process.env.BENCH_SHOPS ?? 50)

jest.setTimeout(30 * 60_000)
const sandbox = useShopeeSandbox()

type Knex = { raw: (sql: string) => Promise<{ rows: Record<string, string | number>[] }> }

/** Every backend flushes its pending statistics at least every 10 s when idle (PostgreSQL 15). */
const STATS_FLUSH_MS = 11_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function tableWrites(pg: Knex): Promise<Map<string, number>> {
  await pg.raw("select pg_stat_clear_snapshot()")
  const { rows } = await pg.raw(
    "select relname, n_tup_ins + n_tup_upd + n_tup_del as writes from pg_stat_user_tables"
  )
  return new Map(rows.map((r) => [String(r.relname), Number(r.writes)]))
}

async function databaseWrites(pg: Knex): Promise<number> {
  await pg.raw("select pg_stat_clear_snapshot()")
  const { rows } = await pg.raw(
    "select tup_inserted + tup_updated + tup_deleted as writes from pg_stat_database where datname = current_database()"
  )
  return Number(rows[0].writes)
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("measures a pull with no changes", async () => {
      const container = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as Knex
      // A sales channel feeds one connection: the first shop gets the store, the others none (no order
      // comes in, so none is needed).
      const store = await seedStore(container, ["BENCH-A"], { stock: 100 })
      const connections: string[] = []
      for (let i = 0; i < SHOPS; i++) {
        connections.push((await connectSandboxShop(container, sandbox(), i === 0 ? store : null)).connection_id)
      }
      // Connecting starts a listing sync per shop: let it finish before anything is counted.
      for (let last = -1; last !== sandbox().calls.length; ) {
        last = sandbox().calls.length
        await sleep(2000)
      }
      // Warm-up: the first pull of each shop creates its cursor.
      for (const id of connections) await runScheduledPull(container, id)

      await sleep(STATS_FLUSH_MS)
      sandbox().resetCalls()
      const tablesBefore = await tableWrites(pg)
      const before = await databaseWrites(pg)
      for (const id of connections) await runScheduledPull(container, id, { now: new Date(Date.now() + 60_000) })
      await sleep(STATS_FLUSH_MS)
      const writes = (await databaseWrites(pg)) - before
      const tablesAfter = await tableWrites(pg)
      const written = [...tablesAfter]
        .map(([table, n]) => [table, n - (tablesBefore.get(table) ?? 0)] as const)
        .filter(([, n]) => n > 0)
      console.log(`tables written: ${written.map(([t, n]) => `${t}=${n}`).join(" ") || "none"}`)

      const calls = sandbox().calls.filter((c) => c.shop_id !== null)
      const byPath = new Map<string, number>()
      for (const c of calls) byPath.set(c.path, (byPath.get(c.path) ?? 0) + 1)
      console.log(`calls by path: ${[...byPath].map(([p, n]) => `${p}=${n}`).join(" ")}`)
      const round = (n: number) => Math.round(n * 100) / 100
      console.log(
        `bench:pull shops=${SHOPS} calls=${calls.length} calls_per_shop=${round(calls.length / SHOPS)} writes=${writes}`
      )
      expect(await marketplace.listConnections({ status: "active" })).toHaveLength(SHOPS)
    })
  },
})
