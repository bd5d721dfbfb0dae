import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(120000)

const KEY = Buffer.alloc(32, 7).toString("base64")
const DAY = 86_400_000

type Claimed = { id: string; attempts: number }

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: {
    encryptionKey: KEY,
    eventRetrySchedule: [60],
    eventStaleSeconds: 600,
    eventRetentionDays: 30,
    taskStaleMs: 60_000,
    taskRetentionDays: 90,
  },
  testSuite: ({ service }) => {
    const event = (key: string, extra: Record<string, unknown> = {}) => ({
      platform: "shopee",
      idempotency_key: key,
      type: "order.status_changed",
      status: "pending" as never,
      received_at: new Date(),
      ...extra,
    })
    const claim = (limit: number) => service.claimQueue<Claimed>("event", { columns: ["attempts"], limit })
    const statusOf = async (id: string) =>
      (await service.retrieveMarketplaceEvent(id, { select: ["status", "attempts", "next_attempt_at", "last_error"] }))

    describe("settings", () => {
      it("exposes the validated settings without the encryption keys", () => {
        const settings = service.settings()
        expect(settings).toMatchObject({ eventRetrySchedule: [60], eventStaleSeconds: 600, taskRetentionDays: 90 })
        expect(settings).not.toHaveProperty("encryptionKey")
        expect(settings).not.toHaveProperty("previousEncryptionKeys")
        expect(JSON.stringify(settings)).not.toContain(KEY)
      })
    })

    describe("the queue primitive", () => {
      it("never hands the same row to two claimers running at once", async () => {
        const created = await service.createMarketplaceEvents(
          Array.from({ length: 200 }, (_, i) => event(`due-${i}`, { received_at: new Date(Date.now() - (200 - i) * 1000) }))
        )
        const seen: string[] = []
        for (let round = 0; round < 10; round++) {
          const batches = await Promise.all(Array.from({ length: 4 }, () => claim(25)))
          const ids = batches.flat().map((row) => row.id)
          seen.push(...ids)
          if (!ids.length) break
        }
        expect(new Set(seen).size).toBe(seen.length)
        expect([...seen].sort()).toEqual(created.map((e) => e.id).sort())
        const rows = await service.listMarketplaceEvents({}, { select: ["status", "attempts"] })
        expect(rows.every((row) => row.status === "processing" && row.attempts === 1)).toBe(true)
        // Nothing is due any more.
        expect(await claim(500)).toEqual([])
      })

      it("claims an order's due events together and leaves an order another worker is processing", async () => {
        const at = (s: number) => new Date(Date.now() - s * 1000)
        const [a1, b1, a2, c1, a3] = await service.createMarketplaceEvents([
          event("a1", { connection_id: "con", external_order_id: "A", received_at: at(50) }),
          event("b1", { connection_id: "con", external_order_id: "B", received_at: at(40) }),
          event("a2", { connection_id: "con", external_order_id: "A", received_at: at(30) }),
          event("c1", { connection_id: "con", external_order_id: "C", received_at: at(20) }),
          event("a3", { connection_id: "con", external_order_id: "A", received_at: at(10) }),
        ])
        // A limit of one takes the oldest event, and with it every due event of its order.
        const first = await service.claimInboxEvents({ limit: 1 })
        expect(first.map((e) => e.id).sort()).toEqual([a1.id, a2.id, a3.id].sort())
        // A new event about A while A is being processed waits for that worker; B and C are free.
        const [a4] = await service.createMarketplaceEvents([event("a4", { connection_id: "con", external_order_id: "A", received_at: at(60) })])
        const second = await service.claimInboxEvents({ limit: 10 })
        expect(second.map((e) => e.id).sort()).toEqual([b1.id, c1.id].sort())
        await service.settleQueue("event", first.map((e) => ({ id: e.id, ok: true as const })))
        expect((await service.claimInboxEvents({ limit: 10 })).map((e) => e.id)).toEqual([a4.id])
      })

      it("requeues a contended row in moments without counting the attempt or touching its last error", async () => {
        const [row] = await service.createMarketplaceEvents([event("contended", { last_error: "earlier failure" })])
        const [claimed] = await claim(1)
        expect(claimed.attempts).toBe(1)
        const settled = await service.settleQueue("event", [{ id: row.id, ok: false, requeueMs: 300 }])
        expect(settled).toEqual(expect.objectContaining({ done: 0, failed: 0, dead: 0, requeued: 1 }))
        const after = await statusOf(row.id)
        expect(after).toEqual(expect.objectContaining({ status: "pending", attempts: 0, last_error: "earlier failure" }))
        const dueIn = new Date(after.next_attempt_at as Date).getTime() - Date.now()
        expect(dueIn).toBeGreaterThan(0)
        expect(dueIn).toBeLessThanOrEqual(300)
        expect(await claim(1)).toEqual([])
        expect((await service.nextPendingInboxEventAt())?.getTime()).toBe(new Date(after.next_attempt_at as Date).getTime())
        await new Promise((r) => setTimeout(r, 350))
        expect((await claim(1)).map((r) => [r.id, r.attempts])).toEqual([[row.id, 1]])
      })

      it("retries a failure after the backoff, then marks it dead after the last attempt", async () => {
        const [created] = await service.createMarketplaceEvents([event("retry-me")])
        const [first] = await claim(10)
        expect(first).toMatchObject({ id: created.id, attempts: 1 })

        const before = Date.now()
        expect(
          await service.settleQueue("event", [{ id: created.id, ok: false, attempts: first.attempts, error: "timeout" }])
        ).toMatchObject({ done: 0, failed: 1, dead: 0 })
        const failed = await statusOf(created.id)
        expect(failed).toMatchObject({ status: "failed", last_error: "timeout" })
        const wait = new Date(failed.next_attempt_at as Date).getTime() - before
        expect(wait).toBeGreaterThanOrEqual(59_000)
        expect(wait).toBeLessThanOrEqual(61_000)
        // Not due yet: no claimer takes it.
        expect(await claim(10)).toEqual([])

        await service.updateMarketplaceEvents({ id: created.id, next_attempt_at: new Date(Date.now() - 1000) })
        const [second] = await claim(10)
        expect(second).toMatchObject({ id: created.id, attempts: 2 })
        expect(
          await service.settleQueue("event", [{ id: created.id, ok: false, attempts: second.attempts, error: "timeout again" }])
        ).toMatchObject({ done: 0, failed: 0, dead: 1, next_retry_at: null })
        expect(await statusOf(created.id)).toMatchObject({ status: "dead", next_attempt_at: null, last_error: "timeout again" })
        await service.updateMarketplaceEvents({ id: created.id, next_attempt_at: new Date(Date.now() - 1000) })
        expect(await claim(10)).toEqual([])
      })

      it("takes over a row a dead worker left processing, and the late worker's outcome does not overwrite it", async () => {
        const [created] = await service.createMarketplaceEvents([event("abandoned")])
        await claim(10)
        // Still within the stale timeout: nobody takes it.
        expect(await claim(10)).toEqual([])

        await service.updateMarketplaceEvents({ id: created.id, processing_started_at: new Date(Date.now() - 11 * 60_000) })
        const [takenOver] = await claim(10)
        expect(takenOver).toMatchObject({ id: created.id, attempts: 2 })
        await service.settleQueue("event", [{ id: created.id, ok: true }])
        expect(await statusOf(created.id)).toMatchObject({ status: "done" })

        // The first worker wakes up and reports a failure: the row is no longer processing, nothing changes.
        await service.settleQueue("event", [{ id: created.id, ok: false, attempts: 1, error: "late" }])
        expect(await statusOf(created.id)).toMatchObject({ status: "done", last_error: null })
      })

      it("requeues stale outbox tasks as failed and due now", async () => {
        const connection = await service.createConnections({ platform: "shopee", external_shop_id: "1", name: "Shop" })
        const task = (key: string, processing_started_at: Date) => ({
          connection_id: connection.id,
          kind: "push_stock",
          coalescing_key: key,
          status: "processing" as never,
          processing_started_at,
        })
        const [stale, fresh] = await service.createTasks([
          task("stale", new Date(Date.now() - 2 * 60_000)),
          task("fresh", new Date()),
        ])
        const ids = await service.requeueStaleQueue("task", { where: { sql: "kind in (?)", params: ["push_stock"] } })
        expect(ids).toEqual([stale.id])
        const rows = await service.listTasks({}, { select: ["id", "status", "next_attempt_at"] })
        const byId = new Map(rows.map((row) => [row.id, row]))
        expect(byId.get(stale.id)).toMatchObject({ status: "failed" })
        expect(new Date(byId.get(stale.id)!.next_attempt_at as Date).getTime()).toBeLessThanOrEqual(Date.now())
        expect(byId.get(fresh.id)).toMatchObject({ status: "processing" })
      })

      it("times a push by its key: quiet after the quiet delay, busy after the full delay; concurrent enqueues make one pending task", async () => {
        const connection = await service.createConnections({ platform: "shopee", external_shop_id: "2", name: "Shop" })
        const push = (key: string, listing_id: string) =>
          service.enqueuePushTask({
            kind: "push_stock",
            connection_id: connection.id,
            listing_id,
            coalescing_key: key,
            reason: "test",
            delayMs: 1000,
            quietMs: 250,
          })
        const timing = async (id: string) => {
          const row = await service.retrieveTask(id, { select: ["status", "payload", "created_at", "next_attempt_at"] })
          return {
            status: row.status,
            payload: row.payload as { quiet?: boolean; changes?: number },
            wait: new Date(row.next_attempt_at as Date).getTime() - new Date(row.created_at).getTime(),
          }
        }

        // Quiet: nothing of the key anywhere.
        const first = await push("push_stock:a", "lst_a")
        expect(first).toEqual({ id: expect.any(String), inserted: true, due_in_ms: 250 })
        expect(await timing(first!.id)).toMatchObject({ status: "pending", wait: 250, payload: { quiet: true, changes: 1 } })
        // A second change: folded, and the task now waits the full delay from its first change.
        const second = await push("push_stock:a", "lst_a")
        expect(second).toEqual({ id: first!.id, inserted: false, due_in_ms: expect.any(Number) })
        expect(second!.due_in_ms).toBeGreaterThan(250)
        expect(second!.due_in_ms).toBeLessThanOrEqual(1000)
        expect(await timing(first!.id)).toMatchObject({ wait: 1000, payload: { quiet: false, changes: 2 } })
        // A third: folded, its time stays.
        expect(await push("push_stock:a", "lst_a")).toEqual({ id: first!.id, inserted: false, due_in_ms: null })

        // In flight: a new change is a new pending task, busy.
        await service.updateTasks({ id: first!.id, status: "processing" })
        const during = await push("push_stock:a", "lst_a")
        expect(during).toEqual({ id: expect.any(String), inserted: true, due_in_ms: 1000 })
        expect(during!.id).not.toBe(first!.id)
        // Just pushed (a change within the quiet time): busy too.
        await service.updateTasks([
          { id: first!.id, status: "done" },
          { id: during!.id, status: "done" },
        ])
        expect(await push("push_stock:a", "lst_a")).toMatchObject({ inserted: true, due_in_ms: 1000 })

        // Concurrent enqueues of a quiet key: one pending task, every change folded into it.
        const results = await Promise.all(Array.from({ length: 6 }, () => push("push_stock:b", "lst_b")))
        const ids = new Set(results.map((r) => r?.id ?? null))
        const pending = await service.listTasks({ coalescing_key: "push_stock:b" }, { select: ["id", "status", "payload"] })
        expect(pending).toHaveLength(1)
        expect(pending[0].status).toBe("pending")
        // null: a lost insert race, which the enqueue step retries as a fold.
        expect([...ids].filter(Boolean)).toEqual([pending[0].id])
        const inserted = results.filter((r) => r?.inserted)
        expect(inserted).toHaveLength(1)
        const folded = results.filter((r) => r && !r.inserted).length
        expect((pending[0].payload as { changes: number }).changes).toBe(1 + folded)
      })

      it("deletes settled rows older than the retention days and keeps the rest", async () => {
        const old = new Date(Date.now() - 31 * DAY)
        const recent = new Date(Date.now() - 29 * DAY)
        await service.createMarketplaceEvents([
          event("old-done", { status: "done", received_at: old }),
          event("old-ignored", { status: "ignored", received_at: old }),
          event("old-dead", { status: "dead", received_at: old }),
          event("old-failed", { status: "failed", received_at: old }),
          event("recent-done", { status: "done", received_at: recent }),
        ])
        expect(await service.pruneQueue("event", { batchSize: 1 })).toBe(2)
        const left = await service.listMarketplaceEvents({}, { select: ["idempotency_key"] })
        expect(left.map((e) => e.idempotency_key).sort()).toEqual(["old-dead", "old-failed", "recent-done"])
        expect(await service.pruneQueue("event")).toBe(0)
      })
    })
  },
})
