/**
 * bench:stock — how fast a stock change in Medusa reaches a shop, and in how few calls, for one platform.
 *
 * Runs under jest with @medusajs/test-utils' runner, which creates a fresh database, migrates it, boots the
 * whole Medusa app from this repository (module, subscribers, jobs, workflows) and drops the database at the
 * end. The platform's sandbox runs in the same process; the app's provider talks to it over HTTP.
 *
 *   npm run bench:stock                      # Shopee, 200 changes over 20 variants at 20 changes/s, burst of 100
 *   BENCH_CHANGES=60 npm run bench:stock -- --platform tiktok-shop
 *   BENCH_CHANGES=500 BENCH_VARIANTS=50 BENCH_RATE=50 npm run bench:stock -- --platform lazada
 *
 * `--platform` (BENCH_PLATFORM: shopee, tiktok-shop or lazada; shopee by default) picks the platform's sandbox
 * driver (integration-tests/platforms); an unknown name is refused with the known ones. The shop's listings are
 * made with `driver.createListings` (listings of up to 10 variants, as shops list variations, plus one single-unit
 * listing for the burst), then the listing sync matches them to the store's variants.
 * Phase 1: BENCH_CHANGES inventory level updates spread over BENCH_VARIANTS variants, one every 1000/BENCH_RATE
 * ms. Each change sets a new, increasing quantity; its latency is the time from the start of the Medusa change to
 * the sandbox receiving that value or a later one for the same SKU (`driver.stockUpdates`: each sandbox's own
 * record of the stock values it accepted, with their arrival times — Shopee's stock history, TikTok Shop's
 * inventory updates, Lazada's UpdatePriceQuantity calls).
 * A change whose value has not arrived 120 s after the last change is lost.
 * Phase 2: BENCH_BURST changes to one SKU fired within one second; once the shop holds Medusa's final available
 * quantity (or 120 s passed) and nothing moved for 3 s, counts the stock calls for its listing (`driver.stockCalls`)
 * and checks that the shop ends with that quantity.
 *
 * Closing line: `bench:stock platform=.. changes=.. p50_ms=.. p95_ms=.. burst_calls=.. last_value_ok=..` (plus
 * max_ms, calls: the stock calls of phase 1, lost, burst_changes). Targets: p95_ms <= 1500, burst_calls <= 3,
 * last_value_ok=1, lost=0.
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { updateInventoryLevelsWorkflow } from "@medusajs/medusa/core-flows"
import type MarketplaceModuleService from "../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../src/modules/marketplace/types"
import { syncListingsWorkflow } from "../src/workflows/listings/workflows/sync-listings"
import { connectDriverShop, seedStore } from "../integration-tests/helpers/store"
import { driverFor, useSandbox, type DriverListingInput, type DriverStockUpdate } from "../integration-tests/platforms"

const PLATFORM = process.env.BENCH_PLATFORM ?? "shopee"
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200)
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 20)
const RATE = Number(process.env.BENCH_RATE ?? 20)
const BURST = Number(process.env.BENCH_BURST ?? 100)
const VARIANTS_PER_LISTING = 10
/** How long a change may take to reach the shop before it counts as lost. */
const SETTLE_MS = 120_000

jest.setTimeout(30 * 60_000)

