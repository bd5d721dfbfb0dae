/**
 * bench:ingest — webhook acknowledgement latency under a steady push rate with duplicates.
 *
 *   npm run bench:ingest                                   # Shopee, 200 requests/s for 30 s, 30% duplicates, one process
 *   npm run bench:ingest -- --platform lazada              # the same with Lazada's sandbox and pushes (or tiktok-shop)
 *   npm run bench:ingest -- --topology split               # the production topology: server + worker on Redis
 *   npm run bench:ingest -- --rate 400 --seconds 10 --duplicates 0.5 --warmup 5 --cpus split
 *   npm run bench:ingest -- --burst 200                    # 600 pushes for 200 new orders, 16 at once, 20% duplicates
 *
 * `--platform shopee|tiktok-shop|lazada` (BENCH_PLATFORM, default shopee; another name stops the bench with the
 * known ones) picks the platform's driver (integration-tests/platforms): its sandbox, its signed order status
 * pushes, its webhook route, its events. Every mode and topology runs for every platform.
 *
 * The jest runner creates and migrates a database and prepares the store and a connected shop with its own
 * in-process app (in `server` mode: it processes nothing). The app under test is `medusa start` on that
 * database, as in production (bench/processes.ts), and the platform's sandbox runs in a process of its own (the
 * driver's startProcess, driven over its control API; `--sandbox inline` puts it in the runner's process):
 * - `shared` (default): one process answers the webhooks and processes the inbox (local event bus).
 * - `split`: a MEDUSA_WORKER_MODE=server process answers HTTP and a `worker` process processes the inbox, on
 *   Redis (event bus, workflow engine, locking; BENCH_REDIS_URL, default redis://127.0.0.1:6379/11, flushed
 *   first). In Medusa 2.21 a `server` process loads the subscribers but its Redis event bus creates no queue
 *   worker, so it never runs them, and it loads no scheduled jobs (@medusajs/medusa/dist/loaders/index.js,
 *   @medusajs/event-bus-redis). The bench checks that the runner's own `server` app has no queue worker.
 *
 * The load comes from a separate process (bench/ingest-load.js), open loop (a request is sent on schedule
 * whether or not the previous ones were answered, as a marketplace does): the platform's order status pushes,
 * changes of 50 sandbox orders with distinct update times, signed by the driver with the sandbox's own signing
 * code (never the provider's) just before the load and stamped with that send time (a made-up one is refused
 * as a replay), so the generator only posts them; a share of the requests re-send an earlier push exactly (a
 * duplicate delivery). Latency is from sending the request to the full answer. Before it: `sync` (the setup's
 * dirty pages written out, so the kernel's writeback does not land in the load) and a warm-up (`--warmup`
 * seconds at the same rate, pushes for a shop of the platform that is not connected, unmeasured).
 *
 * After the load, it waits until the inbox is drained and checks that every stored event of the shop ended
 * `done` and every order was imported (so the processing really happened, in the worker when split).
 * `commit_*` is the route's own time to commit the inbox row (its Server-Timing header); the rest of a latency
 * is verification, queueing and transport. `loop_p99_ms` is the event-loop delay of the process answering the
 * webhooks during the load, measured inside it by bench/probe.js. `deadline_ms` is the platform's documented
 * time to answer a webhook (the driver's webhookDeadlineMs: Shopee and TikTok Shop 3000, Lazada 500) and
 * `over_deadline` how many acknowledgements took longer (deliveries the platform would count as failed).
 *
 * `--burst N` (BENCH_BURST) measures convergence instead: N new orders, 3N pushes about them sent
 * `--concurrency` (16) at once as fast as they are answered, a share `--duplicates` (0.2 here) exact
 * re-deliveries, successive update times per order. It polls every 100 ms for the order links pointing at a
 * Medusa order and for events failed or dead on a lock, and closes with `bench:ingest mode=burst platform=..
 * topology=.. .. ack_p50_ms=.. ack_p99_ms=.. visible_p50_ms=.. visible_p95_ms=.. visible_max_ms=.. lock_failures=..
 * dead=.. errors=.. stored=.. done=.. imported=.. drain_s=.. deadline_ms=.. over_deadline=..`: visible is from a
 * push's send to its order being a native Medusa order (0 when it already was). Targets: visible_p95_ms <= 2000,
 * lock_failures=0.
 *
 * Closing line: `bench:ingest platform=.. topology=.. cpus=.. rate=.. p50_ms=.. p95_ms=.. p99_ms=.. errors=..
 * stored=.. distinct=.. done=.. orders=.. drain_s=.. commit_p50_ms=.. commit_p99_ms=.. loop_p99_ms=.. requests=..
 * deadline_ms=.. over_deadline=..`. Targets: p99_ms <= 50 (split), errors=0, stored = distinct, over_deadline=0.
 */
