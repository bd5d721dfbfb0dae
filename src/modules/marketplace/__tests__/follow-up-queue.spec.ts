import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { MikroORM } from "@medusajs/framework/mikro-orm/core"
import type { AbstractSqlDriver } from "@medusajs/framework/mikro-orm/knex"
import { Migration20261201070538 } from "../migrations/Migration20261201070538"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(120000)

const KEY = Buffer.alloc(32, 7).toString("base64")

type Claimed = { id: string; fulfillment_id: string; attempts: number }

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: KEY, followUpBackoffSeconds: [30, 60], followUpMaxAttempts: 3 },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const claim = (limit: number) =>
      service.claimQueue<Claimed>("follow_up", { columns: ["fulfillment_id", "attempts"], limit })
    const rowOf = async (fulfillmentId: string) =>
      (await service.listFulfillmentFollowUps({ fulfillment_id: fulfillmentId }))[0]
    const enqueue = (fulfillmentId: string, next_attempt_at?: Date) =>
      service.enqueueFulfillmentFollowUp({
        fulfillment_id: fulfillmentId,
        connection_id: "mpcon_1",
        external_order_id: `SN-${fulfillmentId}`,
        next_attempt_at,
      })

    describe("the follow-up queue", () => {
      it("never hands the same follow-up to 4 claimers running at once", async () => {
        for (let i = 0; i < 120; i++) {
          await enqueue(`ful_${i}`, new Date(Date.now() - (120 - i) * 1000))
        }
        const seen: string[] = []
        for (let round = 0; round < 10; round++) {
          const batches = await Promise.all(Array.from({ length: 4 }, () => claim(10)))
          const ids = batches.flat().map((row) => row.fulfillment_id)
          seen.push(...ids)
          if (!ids.length) break
        }
        expect(seen).toHaveLength(120)
        expect(new Set(seen).size).toBe(120)
        const rows = await service.listFulfillmentFollowUps({}, { select: ["status", "attempts"] })
        expect(rows.every((row) => row.status === "processing" && row.attempts === 1)).toBe(true)
        expect(await claim(500)).toEqual([])
      })

      it("opens one follow-up per fulfilment, first queued one backoff step away; a forced claim takes it at once", async () => {
        const before = Date.now()
        expect(await enqueue("ful_a")).toBe(true)
        expect(await enqueue("ful_a")).toBe(false)
        expect(await service.listFulfillmentFollowUps({ fulfillment_id: "ful_a" })).toHaveLength(1)
        const opened = await rowOf("ful_a")
        expect(opened).toMatchObject({ status: "pending", attempts: 0, connection_id: "mpcon_1", external_order_id: "SN-ful_a" })
        expect(new Date(opened.next_attempt_at as Date).getTime() - before).toBeGreaterThanOrEqual(29_000)

        // Not due: neither the scheduled claim nor an unforced one takes it.
        expect(await claim(10)).toEqual([])
        expect(await service.claimFulfillmentFollowUp("ful_a")).toBeNull()
        const first = await service.claimFulfillmentFollowUp("ful_a", { force: true })
        expect(first).toEqual({ id: opened.id, attempts: 1 })
        // In this worker's hands: nobody else takes it, forced or not.
        expect(await service.claimFulfillmentFollowUp("ful_a", { force: true })).toBeNull()
        expect(await claim(10)).toEqual([])

        await service.settleQueue("follow_up", [{ id: first!.id, ok: false, attempts: 1, error: "tracking number: not yet" }])
        const failed = await rowOf("ful_a")
        expect(failed).toMatchObject({ status: "failed", last_error: "tracking number: not yet" })
        expect(new Date(failed.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now() + 25_000)

        // Due: the scheduled claim takes it; after the last attempt it is dead, and only a forced claim retries it.
        await service.updateFulfillmentFollowUps({ id: opened.id, next_attempt_at: new Date(Date.now() - 1000) })
        const [second] = await claim(10)
        expect(second).toMatchObject({ fulfillment_id: "ful_a", attempts: 2 })
        await service.settleQueue("follow_up", [{ id: opened.id, ok: false, attempts: 2, error: "again" }])
        await service.updateFulfillmentFollowUps({ id: opened.id, next_attempt_at: new Date(Date.now() - 1000) })
        const [third] = await claim(10)
        await service.settleQueue("follow_up", [{ id: opened.id, ok: false, attempts: third.attempts, error: "gave up" }])
        expect(await rowOf("ful_a")).toMatchObject({ status: "dead", next_attempt_at: null, last_error: "gave up" })
        expect(await claim(10)).toEqual([])
        expect(await service.claimFulfillmentFollowUp("ful_a")).toBeNull()
        const retried = await service.claimFulfillmentFollowUp("ful_a", { force: true })
        expect(retried).toEqual({ id: opened.id, attempts: 4 })
        await service.settleQueue("follow_up", [{ id: opened.id, ok: true }])
        expect(await rowOf("ful_a")).toMatchObject({ status: "done", last_error: null })
        expect(await service.claimFulfillmentFollowUp("ful_a", { force: true })).toBeNull()
      })
    })

    describe("the migration", () => {
      const run = async (orm: MikroORM) => {
        const migration = new Migration20261201070538(orm.em.getDriver() as AbstractSqlDriver, orm.config)
        await migration.up()
        for (const sql of migration.getQueries()) {
          await orm.em.getConnection().execute(sql as unknown as string)
        }
      }

      it("runs without a fulfillment table", async () => {
        const orm = MikroOrmWrapper.getOrm()
        await orm.em.getConnection().execute(`drop table if exists fulfillment`)
        await run(orm)
        expect(await service.listFulfillmentFollowUps({})).toEqual([])
      })

      it("moves every open follow-up out of the fulfilments' data, with its attempts, next attempt and last error", async () => {
        const orm = MikroOrmWrapper.getOrm()
        const db = orm.em.getConnection()
        // The Fulfillment module's table, as far as the migration reads it.
        await db.execute(`create table fulfillment (id text primary key, provider_id text, data jsonb, canceled_at timestamptz, deleted_at timestamptz)`)
        try {
          const data = (followUp: Record<string, unknown> | null) =>
            JSON.stringify({ connection_id: "mpcon_1", external_order_id: "SN-1", origin: "medusa", follow_up: followUp })
          const followUp = (attempts: number, next: string | null, error: string | null) => ({
            tracking: true,
            document: true,
            attempts,
            next_attempt_at: next,
            last_error: error,
          })
          const rows: [string, string, string, string | null][] = [
            ["ful_01NEW", "marketplace_marketplace", data(followUp(0, "2030-01-01T00:00:00.000Z", null)), null],
            ["ful_01WAIT", "marketplace_marketplace", data(followUp(3, "2030-01-02T00:00:00.000Z", "not yet")), null],
            ["ful_01SPENT", "marketplace_marketplace", data(followUp(24, null, "gave up")), null],
            ["ful_01DONE", "marketplace_marketplace", data(null), null],
            ["ful_01CANCELED", "marketplace_marketplace", data(followUp(1, "2030-01-01T00:00:00.000Z", null)), "2029-12-01T00:00:00Z"],
            ["ful_01OTHER", "manual_manual", data(followUp(0, "2030-01-01T00:00:00.000Z", null)), null],
          ]
          for (const row of rows) {
            await db.execute(`insert into fulfillment (id, provider_id, data, canceled_at) values (?, ?, ?::jsonb, ?)`, row)
          }
          await run(orm)
          // A second run (the migration retried) adds nothing.
          await run(orm)

          const moved = await service.listFulfillmentFollowUps(
            {},
            { select: ["id", "fulfillment_id", "connection_id", "external_order_id", "status", "attempts", "next_attempt_at", "last_error"] }
          )
          const byFulfillment = Object.fromEntries(moved.map((row) => [row.fulfillment_id, row]))
          expect(Object.keys(byFulfillment).sort()).toEqual(["ful_01NEW", "ful_01SPENT", "ful_01WAIT"])
          expect(byFulfillment.ful_01NEW).toMatchObject({ id: "mpfup_01NEW", status: "pending", attempts: 0, connection_id: "mpcon_1", external_order_id: "SN-1" })
          expect(new Date(byFulfillment.ful_01NEW.next_attempt_at as Date).toISOString()).toBe("2030-01-01T00:00:00.000Z")
          expect(byFulfillment.ful_01WAIT).toMatchObject({ status: "failed", attempts: 3, last_error: "not yet" })
          expect(byFulfillment.ful_01SPENT).toMatchObject({ status: "dead", attempts: 24, next_attempt_at: null, last_error: "gave up" })
        } finally {
          await db.execute(`drop table if exists fulfillment`)
        }
      })
    })
  },
})
