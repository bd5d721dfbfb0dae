import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { pendingStockChanges } from "../../src/orchestration/stock/stock-changes"
import type { MedusaContainer } from "@medusajs/framework/types"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  updateInventoryLevelsWorkflow,
  updateProductVariantsWorkflow,
} from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { updateConnectionWorkflow } from "../../src/workflows/connections/workflows/update-connection"
import { adminHeaders } from "../helpers/admin"
import { connectDriverShop, type SeededStore, setUpDriverStore } from "../helpers/store"
import { drivers, useSandbox, type DriverListing } from "../platforms"

jest.setTimeout(240000)

// Short retry backoff and fewer attempts keep the retry tests quick; the flush delay stays the default 1 s.
process.env.MARKETPLACE_TASK_RETRY_BASE_MS = "200"
process.env.MARKETPLACE_TASK_MAX_ATTEMPTS = "3"

const SKUS = ["TEE-M", "TEE-L", "MUG-01", "AMB-X", "Amb-x ", "LONELY"]

type Listing = {
  id: string
  sku: string | null
  external_item_id: string
  external_model_id: string
  match_status: string
  match_method: string | null
  product_variant?: { id: string } | null
}
type Task = { id: string; status: string; attempts: number; last_error: string | null; result: Record<string, unknown> | null; kind: string }