import { execFileSync, spawn } from "child_process"
import { setPriority, tmpdir } from "os"
import { join } from "path"
import { existsSync, readFileSync, rmSync, writeFileSync } from "fs"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { driverFor, useSandbox, type DriverOrder, type DriverPush, type RemoteSandbox } from "../integration-tests/platforms"
import { connectShop, seedStore } from "../integration-tests/helpers/store"
import { waitFor } from "../integration-tests/helpers/wait"
import { flushRedisDb, freePort, startMedusaApp } from "./processes"
// eslint-disable-next-line @typescript-eslint/no-var-requires
const demo = require("../scripts/demo-lib.js")

// `--platform shopee|tiktok-shop|lazada` (BENCH_PLATFORM): whose sandbox, signed pushes and webhook route.
const driver = driverFor(process.env.BENCH_PLATFORM || "shopee", "--platform")

const RATE = Number(process.env.BENCH_RATE ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.3)
const TOPOLOGY = process.env.BENCH_TOPOLOGY ?? "shared"
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 0)
// `--cpus split`: the process answering the webhooks on CPU 0, everything else of the bench (worker, sandbox,
// load generator) on CPU 1, as when the worker runs on its own machine. PostgreSQL stays on both.
const CPUS = process.env.BENCH_CPUS ?? "shared"
if (CPUS !== "shared" && CPUS !== "split") throw new Error(`--cpus must be shared or split, not ${CPUS}`)
const pin = (pid: number | undefined, cpu: number) => {
  if (CPUS === "split" && pid) execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" })
}

// `--burst N`: instead of the steady rate, a burst of 3N pushes about N new orders, CONCURRENCY at once, a
// share of them exact duplicates (BENCH_DUPLICATES, 0.2 in a burst), measured to each order's appearance.
const BURST = Number(process.env.BENCH_BURST ?? 0)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const ORDERS = BURST || 50
const BURST_DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.2)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5)
// The marketplace is not inside our process: by default the sandbox runs in its own (`--sandbox inline`
// puts it back in the app's process, as the tests have it).
const SANDBOX = process.env.BENCH_SANDBOX ?? "process"
if (SANDBOX !== "process" && SANDBOX !== "inline") throw new Error(`--sandbox must be process or inline, not ${SANDBOX}`)

if (TOPOLOGY !== "shared" && TOPOLOGY !== "split") throw new Error(`--topology must be shared or split, not ${TOPOLOGY}`)
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/11"
// The runner's own app (in this jest process) only prepares the database and the store: it runs no jobs and,
// in `server` mode, consumes no Redis events. The app under test is `medusa start`, in processes of its own.
process.env.MEDUSA_WORKER_MODE = "server"
if (TOPOLOGY === "split") {
  // Read by medusa-config.ts when the runner loads it: Redis modules.
  process.env.REDIS_URL = REDIS_URL
}

jest.setTimeout(30 * 60_000)

/** What the bench does with the sandbox: a shop, its listing and its orders, and the app's env pointing at it. */
type BenchSandbox = Pick<RemoteSandbox, "url" | "appEnv" | "createShop" | "issueTokens" | "createListings" | "createOrder">

