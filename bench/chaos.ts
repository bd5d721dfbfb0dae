/**
 * bench:chaos — exactly once under crashes: the production topology, real order lifecycles, duplicates,
 * killed processes, overlapping backfills and platform faults, then a comparison with the sandbox's truth.
 *
 *   npm run bench:chaos                        # 5,000 deliveries, 10 worker kills, 3 server kills
 *   npm run bench:chaos -- --short             # 500 deliveries, 3 worker kills, 1 server kill (npm run test:chaos)
 *   npm run bench:chaos -- --deliveries 2000 --orders 300 --worker-kills 5 --server-kills 2 --seed 7 --platform shopee
 *
 * The jest runner creates and migrates a database (dropped at the end) and prepares the store and a connected
 * shop with its own in-process app, in `server` mode (it processes nothing). The app under test is this
 * repository's `medusa start`: two MEDUSA_WORKER_MODE=server processes answering HTTP and two `worker`
 * processes running subscribers and jobs, on Redis (event bus, workflow engine, locking, as medusa-config.ts
 * sets them when REDIS_URL is set; BENCH_REDIS_URL, default redis://127.0.0.1:6379/6, emptied first). For one
 * platform driver (the one `--platform` names, else TEST_PLATFORMS' one, default shopee; one platform per run) its
 * sandbox runs in a process of its own and the deliveries are posted from a third (bench/chaos-load.js), 16 at once, to both
 * servers in turn.
 *
 * One bounded run:
 * - Orders live their lives in the sandbox (its control API): unpaid -> paid -> processed -> shipped ->
 *   delivered -> completed, some cancelled (after a cancel request), some returned and refunded after delivery,
 *   some left shipped or paid. After each move the platform's own signed push for it is delivered; 30% of the
 *   deliveries are exact re-sends of earlier ones; each chunk of 64 is shuffled.
 * - Two overlapping backfills over the whole range (POST /admin/marketplace/connections/:id/sync); the
 *   scheduled pulls run too (the connection's pull interval is 1 minute, the jobs' cron is every minute).
 * - K worker kills and S server kills (SIGKILL to the process group, then a restart on the same port), rate
 *   limit storms and 5xx from the sandbox's fault API, at moments spread over the deliveries (seeded).
 * - Then it waits until the system settles (no inbox event pending/processing/failed, no outbox task
 *   pending/processing/failed, no sync run pending/running) or BENCH_SETTLE_S passes, and compares.
 *
 * Closing line: `bench:chaos deliveries= acknowledged= lost= duplicate_orders= orphans= double_refunds=
 * state_mismatches= stuck= settle_s=`, every count expected 0:
 * - lost: acknowledged deliveries whose order (or return) is not in Medusa at that update time or later;
 * - duplicate_orders: external order ids with more than one Medusa order in the shop's sales channel;
 * - orphans: Medusa orders in that channel without an order link, plus order links without an order;
 * - double_refunds: orders whose Medusa refunds exceed what the platform refunded;
 * - state_mismatches: orders whose link's platform status, Medusa order state (canceled, fulfilled/shipped,
 *   delivered, completed), return links or refunds differ from the sandbox's final state;
 * - stuck: inbox events and outbox tasks left `processing`.
 * settle_s is from the end of the chaos to settled (or the timeout). Details of each finding print above it.
 */
import { fork } from "child_process"
import { tmpdir } from "os"
import { join } from "path"
import axios from "axios"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import type { OrderStatus, ReturnStatus } from "../src/providers/types"
import { driverFor, drivers, type DriverOrder, type DriverPush, type RemoteSandbox, type SandboxDriver } from "../integration-tests/platforms"
import { connectShop, seedStore, useDefaultShippingProfile } from "../integration-tests/helpers/store"
import { adminHeaders } from "../integration-tests/helpers/admin"
import { flushRedisDb, freePort, killApp, startMedusaApp, stopApp, type AppMode, type StartedApp } from "./processes"

