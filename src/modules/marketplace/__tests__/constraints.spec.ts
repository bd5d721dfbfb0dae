import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(60000)

const KEY = Buffer.alloc(32, 7).toString("base64")

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: KEY },
  testSuite: ({ service }) => {
    const connection = (shop = "1001") =>
      service.createConnections({ platform: "shopee", external_shop_id: shop, name: `Shop ${shop}` })

    describe("only-once rules are database constraints", () => {
      it("refuses a second connection for the same platform and shop", async () => {
        await connection("1001")
        await expect(connection("1001")).rejects.toThrow(/already exists|unique/i)
        // The same shop id on another platform is another shop.
        await expect(
          service.createConnections({ platform: "lazada", external_shop_id: "1001" })
        ).resolves.toBeTruthy()
      })

      it("refuses a second order link for the same connection and external order", async () => {
        const c = await connection()
        const link = {
          connection_id: c.id,
          external_order_id: "240101ABC",
          external_status: "READY_TO_SHIP",
          status: "paid",
          external_updated_at: new Date(),
          currency_code: "sgd",
        }
        await service.createOrderLinks(link)
        await expect(service.createOrderLinks(link)).rejects.toThrow(/already exists|unique/i)
        const other = await connection("2002")
        await expect(service.createOrderLinks({ ...link, connection_id: other.id })).resolves.toBeTruthy()
      })

      it("refuses a second listing for the same item and model", async () => {
        const c = await connection()
        const listing = { connection_id: c.id, external_item_id: "10", external_model_id: "0", sku: "A" }
        await service.createListings(listing)
        await expect(service.createListings(listing)).rejects.toThrow(/already exists|unique/i)
        await expect(service.createListings({ ...listing, external_model_id: "11" })).resolves.toBeTruthy()
      })

      it("refuses a second return link for the same external return", async () => {
        const c = await connection()
        const ret = {
          connection_id: c.id,
          external_return_id: "R1",
          external_status: "REQUESTED",
          status: "requested",
          external_updated_at: new Date(),
        }
        await service.createReturnLinks(ret)
        await expect(service.createReturnLinks(ret)).rejects.toThrow(/already exists|unique/i)
      })

      it("refuses a second event with the same platform and idempotency key", async () => {
        const event = {
          platform: "shopee",
          idempotency_key: "msg-1",
          type: "order.status_changed",
          received_at: new Date(),
        }
        await service.createMarketplaceEvents(event)
        await expect(service.createMarketplaceEvents(event)).rejects.toThrow(/already exists|unique/i)
        await expect(
          service.createMarketplaceEvents({ ...event, platform: "tiktok" })
        ).resolves.toBeTruthy()
      })

      it("allows at most one pending task per coalescing key, any number of finished ones", async () => {
        const c = await connection()
        const task = { connection_id: c.id, kind: "push_stock", coalescing_key: "push_stock:lst_1" }
        const first = await service.createTasks(task)
        await expect(service.createTasks(task)).rejects.toThrow(/already exists|unique/i)
        await service.updateTasks({ id: first.id, status: "done" })
        const second = await service.createTasks(task)
        await service.updateTasks({ id: second.id, status: "dead" })
        await expect(service.createTasks(task)).resolves.toBeTruthy()
        expect(await service.listTasks({ coalescing_key: task.coalescing_key })).toHaveLength(3)
      })

      it("refuses a second cursor for the same connection and stream", async () => {
        const c = await connection()
        await service.createCursors({ connection_id: c.id, stream: "orders", position: new Date() })
        await expect(
          service.createCursors({ connection_id: c.id, stream: "orders", position: new Date() })
        ).rejects.toThrow(/already exists|unique/i)
        await expect(
          service.createCursors({ connection_id: c.id, stream: "returns", position: new Date() })
        ).resolves.toBeTruthy()
      })
    })

    describe("sync runs", () => {
      it("start with zero counts and pending status", async () => {
        const c = await connection()
        const run = await service.createSyncRuns({ connection_id: c.id, kind: "backfill" })
        expect(run).toEqual(
          expect.objectContaining({ status: "pending", seen: 0, created: 0, failed: 0, progress: 0 })
        )
      })
    })
  },
})
