import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"

jest.setTimeout(60000)

const OLD_KEY = Buffer.alloc(32, 1).toString("base64")
const NEW_KEY = Buffer.alloc(32, 2).toString("base64")

const tokens = {
  access_token: "access-PLAINTEXT-4f9a",
  refresh_token: "refresh-PLAINTEXT-77c1",
  access_token_expires_at: new Date("2030-01-01T04:00:00Z"),
  refresh_token_expires_at: new Date("2030-01-31T00:00:00Z"),
}

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: OLD_KEY },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const rawSecrets = async () =>
      MikroOrmWrapper.forkManager()
        .getConnection()
        .execute(`select authorization_id, ciphertext, key_id, sealed_for from marketplace_authorization_secret`)

    it("round-trips credentials and stores only ciphertext", async () => {
      const c = await service.createConnections({ platform: "shopee", external_shop_id: "1" })
      await service.storeCredentials(c.id, tokens)

      expect(await service.retrieveCredentials(c.id)).toEqual(tokens)

      const { authorization_id } = await service.retrieveConnection(c.id)
      const [row] = await rawSecrets()
      expect(row.authorization_id).toBe(authorization_id)
      expect(row.sealed_for).toBe(authorization_id)
      expect(row.ciphertext).not.toContain("PLAINTEXT")
      expect(row.ciphertext).not.toContain(Buffer.from("access-PLAINTEXT").toString("base64"))
      expect(row.ciphertext.startsWith("v1.")).toBe(true)

      // The expiry times are on the authorization, the tokens are not (nor on the connection).
      const authorization = await service.retrieveAuthorization(authorization_id as string)
      expect(authorization.access_token_expires_at).toEqual(tokens.access_token_expires_at)
      expect(JSON.stringify(authorization)).not.toMatch(/PLAINTEXT|ciphertext/)
      const connection = await service.retrieveConnection(c.id)
      expect(JSON.stringify(connection)).not.toMatch(/PLAINTEXT|ciphertext/)
      const [listedAuthorization] = await service.listAuthorizations({ id: authorization_id as string })
      expect(JSON.stringify(listedAuthorization)).not.toMatch(/PLAINTEXT|ciphertext/)
      const [listed] = await service.listConnections({ id: c.id }, { relations: [] })
      expect(JSON.stringify(listed)).not.toMatch(/PLAINTEXT|ciphertext/)
    })

    it("replaces the pair atomically on refresh (one secret row per authorization)", async () => {
      const c = await service.createConnections({ platform: "shopee", external_shop_id: "2" })
      await service.storeCredentials(c.id, tokens)
      const next = { ...tokens, access_token: "second-access", refresh_token: "second-refresh" }
      await service.storeCredentials(c.id, next)
      expect(await service.retrieveCredentials(c.id)).toEqual(next)
      const { authorization_id } = await service.retrieveConnection(c.id)
      expect((await rawSecrets()).filter((r: { authorization_id: string }) => r.authorization_id === authorization_id)).toHaveLength(1)
    })

    it("refuses a ciphertext moved onto another authorization", async () => {
      const a = await service.createConnections({ platform: "shopee", external_shop_id: "3" })
      const b = await service.createConnections({ platform: "shopee", external_shop_id: "4" })
      await service.storeCredentials(a.id, tokens)
      await service.storeCredentials(b.id, { ...tokens, access_token: "b" })
      const authA = (await service.retrieveConnection(a.id)).authorization_id
      const authB = (await service.retrieveConnection(b.id)).authorization_id
      const conn = MikroOrmWrapper.forkManager().getConnection()
      await conn.execute(
        `update marketplace_authorization_secret set ciphertext = (select ciphertext from marketplace_authorization_secret where authorization_id = '${authA}') where authorization_id = '${authB}'`
      )
      await expect(service.retrieveCredentials(b.id)).rejects.toThrow()
    })

    it("rotates to a new key with the documented options", async () => {
      const c = await service.createConnections({ platform: "shopee", external_shop_id: "5" })
      await service.storeCredentials(c.id, tokens)
      const { authorization_id } = await service.retrieveConnection(c.id)
      const before = (await rawSecrets()).find((r: { authorization_id: string }) => r.authorization_id === authorization_id)

      // A service configured as after a key change: new current key, old key kept for decryption.
      const Service = service.constructor as new (...args: unknown[]) => MarketplaceModuleService
      const internals = service as unknown as Record<string, unknown>
      const rotated = new Service(
        {
          baseRepository: internals.baseRepository_,
          authorizationSecretService: internals.authorizationSecretService_,
          marketplaceProviderRegistry: internals.providers_,
        },
        { encryptionKey: NEW_KEY, previousEncryptionKeys: OLD_KEY }
      )
      const result = await rotated.rotateEncryptionKey()
      expect(result.rotated).toBeGreaterThanOrEqual(1)
      expect(await rotated.retrieveAuthorizationTokens(authorization_id as string)).toEqual(tokens)

      const after = (await rawSecrets()).find((r: { authorization_id: string }) => r.authorization_id === authorization_id)
      expect(after?.key_id).not.toBe(before?.key_id)
      // The old key alone can no longer read it.
      await expect(service.retrieveCredentials(c.id)).rejects.toThrow(/neither the current key/)
      expect((await rotated.rotateEncryptionKey()).rotated).toBe(0)
    })
  },
})