/** The platform's sandbox CLI in its own process, driven through its control API (the driver's startProcess). */
function useSandboxProcess(): () => BenchSandbox {
  let remote: RemoteSandbox | undefined
  beforeAll(async () => {
    remote = await driver.startProcess({
      port: await freePort(),
      logFile: join(tmpdir(), `bench-ingest-sandbox-${process.pid}.log`),
      seed: Number(process.env.SANDBOX_SEED || 20261122),
    })
    pin(remote.pid, 1)
    // Read by medusa-config.ts when the runner boots the app (this hook is registered before the runner's).
    Object.assign(process.env, remote.appEnv)
  })
  afterAll(async () => {
    await remote?.stop()
  })
  return () => {
    if (!remote) throw new Error("The sandbox is not started yet")
    return remote
  }
}

/** `--sandbox inline`: the driver's sandbox in the runner's process (its start() sets the env the apps inherit). */
function useInlineSandbox(): () => BenchSandbox {
  useSandbox(driver)
  const inline: BenchSandbox = {
    get url() {
      return driver.url
    },
    appEnv: {},
    createShop: async (input) => driver.createShop(input),
    issueTokens: async (shopId) => driver.issueTokens(shopId),
    createListings: async (shopId, listings) => void driver.createListings(shopId, listings),
    createOrder: async (shopId, input) => driver.createOrder(shopId, { ...input, prepaid: true }),
  }
  return () => inline
}

const sandbox: () => BenchSandbox = SANDBOX === "process" ? useSandboxProcess() : useInlineSandbox()

/** Dirty page-cache memory waiting to be written to disk (Linux; NaN elsewhere). */
const dirtyKb = () => {
  try {
    return Number(/^Dirty:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? NaN)
  } catch {
    return NaN
  }
}

/**
 * The acknowledgements slower than the platform's documented webhook deadline (`webhookDeadlineMs`: Shopee and
 * TikTok Shop 3 s, Lazada 500 ms), which the platform would count as failed deliveries and send again.
 */
const overDeadline = (results: { ms: number }[]) => results.filter((r) => r.ms > driver.webhookDeadlineMs).length

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN

/**
 * The bench's Redis database starts empty: a lock or queued jobs left by an earlier run's worker (killed at
 * the end of its run) would otherwise hold up this run's processing. Use a database nothing else uses.
 */
const flushBenchRedis = () => flushRedisDb(REDIS_URL)

/**
 * A `medusa start` process of the app on the runner's database, with the same sandbox (and Redis when split):
 * `worker` processes the inbox, `server` answers HTTP only, `shared` does both (one process). The process
 * answering the webhooks gets bench/probe.js, which measures its event loop and garbage collection.
 */
async function startApp(databaseUrl: string, mode: "worker" | "server" | "shared", probeFile?: string) {
  const port = await freePort()
  const nodeOptions = [process.env.NODE_OPTIONS ?? "", probeFile ? `--require ${join(__dirname, "probe.js")}` : ""].join(" ").trim()
  const env = {
    ...process.env,
    ...sandbox().appEnv,
    DATABASE_URL: databaseUrl,
    ...(TOPOLOGY === "split" ? { REDIS_URL } : { REDIS_URL: "" }),
    // The URL the platform signs a push for (Shopee signs it with the body).
    MARKETPLACE_PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: "warn",
    NODE_OPTIONS: nodeOptions,
    ...(probeFile ? { BENCH_PROBE_FILE: probeFile } : {}),
  }
  return startMedusaApp({
    mode,
    env,
    port,
    logFile: join(tmpdir(), `bench-ingest-${mode}-${process.pid}.log`),
    onSpawn: (child) => {
      // `--worker-nice 19`: the worker yields the CPU to the server, as on separate machines (see the header).
      if (mode === "worker" && WORKER_NICE) setPriority(child.pid, WORKER_NICE)
      pin(child.pid, mode === "worker" ? 1 : 0)
    },
  })
}

type BurstResult = { ms: number; status: number; sent: number; at: number; order: string }
type BurstWatch = { visibleAt: Map<string, number>; lockFailures: Set<string>; stop: () => Promise<void> }

/**
 * Polls, every 100 ms, the connection's order links that point at a Medusa order (the first time an order is
 * seen so is when it became visible to the merchant) and the inbox events failed or dead on a lock.
 */