const SHORT = process.env.BENCH_SHORT === "1" || process.env.BENCH_SHORT === "true"
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? (SHORT ? 500 : 5000))
const WORKER_KILLS = Number(process.env.BENCH_WORKER_KILLS ?? (SHORT ? 3 : 10))
const SERVER_KILLS = Number(process.env.BENCH_SERVER_KILLS ?? (SHORT ? 1 : 3))
const SEED = Number(process.env.BENCH_SEED ?? 20261122)
// The short form runs in CI: a settle cap well above what it needs there (about 130 s), so a slow machine does
// not fail it; the run ends as soon as everything is settled.
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? (SHORT ? 420 : 600))
/** Seconds the deliveries and the chaos are spread over. */
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? (SHORT ? 60 : 300))
/**
 * Seconds before an inbox event or outbox task left `processing` by a killed worker is taken over (the
 * plugin's defaults are 600 s and 300 s, longer than a bounded run can wait).
 */
const STALE_S = Number(process.env.BENCH_STALE_S ?? 45)
/**
 * The inbox's retry schedule in the app under test (MARKETPLACE_EVENT_RETRY_SCHEDULE): the default's minutes
 * compressed to seconds, as the stale timeout is, so that events failed by the injected 5xx and rate-limit
 * storms come back within the settle time. More attempts than the default, none of them skipped.
 */
const RETRY_SCHEDULE = process.env.BENCH_EVENT_RETRY_SCHEDULE ?? "5,10,20,30,60,60,60"
const DUPLICATES = 0.3
const CONCURRENCY = 16
const CHUNK = 64
const PLATFORM = process.env.BENCH_PLATFORM
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/6"
const SKUS = ["CHAOS-A", "CHAOS-B", "CHAOS-C"]

// The runner's own app prepares the database and the store only: in `server` mode on Redis it consumes no
// events and runs no jobs (see bench/ingest.ts). medusa-config.ts reads these when the runner loads it.
process.env.MEDUSA_WORKER_MODE = "server"
process.env.REDIS_URL = REDIS_URL

jest.setTimeout(60 * 60_000)

/** A small seeded generator (mulberry32): the same seed gives the same plan and the same chaos moments. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const shuffle = <T>(items: T[], random: () => number) => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

/**
 * What happens to an order after it is created unpaid: its moves, in order ("return:*" moves its return;
 * "refund" is the status in which the driver's platform shows the return refunded, `refundedReturnStatus`).
 */
type Step = { order: OrderStatus } | { return: "create" | "refund" | ReturnStatus }
const LIVES: { name: string; weight: number; steps: Step[] }[] = [
  { name: "completed", weight: 40, steps: ["paid", "processed", "shipped", "delivered", "completed"].map((s) => ({ order: s as OrderStatus })) },
  {
    name: "returned",
    weight: 20,
    steps: [
      ...["paid", "processed", "shipped", "delivered"].map((s) => ({ order: s as OrderStatus })),
      { return: "create" as const },
      { return: "processing" as const },
      { return: "refund" as const },
    ],
  },
  { name: "cancelled", weight: 15, steps: [{ order: "paid" }, { order: "cancel_requested" }, { order: "cancelled" }] },
  { name: "shipped", weight: 10, steps: [{ order: "paid" }, { order: "processed" }, { order: "shipped" }] },
  { name: "paid", weight: 15, steps: [{ order: "paid" }] },
]
/** Deliveries per order on average: the creation's push plus one per step. */
const MEAN_PUSHES = LIVES.reduce((s, l) => s + l.weight * (1 + l.steps.length), 0) / LIVES.reduce((s, l) => s + l.weight, 0)
const ORDERS = Number(process.env.BENCH_ORDERS ?? Math.max(10, Math.round((DELIVERIES * (1 - DUPLICATES)) / MEAN_PUSHES)))

type Planned = { life: (typeof LIVES)[number]; id?: string; returnId?: string }
type Delivery = { id: number; push: DriverPush; orderId: string; returnId?: string; time: number }

// `--platform` names one driver whatever TEST_PLATFORMS says (as in the other benches); without it, the driver of
// TEST_PLATFORMS (default shopee). One platform per run: the test runner's database connection does not outlive a
// first platform's app, so a second one in the same process could not reach the database. `npm run test:chaos` runs
// one process per platform.
const selected = PLATFORM ? [driverFor(PLATFORM, "--platform")] : drivers()
if (selected.length !== 1) {
  throw new Error(
    `bench:chaos runs one platform per process (TEST_PLATFORMS names ${selected.length}): run it once per platform with --platform <name>`
  )
}

