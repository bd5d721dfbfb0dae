import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(60000)

const KEY = Buffer.alloc(32, 7).toString("base64")
const DAY = 86_400_000

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: KEY },
  testSuite: ({ service }) => {
    describe("history retention", () => {
      it("deletes old done and ignored events and old done tasks, and keeps everything that failed, died or waits", async () => {
        const connection = await service.createConnections({ platform: "shopee", external_shop_id: "1", name: "Shop" })
        const old = new Date(Date.now() - 40 * DAY)
        const recent = new Date(Date.now() - 2 * DAY)
        const event = (key: string, status: string, received_at: Date) => ({
          platform: "shopee",
          idempotency_key: key,
          type: "order.status_changed",
          status: status as never,
          received_at,
        })
        await service.createMarketplaceEvents([
          event("old-done", "done", old),
          event("old-ignored", "ignored", old),
          event("old-failed", "failed", old),
          event("old-dead", "dead", old),
          event("old-pending", "pending", old),
          event("recent-done", "done", recent),
        ])
        const task = (key: string, status: string, completed_at: Date | null) => ({
          connection_id: connection.id,
          kind: "push_stock",
          coalescing_key: key,
          status: status as never,
          completed_at,
        })
        await service.createTasks([
          task("old-done", "done", new Date(Date.now() - 100 * DAY)),
          task("recent-done", "done", recent),
          task("old-dead", "dead", null),
          task("old-held", "held", null),
        ])

        const pruned = await service.pruneHistory({
          eventsBefore: new Date(Date.now() - 30 * DAY),
          tasksBefore: new Date(Date.now() - 90 * DAY),
          batchSize: 1, // several batches
        })
        expect(pruned).toEqual({ events: 2, tasks: 1 })
        const events = await service.listMarketplaceEvents({}, { select: ["idempotency_key"] })
        expect(events.map((e) => e.idempotency_key).sort()).toEqual(["old-dead", "old-failed", "old-pending", "recent-done"])
        const tasks = await service.listTasks({}, { select: ["coalescing_key"] })
        expect(tasks.map((t) => t.coalescing_key).sort()).toEqual(["old-dead", "old-held", "recent-done"])

        // Nothing more to prune: a second run deletes nothing.
        expect(
          await service.pruneHistory({ eventsBefore: new Date(Date.now() - 30 * DAY), tasksBefore: new Date(Date.now() - 90 * DAY) })
        ).toEqual({ events: 0, tasks: 0 })
      })
    })
  },
})