const driver = useSandbox(driverFor(PLATFORM, "--platform"))
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
      driver.reset()
      const store = await seedStore(container, [...skus, burstSku], { stock: 10 })
      const { connection_id, shop_id } = await connectDriverShop(container, driver, store)
      const listings: DriverListingInput[] = []
      for (let i = 0; i < skus.length; i += VARIANTS_PER_LISTING) {
        const group = skus.slice(i, i + VARIANTS_PER_LISTING)
        listings.push({
          name: `Bench item ${i / VARIANTS_PER_LISTING}`,
          sku: `BENCH-ITEM-${i / VARIANTS_PER_LISTING}`,
          option: "Variant",
          variants: group.map((sku) => ({ sku, name: sku, price: 10, stock: 10 })),
        })
      }
      listings.push({ name: "Burst item", sku: burstSku, price: 10, stock: 10 })
      const created = driver.createListings(shop_id, listings)
      const burstListingId = created[created.length - 1].id
      await syncListingsWorkflow(container).run({ input: { connection_id } })

      const setStock = (sku: string, stocked: number) =>
        updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: [{ inventory_item_id: store.variants[sku].inventory_item_id, location_id: store.stock_location_id, stocked_quantity: stocked }],
          },
        })
      const settle = async (quietMs: number) => {
        let quietSince = Date.now()
        let lastCalls = driver.calls().length
        for (;;) {
          await sleep(200)
          const open = await marketplace.listTasks({ status: ["pending", "processing", "failed"] }, { select: ["id"] })
          if (driver.calls().length !== lastCalls || open.length) {
            lastCalls = driver.calls().length
            quietSince = Date.now()
          } else if (Date.now() - quietSince >= quietMs) {
            return
          }
        }
      }
      /** Polls `done` until it holds or `ms` pass: the pushes come from subscribers, well after the changes commit. */
      const waitUntil = async (done: () => boolean, ms: number) => {
        for (const until = Date.now() + ms; !done() && Date.now() < until; ) await sleep(200)
      }
      const stockCallCount = () => driver.calls("update_stock").filter((c) => c.shop_id === shop_id).length

      // Phase 1: latency.
      driver.resetCalls()
      const updatesStart = driver.stockUpdates(shop_id).length
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
      const arrivalOf = (c: (typeof changes)[number], arrivals: DriverStockUpdate[]) =>
        arrivals.find((e) => e.sku === c.sku && e.stock >= c.value && e.received_at >= c.at)
      // Every change's value (or a later one) in the shop, or SETTLE_MS without: then it is lost.
      await waitUntil(() => {
        const arrivals = driver.stockUpdates(shop_id).slice(updatesStart)
        return changes.every((c) => arrivalOf(c, arrivals))
      }, SETTLE_MS)
      await settle(3000)
      const arrivals = driver.stockUpdates(shop_id).slice(updatesStart)
      const latencies = changes.map((c) => {
        const arrival = arrivalOf(c, arrivals)
        return arrival ? arrival.received_at - c.at : Number.POSITIVE_INFINITY
      })
      const sorted = [...latencies].sort((a, b) => a - b)
      const phase1Calls = stockCallCount()
      const lost = latencies.filter((l) => !Number.isFinite(l)).length

      // Phase 2: a burst on one SKU within one second.
      driver.resetCalls()
      const burstStart = Date.now()
      const burst: Promise<unknown>[] = []
      for (let k = 0; k < BURST; k++) {
        const wait = burstStart + (k * 1000) / BURST - Date.now()
        if (wait > 0) await sleep(wait)
        burst.push(setStock(burstSku, 5000 + k).catch(() => undefined))
      }
      await Promise.all(burst)
      const { data } = await query.graph({
        entity: "inventory_level",
        fields: ["stocked_quantity", "reserved_quantity"],
        filters: { inventory_item_id: store.variants[burstSku].inventory_item_id, location_id: store.stock_location_id },
      })
      const level = data[0] as unknown as { stocked_quantity: number; reserved_quantity: number }
      const expected = Number(level.stocked_quantity) - Number(level.reserved_quantity)
      // Medusa's final quantity in the shop (or SETTLE_MS without it), then quiet: no later push.
      await waitUntil(() => driver.variant(shop_id, burstSku).stock === expected, SETTLE_MS)
      await settle(3000)
      const burstCalls = driver.stockCalls({ shopId: shop_id, listingId: burstListingId }).length
      const shopValue = driver.variant(shop_id, burstSku).stock
      const lastValueOk = shopValue === expected ? 1 : 0

      const line =
        `bench:stock platform=${driver.platform} changes=${CHANGES} p50_ms=${percentile(sorted, 50)} p95_ms=${percentile(sorted, 95)} ` +
        `max_ms=${sorted[sorted.length - 1]} calls=${phase1Calls} lost=${lost} burst_changes=${BURST} ` +
        `burst_calls=${burstCalls} last_value_ok=${lastValueOk}`
      process.stdout.write(
        `\nstock bench (${driver.displayName}): ${CHANGES} changes over ${VARIANTS} variants at ${RATE}/s; burst of ${BURST} on one SKU ` +
          `(shop holds ${shopValue}, Medusa ${expected})\n${line}\n`
      )
      expect(lost).toBe(0)
    })
  },
})