/** Every child process this bench started, killed when the bench process exits whatever happens. */
const children = new Set<{ pid: number }>()
process.on("exit", () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL")
    } catch {
      // gone
    }
  }
})

beforeAll(() => flushRedisDb(REDIS_URL))
// Nothing of the run (queues, locks of killed processes) is left in its Redis database either.
afterAll(() => flushRedisDb(REDIS_URL))

describe.each(selected)("$displayName", (driver: SandboxDriver) => {
  let remote: RemoteSandbox | undefined
  const sandbox = () => {
    if (!remote) throw new Error("The sandbox is not started yet")
    return remote
  }
  beforeAll(async () => {
    remote = await driver.startProcess({ port: await freePort(), logFile: join(tmpdir(), `bench-chaos-sandbox-${process.pid}.log`), seed: SEED })
    if (remote.pid) children.add({ pid: remote.pid })
    // The runner's app (booted after this hook) gets the provider pointed at it.
    Object.assign(process.env, remote.appEnv)
  })
  afterAll(async () => {
    await remote?.stop()
    for (const key of Object.keys(remote?.appEnv ?? {})) delete process.env[key]
  })

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer, dbConfig }) => {
      const apps = new Map<string, StartedApp>()
      const stopAll = () => Promise.all([...apps.values()].map((a) => stopApp(a.child))).then(() => apps.clear())
      afterAll(stopAll)

      it("keeps every order exactly once through crashes", async () => {
        const container = getContainer()
        const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const random = rng(SEED)
        const log = (line: string) => console.log(`bench:chaos [${driver.platform}] ${line}`)

        // The store, the shop and its listings, a connection pulling every minute.
        const store = await seedStore(container, SKUS, { stock: 1_000_000 })
        await useDefaultShippingProfile(container, store)
        const shop = await sandbox().createShop({ name: "Chaos shop" })
        await sandbox().createListings(
          shop.id,
          SKUS.map((sku, i) => ({ name: `Item ${sku}`, sku, price: 10 + i, stock: 1_000_000 }))
        )
        const { connection_id } = await connectShop(container, {
          platform: driver.platform,
          shop,
          tokens: await sandbox().issueTokens(shop.id),
          store,
          settings: { pull_interval_minutes: 1 },
        })
        const { headers } = await adminHeaders(container)

        // The app under test: 2 servers + 2 workers, one public URL (as behind a load balancer).
        const ports = { server1: await freePort(), server2: await freePort(), worker1: await freePort(), worker2: await freePort() }
        const publicUrl = `http://localhost:${ports.server1}`
        const hookUrl = `${publicUrl}${driver.webhookPath}`
        const env = {
          ...process.env,
          ...sandbox().appEnv,
          DATABASE_URL: dbConfig.clientUrl,
          REDIS_URL,
          MARKETPLACE_PUBLIC_URL: publicUrl,
          MARKETPLACE_EVENT_STALE_SECONDS: String(STALE_S),
          MARKETPLACE_TASK_STALE_MS: String(STALE_S * 1000),
          MARKETPLACE_EVENT_RETRY_SCHEDULE: RETRY_SCHEDULE,
          LOG_LEVEL: "warn",
        }
        const restarting = new Map<string, Promise<unknown>>()
        const start = (name: keyof typeof ports) => {
          const mode: AppMode = name.startsWith("server") ? "server" : "worker"
          return startMedusaApp({
            mode,
            env,
            port: ports[name],
            logFile: join(tmpdir(), `bench-chaos-${name}-${process.pid}.log`),
            onSpawn: (child) => children.add(child),
          }).then((app) => {
            apps.set(name, app)
            return app
          })
        }
        const t0 = Date.now()
        await Promise.all((Object.keys(ports) as (keyof typeof ports)[]).map(start))
        log(`4 processes up in ${Math.round((Date.now() - t0) / 1000)} s; ${ORDERS} orders planned`)

        // The delivery process.
        const load = fork(join(__dirname, "chaos-load.js"), [JSON.stringify({ concurrency: CONCURRENCY, deadlineMs: 180_000 })], {
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        })
        if (load.pid) children.add({ pid: load.pid })
        const outcomes = new Map<number, { status: number; attempts: number }>()
        let backlog = 0
        const loadDone = new Promise<void>((resolve) => {
          load.on("message", (m: { type: string; id: number; status: number; attempts: number; queued: number; inFlight: number }) => {
            if (m.type === "result") outcomes.set(m.id, { status: m.status, attempts: m.attempts })
            else if (m.type === "progress") backlog = m.queued + m.inFlight
            else if (m.type === "done") resolve()
          })
          load.on("exit", () => resolve())
        })
        load.send({ type: "targets", urls: [`http://localhost:${ports.server1}${driver.webhookPath}`, `http://localhost:${ports.server2}${driver.webhookPath}`] })

        // The plan: each order's life, walked in rounds (every order's step k, shuffled, before any step k+1).
        const plan: Planned[] = Array.from({ length: ORDERS }, () => {
          let pick = random() * LIVES.reduce((s, l) => s + l.weight, 0)
          const life = LIVES.find((l) => (pick -= l.weight) < 0) ?? LIVES[0]
          return { life }
        })
        const steps: { planned: Planned; step: Step | "create" }[] = []
        const rounds = 1 + Math.max(...LIVES.map((l) => l.steps.length))
        for (let k = 0; k < rounds; k++) {
          steps.push(
            ...shuffle(
              plan.filter((p) => k === 0 || p.life.steps.length >= k).map((p) => ({ planned: p, step: k === 0 ? ("create" as const) : p.life.steps[k - 1] })),
              random
            )
          )
        }
        const duplicatesTotal = Math.max(0, DELIVERIES - steps.length)

        // The chaos actions, each fired once the deliveries reach its (seeded) share of the run.
        type Action = { at: number; kind: "worker" | "server" | "backfill" | "storm"; n: number }
        const actions: Action[] = [
          ...Array.from({ length: WORKER_KILLS }, (_, n) => ({ kind: "worker" as const, n })),
          ...Array.from({ length: SERVER_KILLS }, (_, n) => ({ kind: "server" as const, n })),
          ...[0, 1].map((n) => ({ kind: "backfill" as const, n })),
          ...[0, 1, 2, 3].map((n) => ({ kind: "storm" as const, n })),
        ]
          .map((a) => ({ ...a, at: (0.05 + random() * 0.85) * WINDOW_S * 1000 }))
          .sort((a, b) => a.at - b.at)
        const backfillFrom = new Date(Date.now() - 3600_000)
        const restarts: Promise<unknown>[] = []
        const backfills: string[] = []
        const events: string[] = []
        const fire = async (action: Action) => {
          const note = (s: string) => events.push(`${Math.round((Date.now() - t0) / 1000)}s ${s}`)
          if (action.kind === "worker" || action.kind === "server") {
            const up = () => (Object.keys(ports) as (keyof typeof ports)[]).filter((n) => n.startsWith(action.kind) && apps.has(n))
            // Both of this kind down: the kill waits for the first to be back.
            while (!up().length) await Promise.race([...restarting.values()])
            const names = up()
            const name = names[Math.floor(random() * names.length)]
            const app = apps.get(name)!
            apps.delete(name)
            await killApp(app.child)
            note(`SIGKILL ${name}`)
            const back = start(name).then(() => {
              restarting.delete(name)
              note(`${name} back`)
            })
            restarting.set(name, back)
            restarts.push(back)
          } else if (action.kind === "backfill") {
            // Both backfills over the whole range; the second starts while the first runs (they overlap).
            const server = apps.get("server1") ?? apps.get("server2")
            if (!server) return note("backfill skipped: no server up")
            const res = await axios.post(
              `http://localhost:${server.port}/admin/marketplace/connections/${connection_id}/sync`,
              { from: backfillFrom.toISOString(), to: new Date().toISOString() },
              { headers, validateStatus: () => true }
            )
            note(`backfill ${res.status} ${res.data?.sync_run?.id ?? JSON.stringify(res.data)}`)
            if (res.data?.sync_run?.id) backfills.push(res.data.sync_run.id)
          } else {
            const storms = [
              { operation: "get_order" as const, kind: "rate_limit" as const, count: 40, retry_after: 1 },
              { operation: "list_orders" as const, kind: "rate_limit" as const, count: 20, retry_after: 1 },
              { operation: "get_order" as const, kind: "http_500" as const, count: 15 },
              { operation: "list_orders" as const, kind: "http_503" as const, count: 10 },
            ]
            const storm = storms[action.n % storms.length]
            await sandbox().addFault(storm)
            note(`fault ${storm.operation} ${storm.kind} x${storm.count}`)
          }
        }

        // Walk the lives, delivering each move's push, re-sending some, with the chaos in between.
        const deliveries: Delivery[] = []
        const sendPush = (planned: Planned, order: DriverOrder | null, ret: { id: string; status: ReturnStatus; updated_at: number } | null, batch: Delivery[]) => {
          const push = ret
            ? driver.returnStatusPush(hookUrl, { shopId: shop.id, orderId: planned.id!, returnId: ret.id, status: ret.status, time: ret.updated_at })
            : driver.orderStatusPush(hookUrl, { shopId: shop.id, orderId: order!.id, status: order!.status, time: order!.updated_at })
          const d: Delivery = { id: deliveries.length, push, orderId: planned.id!, returnId: ret?.id, time: ret ? ret.updated_at : order!.updated_at }
          deliveries.push(d)
          batch.push(d)
        }
        const tLoad = Date.now()
        // The chaos runs beside the deliveries, each action at its moment of the window.
        const chaos = (async () => {
          for (const action of actions) {
            const wait = tLoad + action.at - Date.now()
            if (wait > 0) await new Promise((r) => setTimeout(r, wait))
            await fire(action)
          }
        })()
        for (let i = 0; i < steps.length; i += CHUNK) {
          // Paced over the window: chunk i goes out at its share of it.
          const due = tLoad + (WINDOW_S * 1000 * i) / steps.length - Date.now()
          if (due > 0) await new Promise((r) => setTimeout(r, due))
          const batch: Delivery[] = []
          for (const { planned, step } of steps.slice(i, i + CHUNK)) {
            if (step === "create") {
              const order = await sandbox().createOrder(shop.id, {
                status: "unpaid",
                items: SKUS.slice(0, 1 + Math.floor(random() * SKUS.length)).map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 2) })),
              })
              planned.id = order.id
              sendPush(planned, order, null, batch)
            } else if ("order" in step) {
              sendPush(planned, await sandbox().advanceOrder(planned.id!, step.order), null, batch)
            } else if (step.return === "create") {
              const ret = await sandbox().createReturn(planned.id!)
              planned.returnId = ret.id
              sendPush(planned, null, ret, batch)
            } else {
              const status = step.return === "refund" ? driver.refundedReturnStatus : step.return
              sendPush(planned, null, await sandbox().advanceReturn(planned.returnId!, status), batch)
            }
          }
          // Exact re-sends of earlier deliveries, this chunk's share of them.
          const dups = Math.round((duplicatesTotal * Math.min(steps.length, i + CHUNK)) / steps.length) - (deliveries.length - Math.min(steps.length, i + CHUNK))
          for (let k = 0; k < dups; k++) {
            const original = deliveries[Math.floor(random() * deliveries.length)]
            const copy: Delivery = { ...original, id: deliveries.length }
            deliveries.push(copy)
            batch.push(copy)
          }
          load.send({ type: "deliveries", items: shuffle(batch, random).map((d) => ({ id: d.id, body: d.push.body, headers: d.push.headers })) })
          // Back-pressure: the sandbox moves on about as fast as the deliveries go out.
          while (backlog > CHUNK * 2) await new Promise((r) => setTimeout(r, 100))
        }
        await chaos
        load.send({ type: "end" })
        await loadDone
        log(`deliveries sent in ${Math.round((Date.now() - tLoad) / 1000)} s; waiting for ${restarts.length} restarts`)
        await Promise.all(restarts)
        await sandbox().clearFaults()
        log(`chaos: ${events.join("; ")}`)

        // Settle: nothing left to do in the inbox, the outbox or the sync runs (or the timeout).
        const tSettle = Date.now()
        const open = async () => {
          const [, events] = await marketplace.listAndCountMarketplaceEvents({ status: ["pending", "processing", "failed"] }, { take: 1, select: ["id"] })
          const [, tasks] = await marketplace.listAndCountTasks({ status: ["pending", "processing", "failed"] }, { take: 1, select: ["id"] })
          const [, runs] = await marketplace.listAndCountSyncRuns({ status: ["pending", "running"] }, { take: 1, select: ["id"] })
          return { events, tasks, runs }
        }
        let left = await open()
        let lastProgress = Date.now()
        while ((left.events || left.tasks || left.runs) && Date.now() - tSettle < SETTLE_S * 1000) {
          await new Promise((r) => setTimeout(r, 3000))
          left = await open()
          if (Date.now() - lastProgress >= 15_000) {
            // Progress while settling: how the inbox moves, and what holds it up.
            lastProgress = Date.now()
            const counts: string[] = []
            for (const status of ["pending", "processing", "failed", "done"] as const) {
              counts.push(`${status}=${(await marketplace.listAndCountMarketplaceEvents({ status }, { take: 1, select: ["id"] }))[1]}`)
            }
            const errored = await marketplace.listMarketplaceEvents(
              { status: ["pending", "failed"], last_error: { $ne: null } },
              { select: ["last_error"], take: 500 }
            )
            const reasons = new Map<string, number>()
            for (const e of errored) {
              const reason = String(e.last_error).replace(/[0-9A-Z]{10,}/g, "…").slice(0, 90)
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
            }
            const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${n}× ${r}`)
            log(`settling ${Math.round((Date.now() - tSettle) / 1000)} s: ${counts.join(" ")} tasks=${left.tasks} runs=${left.runs}${top.length ? `; errors: ${top.join(" | ")}` : ""}`)
          }
        }
        const settleS = Math.round((Date.now() - tSettle) / 100) / 10
        log(`settled: ${left.events} events, ${left.tasks} tasks, ${left.runs} sync runs still open after ${settleS} s`)

        // The sandbox's final state: the truth.
        const truth = new Map<string, { order: DriverOrder; ret?: { id: string; status: ReturnStatus; external_status: string; refund_amount: number } }>()
        for (const p of plan) {
          if (!p.id) continue
          const order = await sandbox().order(p.id)
          const ret = p.returnId ? await sandbox().return(p.returnId) : undefined
          truth.set(p.id, { order, ret })
        }

        // Medusa's state.
        type Row = Record<string, any>
        const { data: links } = await query.graph({
          entity: "order_link",
          fields: ["id", "external_order_id", "status", "external_status", "external_updated_at", "last_error", "shipment_note", "tracking_number", "order.id"],
          filters: { connection_id },
        })
        const linkOf = new Map((links as Row[]).map((l) => [String(l.external_order_id), l]))
        const { data: returnLinks } = await query.graph({
          entity: "return_link",
          fields: ["id", "external_return_id", "external_order_id", "status", "external_status", "external_updated_at", "refunded_amount"],
          filters: { connection_id },
        })
        const returnLinkOf = new Map((returnLinks as Row[]).map((l) => [String(l.external_return_id), l]))
        const { data: orders } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "status",
            "metadata",
            "order_link.id",
            "fulfillments.id",
            "fulfillments.provider_id",
            "fulfillments.created_at",
            "fulfillments.shipped_at",
            "fulfillments.delivered_at",
            "fulfillments.canceled_at",
            "returns.status",
            "payment_collections.payments.refunds.amount",
          ],
          filters: { sales_channel_id: store.sales_channel_id },
        })
        const ordersOf = new Map<string, Row[]>()
        for (const o of orders as Row[]) {
          const ext = String(o.metadata?.marketplace_order_id ?? "")
          ordersOf.set(ext, [...(ordersOf.get(ext) ?? []), o])
        }
        const orderById = new Map((orders as Row[]).map((o) => [o.id, o]))
        const seconds = (d: unknown) => Math.floor(new Date(String(d)).getTime() / 1000)
        const findings: string[] = []
        const finding = (kind: string, detail: string) => {
          if (findings.filter((f) => f.startsWith(kind)).length < 5) findings.push(`${kind}: ${detail}`)
        }

        const acknowledged = deliveries.filter((d) => (outcomes.get(d.id)?.status ?? 0) >= 200 && (outcomes.get(d.id)?.status ?? 0) < 300)
        const lostIds = new Set<number>()
        for (const d of acknowledged) {
          if (truth.get(d.orderId)?.order.status === "unpaid") continue // never imported while unpaid (import_unpaid off)
          const link = d.returnId ? returnLinkOf.get(d.returnId) : linkOf.get(d.orderId)
          const there = link && (d.returnId || link.order?.id) && seconds(link.external_updated_at) >= d.time
          if (!there) {
            lostIds.add(d.id)
            finding(
              "lost",
              `${d.returnId ? `return ${d.returnId} of ` : ""}order ${d.orderId} at ${d.time}: ${
                link ? `Medusa has ${link.status} ${JSON.stringify(link.external_updated_at)}${d.returnId || link.order?.id ? "" : " without an order"}` : "not in Medusa"
              }`
            )
          }
        }
        let duplicateOrders = 0
        for (const [ext, list] of ordersOf) {
          if (ext && list.length > 1) {
            duplicateOrders++
            finding("duplicate", `order ${ext}: ${list.length} Medusa orders ${list.map((o) => o.id).join(", ")}`)
          }
        }
        let orphans = 0
        for (const o of orders as Row[]) {
          if (!o.order_link?.id) {
            orphans++
            finding("orphan", `Medusa order ${o.id} (${o.metadata?.marketplace_order_id ?? "no external id"}) has no order link`)
          }
        }
        for (const l of links as Row[]) {
          if (!l.order?.id || !orderById.has(l.order.id)) {
            orphans++
            finding("orphan", `order link ${l.id} (${l.external_order_id}) has no Medusa order`)
          }
        }
        let doubleRefunds = 0
        let mismatches = 0
        for (const [ext, { order, ret }] of truth) {
          const link = linkOf.get(ext)
          const medusa = link?.order?.id ? orderById.get(link.order.id) : undefined
          if (!link || !medusa) {
            if (order.status !== "unpaid") {
              mismatches++
              finding("mismatch", `order ${ext} is ${order.external_status} on the platform and not in Medusa`)
            }
            continue
          }
          // A paid order cancelled on the platform is refunded to the buyer in full (Medusa's cancellation refunds
          // the captured payment); otherwise what the accepted return refunded.
          const platformRefunded =
            order.status === "cancelled"
              ? order.total
              : ret && ["accepted", "refunded", "closed"].includes(ret.status)
                ? ret.refund_amount
                : 0
          const refunds = (medusa.payment_collections ?? []).flatMap((pc: Row) => (pc.payments ?? []).flatMap((p: Row) => (p.refunds ?? []).map((r: Row) => Number(r.amount))))
          const refunded = refunds.reduce((a: number, b: number) => a + b, 0)
          if (refunded > platformRefunded + 0.005) {
            doubleRefunds++
            finding("double refund", `order ${ext}: Medusa refunded ${refunds.join(" + ")}, the platform ${platformRefunded}`)
          }
          const shipped = (medusa.fulfillments ?? []).some((f: Row) => f.shipped_at && !f.canceled_at)
          const delivered = (medusa.fulfillments ?? []).some((f: Row) => f.delivered_at && !f.canceled_at)
          const wrong: string[] = []
          if (link.external_status !== order.external_status) wrong.push(`link ${link.external_status}`)
          if ((order.status === "cancelled") !== (medusa.status === "canceled")) wrong.push(`Medusa order ${medusa.status}`)
          if (["shipped", "delivered", "completed", "in_return"].includes(order.status) && !shipped) wrong.push("not shipped in Medusa")
          if (["paid", "processed", "cancel_requested", "cancelled"].includes(order.status) && shipped) wrong.push("shipped in Medusa")
          if (["delivered", "completed"].includes(order.status) && !delivered) wrong.push("not delivered in Medusa")
          if (order.status === "completed" && medusa.status !== "completed") wrong.push(`Medusa order ${medusa.status}, not completed`)
          if (ret) {
            const rl = returnLinkOf.get(ret.id)
            if (!rl) wrong.push(`return ${ret.id} not in Medusa`)
            else if (rl.external_status !== ret.external_status) wrong.push(`return link ${rl.external_status}, platform ${ret.external_status}`)
            if (platformRefunded && refunded + 0.005 < platformRefunded) wrong.push(`refunded ${refunded} of ${platformRefunded}`)
            if (platformRefunded && !(medusa.returns ?? []).some((r: Row) => r.status === "received")) wrong.push("no received Medusa return")
          }
          if (wrong.length) {
            mismatches++
            // What Medusa holds of it, to tell where its import stopped.
            const held = (medusa.fulfillments ?? []).map((f: Row) =>
              [f.id, f.provider_id, f.shipped_at ? "shipped" : "", f.delivered_at ? "delivered" : "", f.canceled_at ? "canceled" : ""].filter(Boolean).join(" ")
            )
            finding(
              "mismatch",
              `order ${ext} (${order.external_status}${ret ? `, return ${ret.external_status}` : ""}): ${wrong.join(", ")} ` +
                `[Medusa ${medusa.id} ${medusa.status}; fulfilments: ${held.join("; ") || "none"}; link ${link.status} at ${JSON.stringify(link.external_updated_at)}` +
                `, tracking ${link.tracking_number ?? "none"}${link.shipment_note ? `, shipment note: ${link.shipment_note}` : ""}` +
                `${link.last_error ? `, last error: ${link.last_error}` : ""}]`
            )
          }
        }
        const [, stuckEvents] = await marketplace.listAndCountMarketplaceEvents({ status: "processing" }, { take: 1, select: ["id"] })
        const [, stuckTasks] = await marketplace.listAndCountTasks({ status: "processing" }, { take: 1, select: ["id"] })
        const [, failedEvents] = await marketplace.listAndCountMarketplaceEvents({ status: ["failed", "dead"] }, { take: 1, select: ["id"] })
        const byStatus: Record<string, number> = {}
        for (const status of ["pending", "processing", "failed", "dead", "done", "ignored"] as const) {
          byStatus[status] = (await marketplace.listAndCountMarketplaceEvents({ status }, { take: 1, select: ["id"] }))[1]
        }
        const [oldestProcessing] = await marketplace.listMarketplaceEvents(
          { status: "processing" },
          { take: 1, select: ["id", "processing_started_at", "attempts"], order: { processing_started_at: "ASC" } }
        )
        log(
          `inbox by status: ${JSON.stringify(byStatus)}${
            oldestProcessing ? `; oldest processing since ${new Date(String(oldestProcessing.processing_started_at)).toISOString()} (attempts ${oldestProcessing.attempts})` : ""
          }; now ${new Date().toISOString()}`
        )
        const failedSample = failedEvents
          ? (await marketplace.listMarketplaceEvents({ status: ["failed", "dead"] }, { take: 3, select: ["id", "status", "last_error"] })).map((e) => `${e.status}: ${e.last_error}`)
          : []
        const runs = await marketplace.listSyncRuns({ id: backfills }, { select: ["id", "status", "created", "updated", "failed"] })

        for (const f of findings) log(f)
        log(
          `orders=${plan.filter((p) => p.id).length} distinct=${steps.length} duplicates=${deliveries.length - steps.length} retried=${[...outcomes.values()].filter((o) => o.attempts > 1).length} rejected=${
            [...outcomes.values()].filter((o) => o.status >= 400 && o.status < 500).length
          } unanswered=${deliveries.length - acknowledged.length} failed_events=${failedEvents} medusa_orders=${orders.length} links=${links.length} backfills=${runs
            .map((r) => `${r.status}(${(r as Row).created}/${(r as Row).updated}/${(r as Row).failed})`)
            .join(",")}`
        )
        for (const s of failedSample) log(`failed event ${s}`)
        await stopAll()
        load.kill()
        console.log(
          `bench:chaos deliveries=${deliveries.length} acknowledged=${acknowledged.length} lost=${lostIds.size} duplicate_orders=${duplicateOrders} orphans=${orphans} double_refunds=${doubleRefunds} state_mismatches=${mismatches} stuck=${
            stuckEvents + stuckTasks
          } settle_s=${settleS}`
        )
        // The checks fail the run (npm run test:chaos exits non-zero), after the closing line is printed.
        expect({ lost: lostIds.size, duplicateOrders, orphans, doubleRefunds, mismatches, stuck: stuckEvents + stuckTasks }).toEqual({
          lost: 0,
          duplicateOrders: 0,
          orphans: 0,
          doubleRefunds: 0,
          mismatches: 0,
          stuck: 0,
        })
      })
    },
  })
})
