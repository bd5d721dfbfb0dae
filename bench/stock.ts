/**
 * bench:stock — how fast a stock change in Medusa reaches a shop, and in how few calls.
 *
 * Runs under jest with @medusajs/test-utils' runner, which creates a fresh database, migrates it, boots the
 * whole Medusa app from this repository (module, subscribers, jobs, workflows) and drops the database at the
 * end. A Shopee sandbox runs in the same process; the app's Shopee provider talks to it over HTTP.
 *
 *   npm run bench:stock                      # 200 changes over 20 variants at 20 changes/s, burst of 100
 *   BENCH_CHANGES=500 BENCH_VARIANTS=50 BENCH_RATE=50 npm run bench:stock
 *
 * Phase 1: BENCH_CHANGES inventory level updates spread over BENCH_VARIANTS variants (models of items of up to
 * 10 models, as shops list variations), one every 1000/BENCH_RATE ms. Each change sets a new, increasing
 * quantity; its latency is the time from the start of the Medusa change to the sandbox receiving that value or
 * a later one for the same SKU (the sandbox records every update_stock value with its arrival time).
 * Phase 2: BENCH_BURST changes to one SKU fired within one second; counts the update_stock calls for it and
 * checks that the shop ends with Medusa's final available quantity.
 *
 * Closing line: `bench:stock changes=.. p50_ms=.. p95_ms=.. burst_calls=.. last_value_ok=..` (plus calls, max_ms,
 * burst_changes). Targets: p95_ms <= 5000, burst_calls <= 3, last_value_ok=1.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { syncListingsWorkflow } from "../src/workflows/listings/workflows/sync-listings"
import { connectSandboxShop, seedStore, useShopeeSandbox } from "../integration-tests/helpers/shopee"

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200)
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 20)
const RATE = Number(process.env.BENCH_RATE ?? 20)
const BURST = Number(process.env.BENCH_BURST ?? 100)
const MODELS_PER_ITEM = 10
const UPDATE_STOCK = "/api/v2/product/update_stock"

jest.setTimeout(30 * 60_000)

const sandbox = useShopeeSandbox()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("measures stock push latency and burst coalescing", async () => {
      const container: MedusaContainer = getContainer()
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const query = container.resolve(ContainerRegistrationKeys.QUERY)

      const skus = Array.from({ length: VARIANTS }, (_, i) => `BENCH-${String(i).padStart(4, "0")}`)
      const burstSku = "BENCH-BURST"
      const store = await seedStore(container, [...skus, burstSku], { stock: 10 })
      const { connection_id, shop_id } = await connectSandboxShop(container, sandbox(), store)
      const items = []
      for (let i = 0; i < skus.length; i += MODELS_PER_ITEM) {
        const group = skus.slice(i, i + MODELS_PER_ITEM)
        items.push({
          item_name: `Bench item ${i / MODELS_PER_ITEM}`,
          item_sku: `BENCH-ITEM-${i / MODELS_PER_ITEM}`,
          tier_variation: [{ name: "Variant", options: group }],
          models: group.map((sku, m) => ({ model_sku: sku, model_name: sku, tier_index: [m], price: 10, stock: 10 })),
        })
      }
      items.push({ item_name: "Burst item", item_sku: burstSku, price: 10, stock: 10 })
      const seeded = sandbox().seedItems(shop_id, items)
      const burstItemId = seeded[seeded.length - 1].item_id
      await syncListingsWorkflow(container).run({ input: { connection_id } })

      const setStock = (sku: string, stocked: number) =>
        updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: [{ inventory_item_id: store.variants[sku].inventory_item_id, location_id: store.stock_location_id, stocked_quantity: stocked }],
          },
        })
      const settle = async (quietMs: number) => {
        let quietSince = Date.now()
        let lastCalls = sandbox().calls.length
        for (;;) {
          await sleep(200)
          const open = await marketplace.listTasks({ status: ["pending", "processing", "failed"] }, { select: ["id"] })
          if (sandbox().calls.length !== lastCalls || open.length) {
            lastCalls = sandbox().calls.length
            quietSince = Date.now()
          } else if (Date.now() - quietSince >= quietMs) {
            return
          }
        }
      }
      const history = () => sandbox().stockHistory(shop_id).stock_history

      // Phase 1: latency.
      sandbox().resetCalls()
      const historyStart = history().length
      const changes: { sku: string; value: number; at: number }[] = []
      const running: Promise<unknown>[] = []
      const interval = 1000 / RATE
      const started = Date.now()
      for (let i = 0; i < CHANGES; i++) {
        const wait = started + i * interval - Date.now()
        if (wait > 0) await sleep(wait)
        const sku = skus[i % skus.length]
        const value = 1000 + i
        changes.push({ sku, value, at: Date.now() })
        running.push(setStock(sku, value))
      }
      await Promise.all(running)
      await settle(3000)
      const arrivals = history().slice(historyStart).filter((e) => e.accepted)
      const latencies = changes.map((c) => {
        const arrival = arrivals.find((e) => e.sku === c.sku && e.stock >= c.value && e.received_at >= c.at)
        return arrival ? arrival.received_at - c.at : Number.POSITIVE_INFINITY
      })
      const sorted = [...latencies].sort((a, b) => a - b)
      const phase1Calls = sandbox().calls.filter((c) => c.path === UPDATE_STOCK).length
      const lost = latencies.filter((l) => !Number.isFinite(l)).length

      // Phase 2: a burst on one SKU within one second.
      sandbox().resetCalls()
      const burstStart = Date.now()
      const burst: Promise<unknown>[] = []
      for (let k = 0; k < BURST; k++) {
        const wait = burstStart + (k * 1000) / BURST - Date.now()
        if (wait > 0) await sleep(wait)
        burst.push(setStock(burstSku, 5000 + k).catch(() => undefined))
      }
      await Promise.all(burst)
      await settle(3000)
      const burstCalls = sandbox().calls.filter(
        (c) => c.path === UPDATE_STOCK && (c.body as { item_id: number }).item_id === burstItemId
      ).length
      const { data } = await query.graph({
        entity: "inventory_level",
        fields: ["stocked_quantity", "reserved_quantity"],
        filters: { inventory_item_id: store.variants[burstSku].inventory_item_id, location_id: store.stock_location_id },
      })
      const level = data[0] as unknown as { stocked_quantity: number; reserved_quantity: number }
      const expected = Number(level.stocked_quantity) - Number(level.reserved_quantity)
      const shopValue = sandbox().listItems(shop_id).find((i) => i.item_id === burstItemId)?.models[0].stock
      const lastValueOk = shopValue === expected ? 1 : 0

      const line =
        `bench:stock changes=${CHANGES} p50_ms=${percentile(sorted, 50)} p95_ms=${percentile(sorted, 95)} ` +
        `max_ms=${sorted[sorted.length - 1]} calls=${phase1Calls} lost=${lost} burst_changes=${BURST} ` +
        `burst_calls=${burstCalls} last_value_ok=${lastValueOk}`
      process.stdout.write(
        `\nstock bench: ${CHANGES} changes over ${VARIANTS} variants at ${RATE}/s; burst of ${BURST} on one SKU ` +
          `(shop holds ${shopValue}, Medusa ${expected})\n${line}\n`
      )
      expect(lost).toBe(0)
    })
  },
})
