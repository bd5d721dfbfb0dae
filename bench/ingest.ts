/**
 * bench:ingest — webhook acknowledgement latency under a steady push rate with duplicates.
 *
 *   npm run bench:ingest                                   # 200 requests/s for 30 s, 30% duplicates, one process
 *   npm run bench:ingest -- --topology split               # the production topology: server + worker on Redis
 *   npm run bench:ingest -- --rate 400 --seconds 10 --duplicates 0.5
 *
 * Boots the app (fresh database) with a connected sandbox shop, then fires signed Shopee pushes (code 3) at
 * the webhook route at a fixed rate, open loop (a request is sent on schedule whether or not the previous
 * ones were answered, as a marketplace does), from a separate process (bench/ingest-load.js). Distinct pushes
 * are status changes of 50 sandbox orders with distinct timestamps; a share of the requests re-send an
 * earlier body (a duplicate delivery). Latency is from sending the request to the full answer.
 *
 * Topologies (`--topology`, env BENCH_TOPOLOGY):
 * - `shared` (default): one Medusa process answers the webhooks and processes the inbox (order imports) on
 *   the same event loop, with the in-memory event bus, as `medusa develop` or a single `medusa start` does.
 * - `split`: Medusa's production topology. The app under test runs with MEDUSA_WORKER_MODE=server and a
 *   second Medusa process (`medusa start`, MEDUSA_WORKER_MODE=worker, started with scripts/demo-lib.js) on the
 *   same database processes the inbox. Both use Redis (event bus, workflow engine, locking; BENCH_REDIS_URL,
 *   default redis://127.0.0.1:6379/11). In Medusa 2.21 a `server` process loads the subscribers but its
 *   Redis event bus creates no queue worker, so it never runs them, and it loads no scheduled jobs
 *   (@medusajs/medusa/dist/loaders/index.js, @medusajs/event-bus-redis): the inbox wake-up the route emits
 *   is consumed by the worker process only. The bench checks that the server has no queue worker.
 *
 * After the load, both topologies wait until the inbox is drained and check that every stored event ended
 * `done` and every order was imported (so the processing really happened, in the worker when split).
 * `commit_*` is the route's own time to commit the inbox row (its Server-Timing header); the rest of a
 * latency is verification, queueing and transport. `loop_p99_ms` is the event-loop delay of the process answering the webhooks during the load.
 *
 * Closing line: `bench:ingest topology=.. rate=.. p50_ms=.. p95_ms=.. p99_ms=.. errors=.. stored=.. distinct=..
 * done=.. orders=.. drain_s=..
 * commit_p50_ms=.. commit_p99_ms=.. loop_p99_ms=.. requests=..`. Targets: p99_ms <= 50, errors=0, stored = distinct.
 */
import { spawn } from "child_process"
import { createServer } from "net"
import { setPriority, tmpdir } from "os"
import { join } from "path"
import { monitorEventLoopDelay } from "perf_hooks"
import { readFileSync } from "fs"
import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { connectSandboxShop, PARTNER_ID, PARTNER_KEY, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"
import { waitFor } from "../integration-tests/helpers/wait"
// eslint-disable-next-line @typescript-eslint/no-var-requires
const demo = require("../scripts/demo-lib.js")

const RATE = Number(process.env.BENCH_RATE ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.3)
const TOPOLOGY = process.env.BENCH_TOPOLOGY ?? "shared"
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 0)
const ORDERS = 50

if (TOPOLOGY !== "shared" && TOPOLOGY !== "split") throw new Error(`--topology must be shared or split, not ${TOPOLOGY}`)
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/11"
if (TOPOLOGY === "split") {
  // Read by medusa-config.ts when the runner loads it: Redis modules, and this process serves HTTP only.
  process.env.REDIS_URL = REDIS_URL
  process.env.MEDUSA_WORKER_MODE = "server"
}

jest.setTimeout(30 * 60_000)
const sandbox = useShopeeSandbox()

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/**
 * The bench's Redis database starts empty: a lock or queued jobs left by an earlier run's worker (killed at
 * the end of its run) would otherwise hold up this run's processing. Use a database nothing else uses.
 */
async function flushBenchRedis() {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Redis = require("ioredis")
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await client.connect()
  await client.flushdb()
  await client.quit()
}

/** The inbox worker: `medusa start` in worker mode on the runner's database and the same Redis and sandbox. */
async function startWorker(databaseUrl: string) {
  const port = await freePort()
  const logFile = join(tmpdir(), `bench-ingest-worker-${process.pid}.log`)
  const env = demo.appEnv(
    { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, MEDUSA_WORKER_MODE: "worker", LOG_LEVEL: "info" },
    { port, sandboxUrl: sandbox().url, partner: { partnerId: PARTNER_ID, partnerKey: PARTNER_KEY, pushKey: PARTNER_KEY } }
  )
  delete env.JEST_WORKER_ID
  const child = demo.startMedusaProcess({ env, port, logFile })
  // `--worker-nice 19`: the worker yields the CPU to the server, as on separate machines (see the header).
  if (WORKER_NICE) setPriority(child.pid, WORKER_NICE)
  try {
    await demo.waitForHttp(`http://localhost:${port}/health`, { timeoutMs: 300_000, child })
  } catch (error) {
    process.stderr.write(readFileSync(logFile, "utf8").slice(-5000))
    await demo.stopProcess(child)
    throw error
  }
  return { child, logFile }
}