async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20000, what = "condition"): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value) {
      return value
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let headers: { authorization: string }
      let marketplace: MarketplaceModuleService
      let store: SeededStore
      let connectionId: string
      let shopId: string
      let teeItemId: string

      const setStock = async (sku: string, stocked: number) =>
        updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: [
              { inventory_item_id: store.variants[sku].inventory_item_id, location_id: store.stock_location_id, stocked_quantity: stocked },
            ],
          },
        })

      const listingsBySku = async () => {
        const res = await api.get(`/admin/marketplace/listings?connection_id=${connectionId}&limit=100`, { headers })
        return Object.fromEntries((res.data.listings as Listing[]).map((l) => [l.sku, l]))
      }

      const stockCalls = (itemId?: string) => driver.stockCalls({ listingId: itemId })
      const shopModel = (sku: string) => driver.variant(shopId, sku)
      const tasksOf = async (listingId: string, kind = "push_stock") =>
        (await marketplace.listTasks({ listing_id: listingId, kind }, { order: { created_at: "DESC" } })) as unknown as Task[]
      /** Waits until no push task is waiting or in flight. */
      /** The stock Medusa holds now (concurrent updates commit in any order: the last value is this one). */
      const medusaStock = async (sku: string) => {
        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "inventory_level",
          fields: ["stocked_quantity"],
          filters: { inventory_item_id: store.variants[sku].inventory_item_id },
        })
        return Number((data[0] as unknown as { stocked_quantity: number }).stocked_quantity)
      }

      // Settled: every change this process saw is a task (pendingStockChanges), and every task is sent.
      const settled = () =>
        waitFor(async () => {
          if (pendingStockChanges(container) > 0) return false
          const open = await marketplace.listTasks({ status: ["pending", "processing", "failed"] })
          return open.length === 0 && pendingStockChanges(container) === 0
        }, 60000, "the outbox to settle")

      beforeEach(async () => {
        let tee: DriverListing
        ;({ container, marketplace, store, connectionId, shopId, listings: [tee] } = await setUpDriverStore(getContainer(), driver, {
          skus: SKUS,
          stock: 50,
          listings: [
            {
              name: "Tee",
              sku: "TEE",
              option: "Size",
              variants: [
                { sku: "TEE-M", name: "M", price: 19.9, stock: 5 },
                { sku: "TEE-L", name: "L", price: 19.9, stock: 5 },
              ],
            },
            { name: "Mug", sku: " mug-01 ", price: 12, stock: 5 },
            { name: "Ambiguous", sku: "amb-x", price: 9, stock: 5 },
            { name: "Poster", sku: "NOT-IN-MEDUSA", price: 5, stock: 5 },
            { name: "Lonely", sku: "LONELY", price: 5, stock: 5 },
          ],
        }))
        headers = (await adminHeaders(container)).headers
        teeItemId = tee.id
        const res = await api.post(`/admin/marketplace/connections/${connectionId}/listings/sync`, {}, { headers })
        expect(res.status).toBe(200)
        driver.resetCalls()
      })

      it("syncs listings and matches SKUs exactly, trimmed and case-folded; lists unmatched and ambiguous; links by hand", async () => {
        const listings = await listingsBySku()
        expect(listings["TEE-M"]).toEqual(expect.objectContaining({ match_status: "matched", match_method: "sku", product_variant: expect.objectContaining({ id: store.variants["TEE-M"].id }) }))
        expect(listings["TEE-L"].product_variant?.id).toBe(store.variants["TEE-L"].id)
        expect(listings[" mug-01 "]).toEqual(expect.objectContaining({ match_status: "matched", product_variant: expect.objectContaining({ id: store.variants["MUG-01"].id }) }))
        expect(listings["amb-x"].match_status).toBe("ambiguous")
        expect(listings["NOT-IN-MEDUSA"].match_status).toBe("unmatched")

        const unmatched = await api.get(`/admin/marketplace/listings?status=unmatched`, { headers })
        expect(unmatched.data.listings.map((l: Listing) => l.sku)).toEqual(["NOT-IN-MEDUSA"])
        const open = await api.get(`/admin/marketplace/listings?status[]=unmatched&status[]=ambiguous`, { headers })
        expect(open.data.count).toBe(2)

        // A second sync changes nothing and creates no duplicates.
        const again = await api.post(`/admin/marketplace/connections/${connectionId}/listings/sync`, {}, { headers })
        expect(again.data.summary).toEqual(expect.objectContaining({ seen: 6, created: 0, updated: 6, matched: 4, unmatched: 1, ambiguous: 1 }))

        // Link the ambiguous one by hand: it is matched manually and its stock goes out at once.
        const linked = await api.post(`/admin/marketplace/listings/${listings["amb-x"].id}`, { variant_id: store.variants["AMB-X"].id }, { headers })
        expect(linked.data.listing).toEqual(expect.objectContaining({ match_status: "matched", match_method: "manual" }))
        await waitFor(() => shopModel("amb-x").stock === 50, 10000, "the linked listing's stock")
        // The next SKU sync keeps the manual link.
        await api.post(`/admin/marketplace/connections/${connectionId}/listings/sync`, {}, { headers })
        expect((await listingsBySku())["amb-x"]).toEqual(expect.objectContaining({ match_method: "manual", product_variant: expect.objectContaining({ id: store.variants["AMB-X"].id }) }))

        const bad = await api.post(`/admin/marketplace/listings/${listings["amb-x"].id}`, { variant_id: "variant_nope" }, { headers }).catch((e: { response: unknown }) => e.response)
        expect(bad.status).toBe(400)
        const badBody = await api.post(`/admin/marketplace/listings/${listings["amb-x"].id}`, { colour: "red" }, { headers }).catch((e: { response: unknown }) => e.response)
        expect(badBody.status).toBe(400)
      })

      it("links many listings by SKU at once, all or nothing, and lists listings by id", async () => {
        const listings = await listingsBySku()
        const link = (body: unknown) =>
          api.post(`/admin/marketplace/connections/${connectionId}/listings/link`, body, { headers }).catch((e: { response: unknown }) => e.response as { status: number; data: { message: string } })

        // One unknown SKU: nothing is linked, and the message names it.
        const unknown = await link({
          links: [
            { listing_id: listings["amb-x"].id, variant_sku: "AMB-X" },
            { listing_id: listings["NOT-IN-MEDUSA"].id, variant_sku: "NO-SUCH-SKU" },
          ],
        })
        expect(unknown.status).toBe(400)
        expect(unknown.data.message).toContain("NO-SUCH-SKU")
        expect((await listingsBySku())["amb-x"].match_status).toBe("ambiguous")
        // A listing of no such shop, a repeated listing, an unknown field, no links: 400 as well.
        expect((await link({ links: [{ listing_id: "mplst_nope", variant_sku: "AMB-X" }] })).status).toBe(400)
        expect((await link({ links: [{ listing_id: listings["amb-x"].id, variant_sku: "AMB-X" }, { listing_id: listings["amb-x"].id, variant_sku: "LONELY" }] })).status).toBe(400)
        expect((await link({ links: [{ listing_id: listings["amb-x"].id, variant_sku: "AMB-X", extra: 1 }] })).status).toBe(400)
        expect((await link({ links: [] })).status).toBe(400)
        const noShop = await api
          .post(`/admin/marketplace/connections/mpcon_nope/listings/link`, { links: [{ listing_id: listings["amb-x"].id, variant_sku: "AMB-X" }] }, { headers })
          .catch((e: { response: { status: number } }) => e.response)
        expect(noShop.status).toBe(404)
        expect((await listingsBySku())["amb-x"].match_status).toBe("ambiguous")
        await settled()
        driver.resetCalls()

        const linked = await link({
          links: [
            { listing_id: listings["amb-x"].id, variant_sku: "Amb-x " },
            { listing_id: listings["NOT-IN-MEDUSA"].id, variant_sku: "LONELY" },
          ],
        })
        expect(linked.status).toBe(200)
        const ids = [listings["amb-x"].id, listings["NOT-IN-MEDUSA"].id]
        const byId = await api.get(`/admin/marketplace/listings?${ids.map((id) => `id[]=${id}`).join("&")}`, { headers })
        expect(byId.data.count).toBe(2)
        const after = Object.fromEntries((byId.data.listings as Listing[]).map((l) => [l.sku, l]))
        expect(after["amb-x"]).toEqual(expect.objectContaining({ match_status: "matched", match_method: "manual", product_variant: expect.objectContaining({ id: store.variants["Amb-x "].id }) }))
        expect(after["NOT-IN-MEDUSA"]).toEqual(expect.objectContaining({ match_status: "matched", match_method: "manual", product_variant: expect.objectContaining({ id: store.variants["LONELY"].id }) }))
        // Their stock goes out at once.
        await waitFor(() => shopModel("NOT-IN-MEDUSA").stock === 50 && shopModel("amb-x").stock === 50, 10000, "the linked listings' stock")
      })

      it("counts every stock location mapped to the shop, keeps the zero guard per mapped location, and falls back to the linked location", async () => {
        const {
          result: [overflow],
        } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Overflow" }] } })
        await createInventoryLevelsWorkflow(container).run({
          input: { inventory_levels: [{ inventory_item_id: store.variants["TEE-M"].inventory_item_id, location_id: overflow.id, stocked_quantity: 7 }] },
        })

        // An unknown location and a location mapped twice are refused; nothing changes.
        const unknown = await api
          .post(`/admin/marketplace/connections/${connectionId}`, { warehouses: [{ stock_location_id: "sloc_unknown", external_warehouse_id: null }] }, { headers })
          .catch((e: { response: { status: number } }) => e.response)
        expect(unknown.status).toBe(400)
        const twice = await api
          .post(
            `/admin/marketplace/connections/${connectionId}`,
            { warehouses: [{ stock_location_id: overflow.id, external_warehouse_id: null }, { stock_location_id: overflow.id, external_warehouse_id: null }] },
            { headers }
          )
          .catch((e: { response: { status: number } }) => e.response)
        expect(twice.status).toBe(400)
        expect(await marketplace.listConnectionWarehouses({ connection_id: connectionId })).toHaveLength(0)

        // Both locations feed "the shop" (no warehouse id).
        const mapped = await api.post(
          `/admin/marketplace/connections/${connectionId}`,
          {
            warehouses: [
              { stock_location_id: store.stock_location_id, external_warehouse_id: null },
              { stock_location_id: overflow.id, external_warehouse_id: null },
            ],
          },
          { headers }
        )
        expect(mapped.status).toBe(200)
        expect(mapped.data.connection.warehouses).toHaveLength(2)
        // The linked stock location (orders' reservations and shipping) is unchanged.
        expect(mapped.data.connection.stock_location.id).toBe(store.stock_location_id)

        await setStock("TEE-M", 9)
        await waitFor(() => shopModel("TEE-M").stock === 16, 15000, "the stock of both locations")

        // A change at the second location pushes too.
        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: [{ inventory_item_id: store.variants["TEE-M"].inventory_item_id, location_id: overflow.id, stocked_quantity: 10 }] },
        })
        await waitFor(() => shopModel("TEE-M").stock === 19, 15000, "the second location's change")

        // TEE-L has no level at the second location: its push fails visibly instead of counting it as zero.
        const teeL = (await listingsBySku())["TEE-L"]
        await setStock("TEE-L", 8)
        const [dead] = await waitFor(async () => {
          const tasks = await tasksOf(teeL.id)
          return tasks[0]?.status === "dead" ? tasks : null
        }, 15000, "the TEE-L task to fail")
        expect(dead.last_error).toContain(`has no level at stock location ${overflow.id}`)
        expect(shopModel("TEE-L").stock).toBe(5)

        // Cleared, the linked stock location feeds the shop alone again.
        const cleared = await api.post(`/admin/marketplace/connections/${connectionId}`, { warehouses: [] }, { headers })
        expect(cleared.data.connection.warehouses).toEqual([])
        await setStock("TEE-M", 4)
        await waitFor(() => shopModel("TEE-M").stock === 4, 15000, "the linked location alone")
      })

      it("coalesces many changes into one call carrying the last value, and keeps a push history", async () => {
        await Promise.all([41, 42, 43, 44, 45, 46, 47, 48, 49, 33].map((n) => setStock("TEE-M", n)))
        const listing = (await listingsBySku())["TEE-M"]
        const finalValue = await medusaStock("TEE-M")
        await settled()
        expect(shopModel("TEE-M").stock).toBe(finalValue)
        expect(stockCalls(teeItemId)).toHaveLength(1)

        const history = await api.get(`/admin/marketplace/listings/${listing.id}/history`, { headers })
        expect(history.data.history[0]).toEqual(
          expect.objectContaining({ kind: "push_stock", status: "done", result: expect.objectContaining({ quantity: finalValue }) })
        )
        const stored = await marketplace.retrieveListing(listing.id)
        expect(stored.last_pushed_stock).toBe(finalValue)
        expect(stored.last_pushed_at).toBeTruthy()
      })

      it("pushes a change to a quiet listing after the quiet delay, and still coalesces a burst on a busy one", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        const timing = async () =>
          (await marketplace.listTasks(
            { listing_id: listing.id, kind: "push_stock" },
            { select: ["id", "status", "payload", "created_at", "next_attempt_at"], order: { created_at: "DESC" } }
          )) as unknown as { id: string; status: string; payload: { quiet?: boolean; changes?: number }; created_at: Date; next_attempt_at: Date }[]
        const waitOf = (t: { created_at: Date; next_attempt_at: Date }) => new Date(t.next_attempt_at).getTime() - new Date(t.created_at).getTime()
        const { flushDelayMs, flushQuietMs } = marketplace.settings()
        expect(flushQuietMs).toBeLessThan(flushDelayMs)

        // One change, nothing waiting and no change just before: due after the quiet delay (the database's
        // clock sets both times), one call.
        await setStock("TEE-M", 21)
        await waitFor(() => stockCalls(teeItemId).length === 1, 10000, "the quiet push")
        await settled()
        const [quiet] = await timing()
        expect(quiet).toEqual(expect.objectContaining({ status: "done", payload: expect.objectContaining({ quiet: true, changes: 1 }) }))
        expect(waitOf(quiet)).toBe(flushQuietMs)
        expect(shopModel("TEE-M").stock).toBe(21)
        expect(stockCalls(teeItemId)).toHaveLength(1)

        // A burst: the second change makes the listing busy, so its task waits the full delay from the first
        // change and the burst goes out in few calls carrying the last value.
        await new Promise((r) => setTimeout(r, flushQuietMs + 100))
        driver.resetCalls()
        const before = new Set((await timing()).map((t) => t.id))
        const burst: Promise<unknown>[] = []
        for (let k = 0; k < 30; k++) {
          burst.push(setStock("TEE-M", 100 + k))
          await new Promise((r) => setTimeout(r, 10))
        }
        await Promise.all(burst)
        // Concurrent updates commit in any order: the last value is the one Medusa holds now.
        const finalValue = await medusaStock("TEE-M")
        await settled()
        expect(shopModel("TEE-M").stock).toBe(finalValue)
        expect(stockCalls(teeItemId).length).toBeGreaterThanOrEqual(1)
        expect(stockCalls(teeItemId).length).toBeLessThanOrEqual(3)
        const burstTasks = (await timing()).filter((t) => !before.has(t.id))
        expect(burstTasks.length).toBeGreaterThanOrEqual(1)
        // Its first task was timed as quiet, then moved to the full delay from its first change by the next
        // change; tasks made while a push was in flight wait the full delay from the start.
        const first = burstTasks[burstTasks.length - 1]
        expect(first.payload.changes).toBeGreaterThan(1)
        for (const task of burstTasks) {
          expect(waitOf(task)).toBe(task.payload.quiet ? flushQuietMs : flushDelayMs)
        }
        expect(first.payload.quiet).toBe(false)
      })

      it("batches more than 50 models of one item into two calls", async () => {
        const skus = Array.from({ length: 60 }, (_, i) => `BULK-${String(i).padStart(2, "0")}`)
        await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Bulk",
                status: "published",
                options: [{ title: "SKU", values: skus }],
                variants: skus.map((sku) => ({ title: sku, sku, manage_inventory: true, options: { SKU: sku }, prices: [{ amount: 3, currency_code: "sgd" }] })),
              },
            ],
          },
        })
        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "product_variant",
          fields: ["sku", "inventory_items.inventory_item_id"],
          filters: { sku: skus },
        })
        const itemIds = (data as unknown as { inventory_items: { inventory_item_id: string }[] }[]).map((v) => v.inventory_items[0].inventory_item_id)
        await createInventoryLevelsWorkflow(container).run({
          input: { inventory_levels: itemIds.map((id) => ({ inventory_item_id: id, location_id: store.stock_location_id, stocked_quantity: 7 })) },
        })
        const [bulk] = driver.createListings(shopId, [
          { name: "Bulk", sku: "BULK", option: "SKU", variants: skus.map((sku) => ({ sku, name: sku, price: 3, stock: 1 })) },
        ])
        await api.post(`/admin/marketplace/connections/${connectionId}/listings/sync`, {}, { headers })
        driver.resetCalls()

        await updateInventoryLevelsWorkflow(container).run({
          input: { updates: itemIds.map((id, i) => ({ inventory_item_id: id, location_id: store.stock_location_id, stocked_quantity: 100 + i })) },
        })
        await waitFor(() => stockCalls(bulk.id).length >= 2, 15000, "the bulk pushes")
        await settled()
        const calls = stockCalls(bulk.id)
        expect(calls.map((c) => c.variant_ids.length).sort((a, b) => a - b)).toEqual([10, 50])
        const byValue = driver.listings(shopId).find((l) => l.id === bulk.id)!.variants.map((v) => v.stock).sort((a, b) => a - b)
        expect(byValue).toEqual(Array.from({ length: 60 }, (_, i) => 100 + i))
      })

      it("applies each stock rule: buffer, percentage, maximum, per-listing override, never below zero", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        const pushOf = async (stocked: number) => {
          const before = stockCalls(teeItemId).length
          await setStock("TEE-M", stocked)
          await waitFor(() => stockCalls(teeItemId).length > before, 10000, "a push")
          await settled()
          return shopModel("TEE-M").stock
        }
        // Settings merge: give every rule, neutral where unused.
        const rules = (stock_rules: Record<string, number>) =>
          updateConnectionWorkflow(container).run({
            input: { id: connectionId, settings: { stock_rules: { buffer: 0, percentage: 100, max: 1_000_000, ...stock_rules } } },
          })

        await rules({ buffer: 3 })
        expect(await pushOf(20)).toBe(17)
        await rules({ percentage: 50 })
        expect(await pushOf(21)).toBe(10)
        await rules({ max: 8 })
        expect(await pushOf(22)).toBe(8)
        await rules({ buffer: 2, percentage: 50, max: 100 })
        expect(await pushOf(12)).toBe(5)
        await rules({ buffer: 10 })
        expect(await pushOf(4)).toBe(0)

        // A listing's own rules override the connection's.
        await rules({ buffer: 1 })
        const res = await api.post(`/admin/marketplace/listings/${listing.id}`, { stock_rules: { max: 2 } }, { headers })
        expect(res.data.listing.stock_rules).toEqual({ max: 2 })
        await waitFor(() => shopModel("TEE-M").stock === 2, 10000, "the override")
        expect(await pushOf(30)).toBe(2)
      })

      it("never pushes zero from an ambiguous source: no stock location, no level at it", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        await updateConnectionWorkflow(container).run({ input: { id: connectionId, stock_location_id: null } })
        await setStock("TEE-M", 9)
        const [dead] = await waitFor(async () => {
          const tasks = await tasksOf(listing.id)
          return tasks[0]?.status === "dead" ? tasks : null
        }, 10000, "the task to fail")
        expect(dead.last_error).toMatch(/no stock location/)
        expect(stockCalls()).toHaveLength(0)
        expect(shopModel("TEE-M").stock).toBe(5)

        // The location back; a variant with no inventory level there fails instead of pushing 0.
        await updateConnectionWorkflow(container).run({ input: { id: connectionId, stock_location_id: store.stock_location_id } })
        const {
          result: [elsewhere],
        } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "Elsewhere" }] } })
        const lonely = (await listingsBySku())["LONELY"]
        const inventory = container.resolve("inventory")
        await inventory.deleteInventoryLevels(
          (await inventory.listInventoryLevels({ inventory_item_id: store.variants.LONELY.inventory_item_id })).map((l: { id: string }) => l.id)
        )
        await createInventoryLevelsWorkflow(container).run({
          input: { inventory_levels: [{ inventory_item_id: store.variants.LONELY.inventory_item_id, location_id: elsewhere.id, stocked_quantity: 3 }] },
        })
        await api.post(`/admin/marketplace/listings/${lonely.id}`, { stock_rules: { buffer: 0 } }, { headers })
        const [lonelyTask] = await waitFor(async () => {
          const tasks = await tasksOf(lonely.id)
          return tasks[0]?.status === "dead" ? tasks : null
        }, 10000, "the lonely task to fail")
        expect(lonelyTask.last_error).toMatch(/has no level at stock location/)
        expect(shopModel("LONELY").stock).toBe(5)

        const deadList = await api.get(`/admin/marketplace/tasks?status=dead`, { headers })
        expect(deadList.data.count).toBe(2)
      })

      it("retries 5xx with backoff, gives up as dead, and the retry route sends it again", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        // The provider retries 4 times itself: 5 failures fail one task attempt, the task's retry then succeeds.
        driver.addFault({ operation: "update_stock", kind: "http_503", count: 5 })
        await setStock("TEE-M", 31)
        await waitFor(() => shopModel("TEE-M").stock === 31, 30000, "the push after a retry")
        await settled()
        const [recovered] = await tasksOf(listing.id)
        expect(recovered).toEqual(expect.objectContaining({ status: "done", attempts: 2 }))
        expect(shopModel("TEE-M").stock).toBe(31)

        // 3 task attempts x 5 calls, all rate limited: dead.
        driver.addFault({ operation: "update_stock", kind: "rate_limit", count: 15 })
        await setStock("TEE-M", 32)
        const [dead] = await waitFor(async () => {
          const tasks = await tasksOf(listing.id)
          return tasks[0]?.status === "dead" ? tasks : null
        }, 90000, "the task to die")
        expect(dead.attempts).toBe(3)
        expect(dead.last_error).toMatch(/Gave up after 3 attempts/)
        expect(shopModel("TEE-M").stock).toBe(31)

        driver.clearFaults()
        const retried = await api.post(`/admin/marketplace/tasks/${dead.id}/retry`, {}, { headers })
        expect(retried.data.task.status).toBe("pending")
        await waitFor(() => shopModel("TEE-M").stock === 32, 10000, "the retried push")
        await settled()
        expect((await api.get(`/admin/marketplace/tasks/${dead.id}`, { headers })).data.task.status).toBe("done")
        const again = await api.post(`/admin/marketplace/tasks/${dead.id}/retry`, {}, { headers }).catch((e: { response: unknown }) => e.response)
        expect(again.status).toBe(400)
      })

      it("pushes a price change, holds one over the guard until confirmed", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        const setPrice = (amount: number) =>
          updateProductVariantsWorkflow(container).run({
            input: { selector: { id: store.variants["TEE-M"].id }, update: { prices: [{ amount, currency_code: "sgd" }] } },
          })
        const priceCalls = () => driver.calls("update_price")

        await setPrice(18.5) // 19.9 -> 18.5: within the 50% guard
        await waitFor(() => shopModel("TEE-M").price === 18.5, 10000, "the price push")
        await settled()
        expect(priceCalls()).toHaveLength(1)

        await setPrice(45) // +143%: held
        const [held] = await waitFor(async () => {
          const tasks = await tasksOf(listing.id, "push_price")
          return tasks[0]?.status === "held" ? tasks : null
        }, 10000, "the held price")
        expect(held.result).toEqual(expect.objectContaining({ price: "45", previous: "18.5" }))
        await settled()
        expect(priceCalls()).toHaveLength(1)
        expect(shopModel("TEE-M").price).toBe(18.5)

        const confirmed = await api.post(`/admin/marketplace/tasks/${held.id}/confirm`, {}, { headers })
        expect(confirmed.status).toBe(200)
        await waitFor(() => shopModel("TEE-M").price === 45, 10000, "the confirmed price")
        await waitFor(async () => Number((await marketplace.retrieveListing(listing.id)).last_pushed_price) === 45, 5000, "the listing's last price")
      })

      it("drops a held price change: it is never sent and the shop keeps its price", async () => {
        const listing = (await listingsBySku())["TEE-M"]
        await updateProductVariantsWorkflow(container).run({
          input: { selector: { id: store.variants["TEE-M"].id }, update: { prices: [{ amount: 45, currency_code: "sgd" }] } },
        })
        const [held] = await waitFor(async () => {
          const tasks = await tasksOf(listing.id, "push_price")
          return tasks[0]?.status === "held" ? tasks : null
        }, 10000, "the held price")
        const listed = await api.get(`/admin/marketplace/tasks?status=held&connection_id=${connectionId}`, { headers })
        expect(listed.data.tasks.map((t: Task) => t.id)).toEqual([held.id])

        const dropped = await api.post(`/admin/marketplace/tasks/${held.id}/drop`, {}, { headers })
        expect(dropped.data.task).toEqual(expect.objectContaining({ id: held.id, status: "done", result: expect.objectContaining({ price: "45", dropped_at: expect.any(String) }) }))
        await settled()
        expect(driver.calls("update_price")).toHaveLength(0)
        expect(shopModel("TEE-M").price).toBe(19.9)
        expect((await api.get(`/admin/marketplace/tasks?status=held`, { headers })).data.count).toBe(0)

        const fail = (p: Promise<unknown>) => p.catch((e: { response: { status: number } }) => e.response) as Promise<{ status: number }>
        // Dropped once: neither dropped again nor confirmed; an unknown task is 404.
        expect((await fail(api.post(`/admin/marketplace/tasks/${held.id}/drop`, {}, { headers }))).status).toBe(400)
        expect((await fail(api.post(`/admin/marketplace/tasks/${held.id}/confirm`, {}, { headers }))).status).toBe(400)
        expect((await fail(api.post(`/admin/marketplace/tasks/mptsk_nope/drop`, {}, { headers }))).status).toBe(404)
      })

      it("reconciles: pushes only the listings whose shop value differs", async () => {
        // Everything in the shop shows 5; Medusa has 50 of each matched SKU. Make one agree already.
        driver.setVariantStock(shopId, "TEE-L", 50)
        driver.resetCalls()
        const res = await api.post(`/admin/marketplace/connections/${connectionId}/listings/reconcile`, {}, { headers })
        expect(res.data.summary).toEqual(expect.objectContaining({ compared: 4, stock_differences: 3 }))
        await settled()
        expect(shopModel("TEE-M").stock).toBe(50)
        expect(shopModel("MUG-01").stock).toBe(50)
        const units = stockCalls().flatMap((c) => c.variant_ids)
        expect(units).toHaveLength(3)
        expect(shopModel("LONELY").stock).toBe(50)
        expect(units).not.toContain(shopModel("TEE-L").id)
      })

      it("protects against overselling: an order imported from shop A lowers the stock pushed to shop B, its cancellation restores it", async () => {
        const {
          result: [channelB],
        } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Shopee B" }] } })
        const shopB = await connectDriverShop(container, driver, { ...store, sales_channel_id: channelB.id })
        driver.createListings(shopB.shop_id, [{ name: "Tee B", sku: "TEE-M", price: 19.9, stock: 50 }])
        await api.post(`/admin/marketplace/connections/${shopB.connection_id}/listings/sync`, {}, { headers })
        driver.resetCalls()

        // A paid order on shop A, imported: its reservation at the shared stock location.
        const orderA = driver.createOrder(shopId, { status: "paid", items: [{ sku: "TEE-M", quantity: 3 }] })
        const [imported] = await importOrdersById(container, connectionId, [orderA.id])
        expect(imported.action).toBe("create")
        const modelB = () => driver.listings(shopB.shop_id)[0].variants[0]
        await waitFor(() => modelB().stock === 47, 15000, "shop B to get 50 - 3")
        await waitFor(() => shopModel("TEE-M").stock === 47, 15000, "shop A to get 50 - 3")
        await settled()
        expect(driver.stockCalls({ shopId: shopB.shop_id })).toHaveLength(1)

        // The order cancelled on shop A and imported again: its reservation is released, both shops get the units back.
        driver.advanceOrder(orderA.id, "cancelled")
        const [cancelled] = await importOrdersById(container, connectionId, [orderA.id])
        expect(cancelled.action).toBe("update")
        await waitFor(() => modelB().stock === 50 && shopModel("TEE-M").stock === 50, 15000, "the released units")
      })
    },
  })
})
