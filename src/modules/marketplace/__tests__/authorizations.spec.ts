import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { AuthorizationGrant } from "../../../providers/types"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"
import { previousAuthorizationIds } from "../../../workflows/oauth/steps/release-abandoned-authorizations"

jest.setTimeout(60000)

const KEY = Buffer.alloc(32, 3).toString("base64")

/** A grant as a platform whose sellers authorize several shops at once returns it (each shop with a cipher). */
const twoShopGrant = (access = "ACCESS-GRANT-1"): AuthorizationGrant => ({
  seller_id: "seller-9",
  tokens: {
    access_token: access,
    refresh_token: `REFRESH-${access}`,
    access_token_expires_at: new Date("2030-01-01T00:00:00Z"),
    refresh_token_expires_at: new Date("2030-06-01T00:00:00Z"),
  },
  shops: [
    { shop_id: "7001", name: "Shop ID", region: "ID", currency_code: "idr", metadata: { cipher: "CIPHER-ID" } },
    { shop_id: "7002", name: "Shop MY", region: "MY", currency_code: "myr", metadata: { cipher: "CIPHER-MY" } },
  ],
})

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: KEY },
  testSuite: ({ service, MikroOrmWrapper }) => {
    it("stores a grant of two shops and connects none until the merchant chooses", async () => {
      const saved = await service.saveGrant("tiktok", twoShopGrant())
      expect(saved.created_connection_ids).toEqual([])
      expect(saved.shops.map((s) => [s.shop_id, s.connection_id])).toEqual([
        ["7001", null],
        ["7002", null],
      ])
      expect(await service.listConnections({})).toHaveLength(0)

      const authorization = await service.retrieveAuthorization(saved.authorization_id)
      expect(authorization).toEqual(
        expect.objectContaining({ platform: "tiktok", external_seller_id: "seller-9", status: "active" })
      )
      expect(authorization.shops).toEqual([
        expect.objectContaining({ shop_id: "7001", metadata: { cipher: "CIPHER-ID" } }),
        expect.objectContaining({ shop_id: "7002", metadata: { cipher: "CIPHER-MY" } }),
      ])
      expect(JSON.stringify(authorization)).not.toMatch(/ACCESS-GRANT|REFRESH-/)
      expect((await service.retrieveAuthorizationTokens(saved.authorization_id)).access_token).toBe("ACCESS-GRANT-1")

      // The merchant picks one shop: one connection, on the grant, with the shop's cipher.
      const chosen = await service.connectGrantShops(saved.authorization_id, ["7002"])
      expect(chosen.connections).toEqual([{ id: expect.any(String), shop_id: "7002", created: true }])
      const connection = await service.retrieveConnection(chosen.connections[0].id)
      expect(connection).toEqual(
        expect.objectContaining({
          platform: "tiktok",
          external_shop_id: "7002",
          name: "Shop MY",
          shop_region: "MY",
          currency_code: "myr",
          status: "active",
          authorization_id: saved.authorization_id,
          metadata: { cipher: "CIPHER-MY" },
        })
      )
      expect((await service.retrieveCredentials(connection.id)).access_token).toBe("ACCESS-GRANT-1")

      // A shop the grant does not cover is refused.
      await expect(service.connectGrantShops(saved.authorization_id, ["9999"])).rejects.toThrow(/does not cover the shops: 9999/)
    })

    it("re-authorizing reuses the grant and the connected shop's connection, and refreshes both shops' tokens", async () => {
      const first = await service.saveGrant("tiktok", twoShopGrant())
      const { connections } = await service.connectGrantShops(first.authorization_id, ["7001", "7002"])
      await service.updateConnections({ id: connections[0].id, status: "needs_reauth", last_error: "refused" })

      const again = await service.saveGrant("tiktok", twoShopGrant("ACCESS-GRANT-2"))
      expect(again.authorization_id).toBe(first.authorization_id)
      expect(again.created_connection_ids).toEqual([])
      // Both shops were connected before: both are reconnected to the grant, with their history.
      expect(again.shops.map((s) => s.connection_id)).toEqual(connections.map((c) => c.id))
      const reconnected = await service.retrieveConnection(connections[0].id)
      expect(reconnected.status).toBe("active")
      expect(reconnected.last_error).toBeNull()
      for (const c of connections) {
        expect((await service.retrieveCredentials(c.id)).access_token).toBe("ACCESS-GRANT-2")
      }
      expect(await service.listAuthorizations({})).toHaveLength(1)
      expect(await service.listConnections({})).toHaveLength(2)
    })

    it("a grant of one shop connects it at once", async () => {
      const grant = twoShopGrant()
      const saved = await service.saveGrant("shopee", { ...grant, seller_id: null, shops: [grant.shops[0]] })
      expect(saved.created_connection_ids).toHaveLength(1)
      expect(saved.shops[0].connection_id).toBe(saved.created_connection_ids[0])
    })

    it("a refusal for good marks every connection of the grant needs_reauth, and leaves other grants alone", async () => {
      const saved = await service.saveGrant("tiktok", twoShopGrant())
      const { connections } = await service.connectGrantShops(saved.authorization_id, ["7001", "7002"])
      const other = await service.createConnections({ platform: "tiktok", external_shop_id: "8001" })
      await service.storeCredentials(other.id, twoShopGrant("OTHER").tokens)
      const disabled = await service.createConnections({
        platform: "tiktok",
        external_shop_id: "7003",
        status: "disabled",
        authorization_id: saved.authorization_id,
      })

      const marked = await service.markAuthorizationNeedsReauth(saved.authorization_id, "The marketplace refused the token refresh: expired")
      expect(marked.sort()).toEqual(connections.map((c) => c.id).sort())
      for (const c of connections) {
        expect(await service.retrieveConnection(c.id)).toEqual(
          expect.objectContaining({ status: "needs_reauth", last_error: "The marketplace refused the token refresh: expired" })
        )
      }
      expect((await service.retrieveAuthorization(saved.authorization_id)).status).toBe("needs_reauth")
      expect((await service.retrieveConnection(other.id)).status).toBe("active")
      expect((await service.retrieveConnection(disabled.id)).status).toBe("disabled")

      // Connecting more shops of a refused grant is not allowed until it is authorized again.
      await expect(service.connectGrantShops(saved.authorization_id, ["7001"])).rejects.toThrow(/needs re-authorization/)
    })

    it("undoes a stored grant: the new connection and authorization go, a reconnected shop gets its previous state back", async () => {
      const grant = twoShopGrant()
      const previous = await service.saveGrant("tiktok", grant)
      const [kept] = (await service.connectGrantShops(previous.authorization_id, ["7001"])).connections
      await service.updateConnections({ id: kept.id, status: "needs_reauth", name: "Old name" })

      const single = await service.saveGrant("tiktok", { ...grant, seller_id: null, shops: [grant.shops[1]] })
      await service.undoGrant(single.undo)
      expect(await service.listConnections({ external_shop_id: "7002" })).toHaveLength(0)

      const again = await service.saveGrant("tiktok", twoShopGrant("ACCESS-GRANT-3"))
      await service.undoGrant(again.undo)
      expect(await service.retrieveConnection(kept.id)).toEqual(
        expect.objectContaining({ status: "needs_reauth", name: "Old name", authorization_id: previous.authorization_id })
      )
    })

    it("a grant the shops all left loses its sealed tokens and goes; a grant still used stays", async () => {
      const multi = await service.saveGrant("tiktok", twoShopGrant("ACCESS-NEW"))
      // The shop was first connected through a grant of its own.
      const single = twoShopGrant("ACCESS-OLD")
      const old = await service.saveGrant("tiktok", { ...single, seller_id: null, shops: [single.shops[0]] })
      expect(old.authorization_id).not.toBe(multi.authorization_id)
      const [moved] = old.created_connection_ids

      // The merchant connects it through the new grant: the connection moves, the old grant is left empty.
      const chosen = await service.connectGrantShops(multi.authorization_id, ["7001", "7002"])
      expect((await service.retrieveConnection(moved)).authorization_id).toBe(multi.authorization_id)
      const left = previousAuthorizationIds(chosen.undo.previous_connections, multi.authorization_id)
      expect(left).toEqual([old.authorization_id])

      expect(await service.releaseAbandonedAuthorizations([...left, multi.authorization_id])).toEqual([old.authorization_id])
      expect(await service.listAuthorizations({ id: old.authorization_id })).toEqual([])
      await expect(service.retrieveAuthorizationTokens(old.authorization_id)).rejects.toThrow()
      const db = MikroOrmWrapper.getOrm().em.getConnection()
      expect(
        await db.execute(`select id from marketplace_authorization_secret where authorization_id = ?`, [old.authorization_id])
      ).toEqual([])
      // The grant in use keeps its tokens, and a disabled connection is still a use.
      expect((await service.retrieveAuthorizationTokens(multi.authorization_id)).access_token).toBe("ACCESS-NEW")
      await service.updateConnections(chosen.connections.map((c) => ({ id: c.id, status: "disabled" as const })))
      expect(await service.releaseAbandonedAuthorizations([multi.authorization_id])).toEqual([])
      expect((await service.retrieveAuthorizationTokens(multi.authorization_id)).access_token).toBe("ACCESS-NEW")
    })
  },
})