// Before the runner's own beforeAll boots the app.
if (TOPOLOGY === "split") beforeAll(flushBenchRedis)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    let worker: { child: unknown; logFile: string } | undefined
    afterAll(async () => {
      if (worker) await demo.stopProcess(worker.child)
    })

    it("measures webhook acknowledgement", async () => {
      const container = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      if (TOPOLOGY === "split") {
        // This process must not consume events: with workerMode=server the Redis event bus has no queue worker.
        expect((container.resolve(Modules.EVENT_BUS) as unknown as { bullWorker_?: unknown }).bullWorker_).toBeUndefined()
      }
      const [store, started] = await Promise.all([
        seedStore(container, ["BENCH-MUG"], { stock: 100000 }),
        TOPOLOGY === "split" ? startWorker(dbConfig.clientUrl) : Promise.resolve(undefined),
      ])
      worker = started
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
      const loop = monitorEventLoopDelay({ resolution: 10 })
      loop.enable()
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [join(__dirname, "ingest-load.js"), JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] })
        let out = ""
        child.stdout.on("data", (c) => (out += c))
        child.on("error", reject)
        child.on("close", () => resolve(out))
      })
      loop.disable()
      const loadEnded = Date.now()
      const { elapsed, total, distinct, results } = JSON.parse(output) as {
        elapsed: number
        total: number
        distinct: number
        results: { ms: number; status: number; sent: number; verify?: number; commit?: number; error?: string }[]
      }
      const ms = results.map((r) => r.ms).sort((a, b) => a - b)
      const commit = results.map((r) => r.commit ?? NaN).filter((n) => !isNaN(n)).sort((a, b) => a - b)
      // Latency over the run, 5 s windows (warm-up, or a backlog building up, shows here).
      const windows = new Map<number, number[]>()
      for (const r of results) windows.set(Math.floor(r.sent / 5000), [...(windows.get(Math.floor(r.sent / 5000)) ?? []), r.ms])
      console.log(
        `bench:ingest windows p50/p99 ms: ${[...windows.entries()]
          .sort(([a], [b]) => a - b)
          .map(([w, l]) => {
            l.sort((a, b) => a - b)
            return `${w * 5}s ${Math.round(percentile(l, 50))}/${Math.round(percentile(l, 99))}`
          })
          .join(", ")}`
      )
      const failed = results.filter((r) => r.status !== 200)
      const errors = failed.length
      if (errors) {
        const kinds = new Map<string, number>()
        for (const r of failed) kinds.set(`${r.status} ${r.error ?? ""}`.trim(), (kinds.get(`${r.status} ${r.error ?? ""}`.trim()) ?? 0) + 1)
        console.log(`bench:ingest errors by kind: ${[...kinds].map(([k, n]) => `${k}: ${n}`).join(", ")}`)
      }
      const [, stored] = await marketplace.listAndCountMarketplaceEvents({ platform: "shopee" }, { take: 1 })

      // The processing (in the worker when split) must really happen: every event done, every order imported.
      await waitFor(
        async () => {
          const [, open] = await marketplace.listAndCountMarketplaceEvents(
            { status: ["pending", "processing", "failed"] },
            { take: 1, select: ["id"] }
          )
          return open === 0
        },
        "the inbox to be drained",
        600_000
      )
      const drainSeconds = (Date.now() - loadEnded) / 1000
      const [, done] = await marketplace.listAndCountMarketplaceEvents({ status: "done" }, { take: 1, select: ["id"] })
      const [, imported] = await marketplace.listAndCountOrderLinks({ connection_id }, { take: 1, select: ["id"] })

      const round = (n: number) => Math.round(n * 10) / 10
      console.log(
        `bench:ingest topology=${TOPOLOGY} rate=${round(total / elapsed)} p50_ms=${round(percentile(ms, 50))} p95_ms=${round(
          percentile(ms, 95)
        )} p99_ms=${round(percentile(ms, 99))} errors=${errors} stored=${stored} distinct=${distinct} done=${done} orders=${imported} drain_s=${round(
          drainSeconds
        )} commit_p50_ms=${round(percentile(commit, 50))} commit_p99_ms=${round(percentile(commit, 99))} loop_p99_ms=${round(loop.percentile(99) / 1e6)} requests=${total}`
      )
      if (worker) {
        await demo.stopProcess(worker.child)
        worker = undefined
      }
      expect(errors).toBe(0)
      expect(stored).toBe(distinct)
      expect(done).toBe(stored)
      expect(imported).toBe(ORDERS)
    })
  },
})
