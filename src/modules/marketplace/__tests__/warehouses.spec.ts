import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(60000)

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: Buffer.alloc(32, 5).toString("base64") },
  testSuite: ({ service }) => {
    it("counts a stock location once per connection, into one warehouse or the shop", async () => {
      const a = await service.createConnections({ platform: "tiktok", external_shop_id: "1" })
      const b = await service.createConnections({ platform: "tiktok", external_shop_id: "2" })
      await service.createConnectionWarehouses([
        { connection_id: a.id, stock_location_id: "sloc_1", external_warehouse_id: "WH-1" },
        { connection_id: a.id, stock_location_id: "sloc_2", external_warehouse_id: "WH-1" },
        { connection_id: a.id, stock_location_id: "sloc_3", external_warehouse_id: null },
        // Another shop may count the same location.
        { connection_id: b.id, stock_location_id: "sloc_1", external_warehouse_id: "WH-9" },
      ])
      await expect(
        service.createConnectionWarehouses({ connection_id: a.id, stock_location_id: "sloc_1", external_warehouse_id: "WH-2" })
      ).rejects.toThrow()

      const connection = await service.retrieveConnection(a.id, { relations: ["warehouses"] })
      expect(
        connection.warehouses.map((w) => [w.stock_location_id, w.external_warehouse_id]).sort()
      ).toEqual([
        ["sloc_1", "WH-1"],
        ["sloc_2", "WH-1"],
        ["sloc_3", null],
      ])
    })
  },
})
