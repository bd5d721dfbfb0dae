import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { processInboxEvents } from "../../src/orchestration/inbox/inbox-processor"
import { keepRenewing, stopRenewing } from "../../src/lib/locks"
import { orderLockKey } from "../../src/workflows/orders/workflows/import-order"
import { connectDriverShop, seedStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { drivers, useSandbox, type DriverPush } from "../platforms"
import type { OrderStatus } from "../../src/providers/types"

jest.setTimeout(180000)

const SKUS = ["TEE-BLK-M", "MUG-01"]

/**
 * Bursts of pushes about the same few orders, with duplicates, handled by several workers at once: each
 * order is imported once (its events claimed together), and contention for an order's lock delays an event
 * by moments without counting as a failed attempt.
 */
describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let marketplace: MarketplaceModuleService
      let connectionId: string
      let shopId: string
      let hookUrl: string

      const events = (filters: Record<string, unknown> = {}) => marketplace.listMarketplaceEvents(filters)
      const post = (push: DriverPush) =>
        api
          .post(driver.webhookPath, push.body, { headers: push.headers, transformRequest: [(data: unknown) => data] })
          .catch((e: { response: { status: number; data: unknown } }) => e.response)
      const statusPush = (orderId: string, time: number, status: OrderStatus = "paid") =>
        driver.orderStatusPush(hookUrl, { shopId, orderId, status, time })
      const drained = (timeoutMs = 20000) =>
        waitFor(
          async () => (await events({ status: ["pending", "processing", "failed"] })).length === 0,
          "the inbox to drain",
          timeoutMs
        )
      /** Events that ever failed on a lock would carry the lock's message. */
      const lockFailures = async () => (await events()).filter((e) => /lock/i.test(e.last_error ?? ""))
      /** The order links of an external order and the Medusa orders made for it (by the order's metadata). */
      const medusaOrdersOf = async (externalId: string) => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: links } = await query.graph({
          entity: "order_link",
          fields: ["id", "order.id"],
          filters: { connection_id: connectionId, external_order_id: externalId },
        })
        const { data: orders } = await query.graph({ entity: "order", fields: ["id", "metadata"] })
        return {
          links,
          linked: links.map((l: any) => l.order?.id).filter(Boolean),
          orders: orders.filter((o: any) => o.metadata?.marketplace_order_id === externalId),
        }
      }

      beforeEach(async () => {
        container = getContainer()
        marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        driver.reset()
        const store = await seedStore(container, SKUS)
        ;({ connection_id: connectionId, shop_id: shopId } = await connectDriverShop(container, driver, store))
        driver.createListings(shopId, [
          { name: "Tee", sku: "TEE-BLK-M", price: 19.9, stock: 50 },
          { name: "Mug", sku: "MUG-01", price: 12, stock: 50 },
        ])
        hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
        driver.setPushTarget(null)
      })

      it("16 pushes at once for four orders, with duplicates, handled by four workers: each order imported and fetched once, nothing failed", async () => {
        const placed = Array.from({ length: 4 }, () =>
          driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
        )
        // Successive status messages about each order (reporting times before the order's current state, as a
        // burst of pushes that all happened before it was fetched), and exact re-deliveries of some of them.
        const distinct = placed.flatMap((o) => [statusPush(o.id, o.updated_at - 20), statusPush(o.id, o.updated_at - 10), statusPush(o.id, o.updated_at - 5)])
        const pushes = [...distinct, ...distinct.slice(0, 4)]
        expect(pushes).toHaveLength(16)
        driver.resetCalls()

        const answers = await Promise.all(pushes.map(post))
        expect(answers.map((a) => a.status)).toEqual(pushes.map(() => 200))
        // Several workers claiming at once (the drain woken by the pushes runs meanwhile too).
        await Promise.all(Array.from({ length: 4 }, () => processInboxEvents(container, { limit: 2 })))
        await drained()

        const stored = await events({ connection_id: connectionId })
        expect(stored).toHaveLength(12) // duplicates stored once
        expect(stored.every((e) => e.status === "done" && e.attempts === 1 && !e.last_error)).toBe(true)
        expect(await lockFailures()).toEqual([])
        for (const order of placed) {
          const { links, linked, orders } = await medusaOrdersOf(order.id)
          expect(links).toHaveLength(1)
          expect(orders).toHaveLength(1)
          expect(linked).toEqual([orders[0].id])
        }
        // One claim per order: each order's details were fetched once, however many events named it.
        const fetched = driver.calls("get_order").flatMap((c) => c.orders)
        expect(fetched.sort()).toEqual(placed.map((o) => o.id).sort())
      })

      it("an order locked by another process: its events wait moments, uncounted, and import once the lock is free", async () => {
        const [held, free] = Array.from({ length: 2 }, () =>
          driver.createOrder(shopId, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
        )
        const locking = container.resolve(Modules.LOCKING)
        // Another process importing the order holds its lock.
        await locking.acquire(orderLockKey(connectionId, held.id), { ownerId: "another-process", expire: 120 })

        const heldPush = statusPush(held.id, held.updated_at)
        const answers = await Promise.all([heldPush, heldPush, statusPush(free.id, free.updated_at)].map(post))
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200])

        // The free order is imported. The held order's event waits: taken again every few hundred milliseconds
        // (each time waiting briefly for the lock), never failed, its claims not counted as attempts.
        await waitFor(async () => (await events({ external_order_id: free.id, status: "done" })).length === 1, "the free order", 15000)
        const seen: { status: string; attempts: number; last_error: string | null; due_in_ms: number | null }[] = []
        for (const until = Date.now() + 6000; Date.now() < until; ) {
          const [event] = await events({ external_order_id: held.id })
          seen.push({
            status: event.status,
            attempts: event.attempts,
            last_error: event.last_error,
            due_in_ms: event.next_attempt_at ? new Date(event.next_attempt_at).getTime() - Date.now() : null,
          })
          await new Promise((r) => setTimeout(r, 50))
        }
        const requeued = seen.filter((s) => s.status === "pending" && s.due_in_ms !== null)
        expect(requeued.length).toBeGreaterThan(0)
        expect(requeued.every((s) => s.attempts === 0 && s.last_error === null && (s.due_in_ms as number) < 1000)).toBe(true)
        expect(seen.every((s) => ["pending", "processing"].includes(s.status) && s.attempts <= 1)).toBe(true)
        expect(await events({ status: ["failed", "dead"] })).toEqual([])

        // The holder finishes: the order comes in within moments (its import's own time, on a busy machine),
        // not after the failure backoff's first minute.
        await locking.release(orderLockKey(connectionId, held.id), { ownerId: "another-process" })
        const released = Date.now()
        await waitFor(async () => (await events({ external_order_id: held.id, status: "done" })).length === 1, "the held order", 30000)
        expect(Date.now() - released).toBeLessThan(15000)
        const [done] = await events({ external_order_id: held.id })
        expect(done).toEqual(expect.objectContaining({ status: "done", attempts: 1, last_error: null }))
        const { links, linked, orders } = await medusaOrdersOf(held.id)
        expect(links).toHaveLength(1)
        expect(orders).toHaveLength(1)
        expect(linked).toEqual([orders[0].id])
        expect(await lockFailures()).toEqual([])
      })

      it("locks are leased: renewed while their holder lives, free within one lease once it stops (its process died)", async () => {
        const locking = container.resolve(Modules.LOCKING)
        const key = orderLockKey(connectionId, "LEASED-1")
        const tryTake = (ownerId: string) =>
          locking.acquire(key, { ownerId, expire: 1 }).then(
            () => true,
            () => false
          )
        await locking.acquire(key, { ownerId: "holder", expire: 1 })
        keepRenewing(container, [key], "holder", { leaseSeconds: 1 })
        try {
          // Three leases later the holder still has it: each renewal moved its expiry.
          await new Promise((r) => setTimeout(r, 3000))
          expect(await tryTake("another-process")).toBe(false)
        } finally {
          // The holder's process dies: its renewals stop with it (nothing releases the lock).
          stopRenewing("holder")
        }
        await new Promise((r) => setTimeout(r, 1500))
        expect(await tryTake("another-process")).toBe(true)
        await locking.release(key, { ownerId: "another-process" })
      })
    },
  })
})
