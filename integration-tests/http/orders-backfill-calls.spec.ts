import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { runSyncRun } from "../../src/orchestration/sync-runs/sync-run"
import type { OrderStatus } from "../../src/providers/types"
import { importReadCalls, minImportCalls } from "../helpers/import-calls"
import { setUpDriverStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { drivers, useSandbox } from "../platforms"

jest.setTimeout(600_000)

const SKUS = ["TEE-BLK-M", "MUG-01"]

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ getContainer }) => {
      it("a backfill of a mix of orders makes the fewest platform calls its batch limits allow", async () => {
        const { container, marketplace, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 5000,
          listings: [
            { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 4000 },
            { name: "Mug", sku: "MUG-01", price: 12, stock: 4000 },
          ],
        })
        // 120 orders, their states interleaved over every list page and detail batch (5 new, 3 shipped, 3 in the
        // final status, 1 cancelled in each 12): parcels and settled orders of each detail batch are fewer than a
        // tracking or settlement batch, so only gathering them across batches makes the minimum.
        const pattern: OrderStatus[] = [
          ...Array<OrderStatus>(5).fill("paid"),
          ...Array<OrderStatus>(3).fill("shipped"),
          ...Array<OrderStatus>(3).fill(driver.finalStatus),
          "cancelled",
        ]
        const statuses = Array.from({ length: 120 }, (_, i) => pattern[i % pattern.length])
        const from = new Date(Date.now() - 60_000)
        statuses.forEach((status, i) => {
          driver.createOrders(shopId, {
            count: 1,
            status,
            items: [{ sku: SKUS[i % 2], quantity: 1 + (i % 2) }, ...(i % 3 ? [] : [{ sku: SKUS[(i + 1) % 2], quantity: 1 }])],
          })
        })
        const settled = statuses.filter((s) => s === driver.finalStatus).length
        const parcels = settled + statuses.filter((s) => s === "shipped").length

        driver.resetCalls()
        const run = await marketplace.createSyncRuns({
          connection_id: connectionId,
          kind: "backfill",
          range_from: from,
          range_to: new Date(Date.now() + 1000),
        })
        await runSyncRun(container, run.id)
        const done = await marketplace.retrieveSyncRun(run.id)
        expect(done).toEqual(expect.objectContaining({ status: "completed", seen: 120, failed: 0 }))
        // Every settled order's settlement is stored (by the import, in its batches: no call of its own).
        await waitFor(
          async () =>
            !(await marketplace.listOrderLinks(
              { connection_id: connectionId, status: [driver.finalStatus], escrow_synced_at: null },
              { select: ["id"], take: 1 }
            )).length,
          "the settlement of the settled orders",
          60_000
        )
        // Nothing else trickles in after it (a subscriber's per-order settlement fetch would).
        await new Promise((resolve) => setTimeout(resolve, 1000))

        const { count, byName } = importReadCalls(driver)
        const min = minImportCalls(driver, { orders: statuses.length, parcels, settled })
        expect({ calls: count, by: Object.fromEntries(byName) }).toEqual({ calls: min, by: expect.anything() })
      })
    },
  })
})
