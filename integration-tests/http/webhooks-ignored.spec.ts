import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { replayWindowSeconds } from "../../src/modules/marketplace/options"
import { releaseLock, tryAcquireLock } from "../../src/lib/locks"
import { runScheduledPull } from "../../src/orchestration/orders/order-pull"
import { processInboxEvents } from "../../src/orchestration/inbox/inbox-processor"
import { adminHeaders } from "../helpers/admin"
import { connectDriverShop } from "../helpers/store"
import { drivers, useSandbox, type DriverPush } from "../platforms"

jest.setTimeout(180000)

/**
 * Signed deliveries the plugin acknowledges but must not process: replays older than the platform's
 * re-delivery horizon, pushes for connections that are disabled or need re-authorization, messages that name
 * no shop or whose data does not map. Each is kept as `ignored` with its reason (the monitor shows it).
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
      const now = () => Math.floor(Date.now() / 1000)

      const post = (push: DriverPush) =>
        api.post(driver.webhookPath, push.body, { headers: push.headers, transformRequest: [(data: unknown) => data], validateStatus: () => true })
      const rowOf = async (push: DriverPush) => {
        const rows = await marketplace.listMarketplaceEvents({ platform: driver.platform }, { take: null })
        return rows.filter((r) => r.raw_body === push.body)
      }
      const horizon = () => marketplace.getProvider(driver.platform).limits.webhook_redelivery_horizon_seconds

      beforeEach(async () => {
        container = getContainer()
        marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        driver.reset()
        ;({ connection_id: connectionId, shop_id: shopId } = await connectDriverShop(container, driver, null))
        hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
      })

      describe("replay window", () => {
        it("the provider declares its re-delivery horizon, and the retention keeps dedupe rows longer", () => {
          const window = replayWindowSeconds(horizon())
          expect(window).toBeGreaterThan(horizon() as number)
          expect(marketplace.settings().eventRetentionDays * 86400).toBeGreaterThanOrEqual(window as number)
        })

        it("a replayed old deauthorization push is acknowledged, recorded as ignored, and does not disconnect", async () => {
          const old = driver.deauthorizationPush(hookUrl, { shopId, time: now() - (replayWindowSeconds(horizon()) as number) - 60 })
          expect((await post(old)).status).toBe(200)
          const [row] = await rowOf(old)
          expect(row).toEqual(expect.objectContaining({ type: "shop.deauthorized", status: "ignored" }))
          expect(row.last_error).toMatch(/^Replayed delivery: sent at .*re-delivery window/)
          await processInboxEvents(container)
          expect((await marketplace.retrieveConnection(connectionId)).status).toBe("active")

          // The monitor shows the reason.
          const { headers } = await adminHeaders(container)
          const listed = await api.get(`/admin/marketplace/events?status=ignored`, { headers })
          expect(listed.data.events.map((e: { last_error: string }) => e.last_error)).toEqual(
            expect.arrayContaining([expect.stringMatching(/^Replayed delivery/)])
          )
        })

        it("a deauthorization push within the window still disconnects", async () => {
          const fresh = driver.deauthorizationPush(hookUrl, { shopId, time: now() - (horizon() as number) + 60 })
          expect((await post(fresh)).status).toBe(200)
          expect((await rowOf(fresh))[0].status).toBe("pending")
          await processInboxEvents(container)
          expect((await marketplace.retrieveConnection(connectionId)).status).toBe("needs_reauth")
        })

        it("a push dated far in the future is recorded as malformed, not processed", async () => {
          const future = driver.orderStatusPush(hookUrl, { shopId, orderId: "FUTURE1", status: "paid", time: now() + 86400 * 365 })
          expect((await post(future)).status).toBe(200)
          const [row] = await rowOf(future)
          expect(row.status).toBe("ignored")
          expect(row.last_error).toMatch(/in the future/)
        })
      })

      describe("connections that cannot be served", () => {
        it.each([
          ["disabled", /is disabled/],
          ["needs_reauth", /needs re-authorization/],
        ] as const)("a push for a %s connection is recorded as ignored, never retried to dead", async (status, reason) => {
          await marketplace.updateConnections({ id: connectionId, status })
          const push = driver.orderStatusPush(hookUrl, { shopId, orderId: `OFF-${status}`, status: "paid", time: now() })
          // A moment for the route's 5-second shop cache to forget the active status of this connection.
          await new Promise((resolve) => setTimeout(resolve, 5100))
          expect((await post(push)).status).toBe(200)
          const [row] = await rowOf(push)
          expect(row).toEqual(expect.objectContaining({ status: "ignored", connection_id: connectionId, attempts: 0 }))
          expect(row.last_error).toMatch(reason)
          expect((await processInboxEvents(container)).claimed).toBe(0)
        })
      })

      describe("signed messages that cannot be mapped", () => {
        it("a push naming no shop is acknowledged and recorded as malformed", async () => {
          const push = driver.shoplessPush(hookUrl, { orderId: "NOSHOP1", time: now() })
          expect((await post(push)).status).toBe(200)
          const [row] = await rowOf(push)
          expect(row).toEqual(expect.objectContaining({ status: "ignored", connection_id: null }))
          expect(row.last_error).toMatch(/names no shop/)
        })

        it.each([
          ["a NUL character in a value", (body: Record<string, unknown>) => ({ ...body, note: "a\u0000b" })],
          ["a NUL character in a key", (body: Record<string, unknown>) => ({ ...body, ["k\u0000"]: 1 })],
          ["an unpaired surrogate", (body: Record<string, unknown>) => ({ ...body, note: "\ud800" })],
        ])("a push holding %s is stored (raw body exact), never a 500", async (_name, change) => {
          const base = driver.orderStatusPush(hookUrl, { shopId, orderId: "NUL1", status: "paid", time: now() })
          const push = driver.sign(hookUrl, JSON.stringify(change(JSON.parse(base.body))))
          expect((await post(push)).status).toBe(200)
          expect(await rowOf(push)).toHaveLength(1)
        })

        const fields = driver.orderStatusPushFields
        it.each([
          ["an order id holding NUL", { [fields.order_id]: "A\u0000" }],
          ["an update time past year 9999", { [fields.update_time]: 1e15 }],
          ["a status of the wrong type", { [fields.status]: 42 }],
        ])("a push with %s is acknowledged and recorded as malformed", async (_name, data) => {
          const base = JSON.parse(driver.orderStatusPush(hookUrl, { shopId, orderId: "BAD1", status: "paid", time: now() }).body)
          const dataKey = Object.keys(base).find((k) => base[k] && typeof base[k] === "object") as string
          const push = driver.sign(hookUrl, JSON.stringify({ ...base, [dataKey]: { ...base[dataKey], ...data } }))
          expect((await post(push)).status).toBe(200)
          const [row] = await rowOf(push)
          expect(row.status).toBe("ignored")
          expect(row.last_error).toMatch(/^Malformed message/)
        })

        it.each([
          ["empty", ""],
          ["not JSON", "{not json"],
          ["a JSON array", "[1,2,3]"],
          ["nested 5,000 levels deep", `${"[".repeat(5000)}${"]".repeat(5000)}`],
          ["an object nested 5,000 levels deep", `{"data":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`],
        ])("a signed body that is %s is a 400 and stores nothing", async (_name, body) => {
          const push = driver.sign(hookUrl, body)
          const answer = await post(push)
          expect(answer.status).toBe(400)
          expect(answer.data.message).toMatch(/Malformed/)
          expect(await rowOf(push)).toHaveLength(0)
        })

        it.each(["text/plain", "application/x-www-form-urlencoded", "application/octet-stream"])(
          "a signed push sent as %s is verified over its raw bytes and stored",
          async (contentType) => {
            const push = driver.orderStatusPush(hookUrl, { shopId: "9900000002", orderId: `CT-${contentType.length}`, status: "paid", time: now() })
            expect((await post({ ...push, headers: { ...push.headers, "content-type": contentType } })).status).toBe(200)
            expect(await rowOf(push)).toHaveLength(1)
          }
        )
      })

      describe("locks", () => {
        it("a release by another owner does not free the lock", async () => {
          const locking = container.resolve(Modules.LOCKING)
          const mine = await tryAcquireLock(container, "marketplace:test:owner", 1)
          expect(mine).not.toBeNull()
          expect(await tryAcquireLock(container, "marketplace:test:owner", 1)).toBeNull()
          // Our lock expires while we still work; another process takes the key.
          await new Promise((resolve) => setTimeout(resolve, 1100))
          const theirs = await tryAcquireLock(container, "marketplace:test:owner", 60)
          expect(theirs).not.toBeNull()
          // Our late release must leave their lock alone (a release by key alone would free it).
          expect(await releaseLock(container, mine!)).toBe(false)
          expect(await tryAcquireLock(container, "marketplace:test:owner", 60)).toBeNull()
          expect(await releaseLock(container, theirs!)).toBe(true)
          await locking.acquire("marketplace:test:owner", { ownerId: "x", expire: 1 })
          await locking.release("marketplace:test:owner", { ownerId: "x" })
        })

        it("a scheduled pull that finds the lock taken by another owner leaves it taken", async () => {
          const theirs = await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 60)
          expect(await runScheduledPull(container, connectionId)).toBeNull()
          expect(await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 60)).toBeNull()
          await releaseLock(container, theirs!)
          expect(await runScheduledPull(container, connectionId)).not.toBeNull()
          // Released by its owner: the key is free again.
          const after = await tryAcquireLock(container, `marketplace:pull:${connectionId}`, 60)
          expect(after).not.toBeNull()
          await releaseLock(container, after!)
        })
      })
    },
  })
})
