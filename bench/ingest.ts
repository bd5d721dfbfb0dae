/**
 * bench:ingest — webhook acknowledgement latency under a steady push rate with duplicates.
 *
 *   npm run bench:ingest                                   # 200 requests/s for 30 s, 30% duplicates
 *   BENCH_RATE=400 BENCH_SECONDS=10 BENCH_DUPLICATES=0.5 npm run bench:ingest
 *
 * Boots the app (fresh database) with a connected sandbox shop, then fires signed Shopee pushes (code 3) at
 * the webhook route at a fixed rate, open loop (a request is sent on schedule whether or not the previous
 * ones were answered, as a marketplace does). Distinct pushes are status changes of 50 sandbox orders with
 * distinct timestamps; a share of the requests re-send an earlier body (a duplicate delivery). The inbox
 * processes them meanwhile, as in production. Latency is from sending the request to the full answer.
 *
 * Closing line: `bench:ingest rate=.. p50_ms=.. p95_ms=.. p99_ms=.. errors=.. stored=.. distinct=..`.
 * Targets: p99_ms <= 50, errors=0, stored = distinct.
 */
import { spawn } from "child_process"
import { join } from "path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { connectSandboxShop, PARTNER_KEY, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"

const RATE = Number(process.env.BENCH_RATE ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.3)
const ORDERS = 50

jest.setTimeout(30 * 60_000)
const sandbox = useShopeeSandbox()

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it("measures webhook acknowledgement", async () => {
      const container = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const store = await seedStore(container, ["BENCH-MUG"], { stock: 100000 })
      const { connection_id, shop_id } = await connectSandboxShop(container, sandbox(), store, {
        settings: { pull_interval_minutes: 1440 },
      })
      await marketplace.updateConnections({ id: connection_id, last_pull_at: new Date() })
      sandbox().seedItems(shop_id, [{ item_name: "Mug", item_sku: "BENCH-MUG", price: 12, stock: 100000 }])
      const orders = sandbox().createOrders(shop_id, {
        count: ORDERS,
        status: "READY_TO_SHIP",
        items: [{ sku: "BENCH-MUG", quantity: 1 }],
      } as never)

      const url = new URL("/hooks/marketplace/shopee", api.defaults.baseURL).toString()
      const config = { url, rate: RATE, seconds: SECONDS, duplicates: DUPLICATES, pushKey: PARTNER_KEY, shopId: shop_id, orderSns: orders.map((o) => o.order_sn) }
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [join(__dirname, "ingest-load.js"), JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] })
        let out = ""
        child.stdout.on("data", (c) => (out += c))
        child.on("error", reject)
        child.on("close", () => resolve(out))
      })
      const { elapsed, total, distinct, results } = JSON.parse(output) as {
        elapsed: number
        total: number
        distinct: number
        results: { ms: number; status: number }[]
      }
      const ms = results.map((r) => r.ms).sort((a, b) => a - b)
      const errors = results.filter((r) => r.status !== 200).length
      const [, stored] = await marketplace.listAndCountMarketplaceEvents({ platform: "shopee" }, { take: 1 })
      const round = (n: number) => Math.round(n * 10) / 10
      // Processing goes on in the background; the bench measures the acknowledgement only.
      console.log(
        `bench:ingest rate=${round(total / elapsed)} p50_ms=${round(percentile(ms, 50))} p95_ms=${round(
          percentile(ms, 95)
        )} p99_ms=${round(percentile(ms, 99))} errors=${errors} stored=${stored} distinct=${distinct} requests=${total}`
      )
      expect(errors).toBe(0)
    })
  },
})