function watchBurst(container: MedusaContainer, connectionId: string): BurstWatch {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const visibleAt = new Map<string, number>()
  const lockFailures = new Set<string>()
  let running = true
  const loop = (async () => {
    while (running) {
      const now = Date.now()
      const { data } = await query.graph({ entity: "order_link", fields: ["external_order_id", "order.id"], filters: { connection_id: connectionId } })
      for (const link of data as { external_order_id: string; order?: { id: string } | null }[]) {
        if (link.order?.id && !visibleAt.has(link.external_order_id)) visibleAt.set(link.external_order_id, now)
      }
      const failed = await marketplace.listMarketplaceEvents({ status: ["failed", "dead"] }, { select: ["id", "last_error"], take: 10_000 })
      for (const e of failed) if (/lock/i.test(e.last_error ?? "")) lockFailures.add(e.id)
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  return { visibleAt, lockFailures, stop: async () => { running = false; await loop } }
}

/** Waits for every order and a drained inbox, then prints the burst's closing line. */
async function reportBurst(
  container: MedusaContainer,
  watch: BurstWatch,
  results: BurstResult[],
  run: { elapsed: number; total: number; distinct: number; shopId: string }
) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const orders = new Set(results.map((r) => r.order))
  const loadEnded = Date.now()
  await waitFor(async () => {
    const [, open] = await marketplace.listAndCountMarketplaceEvents({ status: ["pending", "processing", "failed"] }, { take: 1, select: ["id"] })
    return open === 0 && [...orders].every((o) => watch.visibleAt.has(o))
  }, "every order of the burst and a drained inbox", 600_000)
  const drainSeconds = (Date.now() - loadEnded) / 1000
  await watch.stop()
  const [, done] = await marketplace.listAndCountMarketplaceEvents({ platform: driver.platform, status: "done", external_shop_id: run.shopId }, { take: 1, select: ["id"] })
  const [, dead] = await marketplace.listAndCountMarketplaceEvents({ status: "dead" }, { take: 1, select: ["id"] })
  const [, stored] = await marketplace.listAndCountMarketplaceEvents({ platform: driver.platform, external_shop_id: run.shopId }, { take: 1, select: ["id"] })
  const ack = results.map((r) => r.ms).sort((a, b) => a - b)
  // Push -> order: from a push's send to its order being a native Medusa order (0 when it already was).
  const visible = results.map((r) => Math.max(0, (watch.visibleAt.get(r.order) as number) - r.at)).sort((a, b) => a - b)
  const errors = results.filter((r) => r.status !== 200).length
  const round = (n: number) => Math.round(n * 10) / 10
  console.log(
    `bench:ingest mode=burst platform=${driver.platform} topology=${TOPOLOGY} orders=${orders.size} pushes=${run.total} distinct=${run.distinct} concurrency=${CONCURRENCY} burst_s=${round(
      run.elapsed
    )} ack_p50_ms=${round(percentile(ack, 50))} ack_p99_ms=${round(percentile(ack, 99))} visible_p50_ms=${round(percentile(visible, 50))} visible_p95_ms=${round(
      percentile(visible, 95)
    )} visible_max_ms=${round(visible[visible.length - 1])} lock_failures=${watch.lockFailures.size} dead=${dead} errors=${errors} stored=${stored} done=${done} imported=${
      watch.visibleAt.size
    } drain_s=${round(drainSeconds)} deadline_ms=${driver.webhookDeadlineMs} over_deadline=${overDeadline(results)}`
  )
  expect(errors).toBe(0)
  expect(stored).toBe(run.distinct)
  expect(done).toBe(stored)
  expect(watch.visibleAt.size).toBe(orders.size)
}

// Before the runner's own beforeAll boots the app.
if (TOPOLOGY === "split") beforeAll(flushBenchRedis)

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, dbConfig }) => {
    const apps: { child: unknown }[] = []
    afterAll(async () => {
      await Promise.all(apps.splice(0).map((a) => demo.stopProcess(a.child)))
    })

    it("measures webhook acknowledgement", async () => {
      const container = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      if (TOPOLOGY === "split") {
        // The runner's app must not consume events: with workerMode=server the Redis event bus has no queue worker.
        expect((container.resolve(Modules.EVENT_BUS) as unknown as { bullWorker_?: unknown }).bullWorker_).toBeUndefined()
      }
      const store = await seedStore(container, ["BENCH-MUG"], { stock: 100000 })
      const shop = await sandbox().createShop({ name: "Bench shop" })
      // The warm-up's pushes are for a shop of the platform that is not connected.
      const idleShop = await sandbox().createShop({ name: "Bench shop not connected" })
      const { connection_id } = await connectShop(container, {
        platform: driver.platform,
        shop,
        tokens: await sandbox().issueTokens(shop.id),
        store,
        settings: { pull_interval_minutes: 1440 },
      })
      await marketplace.updateConnections({ id: connection_id, last_pull_at: new Date() })
      await sandbox().createListings(shop.id, [{ name: "Mug", sku: "BENCH-MUG", price: 12, stock: 100000 }])
      const orders: DriverOrder[] = []
      for (let i = 0; i < ORDERS; i++) orders.push(await sandbox().createOrder(shop.id, { status: "paid", items: [{ sku: "BENCH-MUG", quantity: 1 }] }))

      // The app under test: one `medusa start` (shared), or a server and a worker (split).
      const probeFile = join(tmpdir(), `bench-ingest-probe-${process.pid}.json`)
      const started = await Promise.all(
        TOPOLOGY === "split"
          ? [startApp(dbConfig.clientUrl, "server", probeFile), startApp(dbConfig.clientUrl, "worker")]
          : [startApp(dbConfig.clientUrl, "shared", probeFile)]
      )
      apps.push(...started)
      const front = started[0] as { child: { pid: number }; port: number }

      const url = `http://localhost:${front.port}${driver.webhookPath}`
      // The platform's own order status pushes, signed by the driver (the sandbox's signing code) before the load,
      // so that the load generator only posts them; sent now (an older send time is refused as a replay). Each
      // distinct push is a later update time of the next order (year 2033, after the order's own): a change to
      // fetch, as in a real shop. A fresh process is slow for its first seconds (lazy loading, JIT): WARMUP seconds
      // of pushes at the same rate for a shop that is not connected come first, unmeasured (stored as ignored).
      const sentAt = Math.floor(Date.now() / 1000)
      const push = (shopId: string, order: DriverOrder, time: number): DriverPush =>
        driver.orderStatusPush(url, { shopId, orderId: order.id, status: "paid", time, sentAt })
      const distinctCount = BURST ? 3 * BURST : Math.round(RATE * SECONDS)
      const pushesFile = join(tmpdir(), `bench-ingest-pushes-${process.pid}.json`)
      writeFileSync(
        pushesFile,
        JSON.stringify({
          warmup: Array.from({ length: Math.round(RATE * WARMUP) }, (_, i) => push(idleShop.id, orders[i % orders.length], 1600000000 + i)),
          pushes: Array.from({ length: distinctCount }, (_, k) => ({ ...push(shop.id, orders[k % orders.length], 2000000000 + k), order: orders[k % orders.length].id })),
        })
      )
      const config = {
        url, rate: RATE, seconds: SECONDS, duplicates: BURST ? BURST_DUPLICATES : DUPLICATES, pushesFile, warmup: WARMUP,
        ...(BURST ? { burst: true, count: 3 * BURST, concurrency: CONCURRENCY } : {}),
      }
      // A burst: while it runs and until every order is in, when each order became a native Medusa order, and
      // every event that failed on a lock.
      const watch = BURST ? watchBurst(container, connection_id) : null
      // Setting up wrote a new database (hundreds of tables) and started processes: flushed to disk first, so
      // that the kernel's writeback of the setup does not land in the middle of the load.
      const dirtyBefore = dirtyKb()
      execFileSync("sync")
      console.log(`bench:ingest settle: ${dirtyBefore} kB dirty before sync, ${dirtyKb()} kB after`)
      const loadStarted = new Date(Date.now() + WARMUP * 1000)
      setTimeout(() => process.kill(front.child.pid, "SIGUSR2"), WARMUP * 1000) // bench/probe.js: start measuring
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [join(__dirname, "ingest-load.js"), JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] })
        pin(child.pid, 1)
        let out = ""
        child.stdout.on("data", (c) => (out += c))
        child.on("error", reject)
        child.on("close", () => resolve(out))
      })
      rmSync(pushesFile, { force: true })
      process.kill(front.child.pid, "SIGUSR2") // bench/probe.js: write the measurement
      const loadEnded = Date.now()
      await waitFor(async () => existsSync(probeFile), "the probe's measurement", 10_000)
      const probe = JSON.parse(readFileSync(probeFile, "utf8")) as {
        loop_p99_ms: number
        loop_max_ms: number
        gc_count: number
        gc_total_ms: number
        gc_longest_ms: number
      }
      rmSync(probeFile, { force: true })
      const { elapsed, total, distinct, results, client } = JSON.parse(output) as {
        client: { loop_max_ms: number; loop_p99_ms: number; gc_longest_ms: number }
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
      // The slowest 1%: how much of it is the route's own work (verify, commit) and when it was sent; and the
      // stalls of the webhook process (event loop, GC) and of the load generator itself.
      const slow = [...results].sort((a, b) => b.ms - a.ms).slice(0, Math.max(1, Math.round(results.length / 100)))
      const mid = (l: number[]) => (l.length ? [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)] : NaN)
      const r0 = (n: number) => Math.round(n)
      console.log(
        `bench:ingest load from ${loadStarted.toISOString()}; slowest 1%: total_ms p50 ${r0(mid(slow.map((r) => r.ms)))}, verify_ms p50 ${mid(
          slow.map((r) => r.verify ?? NaN)
        )}, commit_ms p50 ${mid(slow.map((r) => r.commit ?? NaN))}, sent between ${Math.min(...slow.map((r) => r.sent))} and ${Math.max(
          ...slow.map((r) => r.sent)
        )} ms; webhook process: event loop max ${r0(probe.loop_max_ms)} ms, gc ${probe.gc_count} pauses, ${r0(probe.gc_total_ms)} ms, longest ${r0(
          probe.gc_longest_ms
        )} ms; load generator: event loop max ${r0(client.loop_max_ms)} ms`
      )
      if (watch) {
        await reportBurst(container, watch, results as unknown as BurstResult[], { elapsed, total, distinct, shopId: shop.id })
        await Promise.all(apps.splice(0).map((a) => demo.stopProcess(a.child)))
        return
      }
      const failed = results.filter((r) => r.status !== 200)
      const errors = failed.length
      if (errors) {
        const kinds = new Map<string, number>()
        for (const r of failed) kinds.set(`${r.status} ${r.error ?? ""}`.trim(), (kinds.get(`${r.status} ${r.error ?? ""}`.trim()) ?? 0) + 1)
        console.log(`bench:ingest errors by kind: ${[...kinds].map(([k, n]) => `${k}: ${n}`).join(", ")}`)
      }
      const [, stored] = await marketplace.listAndCountMarketplaceEvents({ platform: driver.platform, external_shop_id: shop.id }, { take: 1 })

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
      const [, done] = await marketplace.listAndCountMarketplaceEvents(
        { platform: driver.platform, status: "done", external_shop_id: shop.id },
        { take: 1, select: ["id"] }
      )
      const [, imported] = await marketplace.listAndCountOrderLinks({ connection_id }, { take: 1, select: ["id"] })

      const round = (n: number) => Math.round(n * 10) / 10
      console.log(
        `bench:ingest platform=${driver.platform} topology=${TOPOLOGY} cpus=${CPUS} rate=${round(total / elapsed)} p50_ms=${round(percentile(ms, 50))} p95_ms=${round(
          percentile(ms, 95)
        )} p99_ms=${round(percentile(ms, 99))} errors=${errors} stored=${stored} distinct=${distinct} done=${done} orders=${imported} drain_s=${round(
          drainSeconds
        )} commit_p50_ms=${round(percentile(commit, 50))} commit_p99_ms=${round(percentile(commit, 99))} loop_p99_ms=${round(probe.loop_p99_ms)} requests=${total} deadline_ms=${
          driver.webhookDeadlineMs
        } over_deadline=${overDeadline(results)}`
      )
      await Promise.all(apps.splice(0).map((a) => demo.stopProcess(a.child)))
      expect(errors).toBe(0)
      expect(stored).toBe(distinct)
      expect(done).toBe(stored)
      expect(imported).toBe(ORDERS)
    })
  },
})
