import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { generateEntityId } from "@medusajs/framework/utils"
import type { MikroORM } from "@medusajs/framework/mikro-orm/core"
import type { AbstractSqlDriver } from "@medusajs/framework/mikro-orm/knex"
import { Migration20261122023131 } from "../migrations/Migration20261122023131"
import { Migration20261122030837 } from "../migrations/Migration20261122030837"
import { Migration20261122042206 } from "../migrations/Migration20261122042206"
import { Migration20261122042333 } from "../migrations/Migration20261122042333"
import { Migration20261122081513 } from "../migrations/Migration20261122081513"
import { Migration20261201034940 } from "../migrations/Migration20261201034940"
import { MARKETPLACE_MODULE } from "../types"
import type MarketplaceModuleService from "../services/marketplace-module-service"
import { parseEncryptionKey, SecretBox } from "../utils/crypto"

jest.setTimeout(60000)

const KEY = Buffer.alloc(32, 7).toString("base64")
const NEXT_KEY = Buffer.alloc(32, 8).toString("base64")

const EARLIER = [
  Migration20261122023131,
  Migration20261122030837,
  Migration20261122042206,
  Migration20261122042333,
  Migration20261122081513,
]

type MigrationClass = new (driver: AbstractSqlDriver, config: MikroORM["config"]) => {
  up(): Promise<void> | void
  getQueries(): unknown[]
}

moduleIntegrationTestRunner<MarketplaceModuleService>({
  moduleName: MARKETPLACE_MODULE,
  resolve: "./src/modules/marketplace",
  moduleOptions: { encryptionKey: KEY },
  testSuite: ({ service, MikroOrmWrapper }) => {
    it("moves each connection's sealed tokens, as main stores them, into an authorization the connection points to", async () => {
      const orm = MikroOrmWrapper.getOrm()
      const db = orm.em.getConnection()
      const run = async (Migration: MigrationClass) => {
        const migration = new Migration(orm.em.getDriver() as AbstractSqlDriver, orm.config)
        await migration.up()
        for (const sql of migration.getQueries()) {
          await db.execute(sql as string)
        }
      }

      // Start from the schema the earlier migrations build, not from today's models.
      const tables = await db.execute<{ tablename: string }[]>(
        `select tablename from pg_tables where schemaname = current_schema() and tablename like 'marketplace\\_%'`
      )
      for (const { tablename } of tables) {
        await db.execute(`drop table if exists "${tablename}" cascade`)
      }
      for (const Migration of EARLIER) {
        await run(Migration)
      }

      // Rows as main's code writes them: the pair sealed with the module's crypto, bound to the connection id.
      const box = new SecretBox(parseEncryptionKey(KEY))
      const seed = async (shopId: string, status: string, withTokens: boolean) => {
        const id = generateEntityId(undefined, "mpcon")
        await db.execute(
          `insert into marketplace_connection (id, platform, external_shop_id, name, shop_region, currency_code, status,
             access_token_expires_at, refresh_token_expires_at, authorized_at, last_error, settings, metadata)
           values (?, 'shopee', ?, ?, 'SG', 'sgd', ?, '2030-01-01T04:00:00Z', '2030-01-31T00:00:00Z', '2029-12-01T00:00:00Z', ?, '{"import_unpaid":true}', '{"shop_status":"NORMAL"}')`,
          [id, shopId, `Shop ${shopId}`, status, status === "needs_reauth" ? "The marketplace refused the token refresh" : null]
        )
        if (withTokens) {
          const sealed = box.seal(
            JSON.stringify({
              access_token: `access-${shopId}`,
              refresh_token: `refresh-${shopId}`,
              access_token_expires_at: "2030-01-01T04:00:00.000Z",
              refresh_token_expires_at: "2030-01-31T00:00:00.000Z",
            }),
            id
          )
          await db.execute(
            `insert into marketplace_connection_secret (id, connection_id, ciphertext, key_id) values (?, ?, ?, ?)`,
            [generateEntityId(undefined, "mpsec"), id, sealed.ciphertext, sealed.key_id]
          )
        }
        return id
      }
      const active = await seed("100", "active", true)
      const refused = await seed("200", "needs_reauth", true)
      const never = await seed("300", "active", false)

      await run(Migration20261201034940)

      // The tokens still decrypt, through the connection's new authorization.
      expect(await service.retrieveCredentials(active)).toEqual({
        access_token: "access-100",
        refresh_token: "refresh-100",
        access_token_expires_at: new Date("2030-01-01T04:00:00Z"),
        refresh_token_expires_at: new Date("2030-01-31T00:00:00Z"),
      })
      expect((await service.retrieveCredentials(refused)).access_token).toBe("access-200")

      const connection = await service.retrieveConnection(active, { relations: ["authorization"] })
      expect(connection).toEqual(
        expect.objectContaining({ status: "active", settings: { import_unpaid: true }, name: "Shop 100" })
      )
      expect(connection.authorization).toEqual(
        expect.objectContaining({
          platform: "shopee",
          status: "active",
          access_token_expires_at: new Date("2030-01-01T04:00:00Z"),
          refresh_token_expires_at: new Date("2030-01-31T00:00:00Z"),
          authorized_at: new Date("2029-12-01T00:00:00Z"),
          shops: [
            { shop_id: "100", name: "Shop 100", region: "SG", currency_code: "sgd", metadata: { shop_status: "NORMAL" } },
          ],
        })
      )
      expect((await service.retrieveAuthorization((await service.retrieveConnection(refused)).authorization_id as string)).status).toBe(
        "needs_reauth"
      )
      expect((await service.retrieveConnection(never)).authorization_id).toBeNull()
      expect(await db.execute(`select to_regclass('marketplace_connection_secret') as t`)).toEqual([{ t: null }])

      // The connection keeps working: a refresh stores a new pair, sealed for the authorization from then on.
      const next = {
        access_token: "access-100-b",
        refresh_token: "refresh-100-b",
        access_token_expires_at: new Date("2030-02-01T00:00:00Z"),
        refresh_token_expires_at: null,
      }
      await service.storeAuthorizationTokens(connection.authorization_id as string, next)
      expect(await service.retrieveCredentials(active)).toEqual(next)
      const [sealedFor] = await db.execute(
        `select sealed_for from marketplace_authorization_secret where authorization_id = ?`,
        [connection.authorization_id]
      )
      expect(sealedFor.sealed_for).toBe(connection.authorization_id)

      // Re-authorizing the shop reuses its connection and its authorization.
      const again = await service.saveGrant("shopee", {
        tokens: { ...next, access_token: "access-100-c" },
        shops: [{ shop_id: "100", name: "Shop 100" }],
      })
      expect(again.authorization_id).toBe(connection.authorization_id)
      expect(again.shops[0].connection_id).toBe(active)

      // A key rotation re-seals the pair still bound to its former connection.
      const Service = service.constructor as new (...args: unknown[]) => MarketplaceModuleService
      const internals = service as unknown as Record<string, unknown>
      const rotated = new Service(
        {
          baseRepository: internals.baseRepository_,
          authorizationSecretService: internals.authorizationSecretService_,
          marketplaceProviderRegistry: internals.providers_,
        },
        { encryptionKey: NEXT_KEY, previousEncryptionKeys: KEY }
      )
      expect(await rotated.rotateEncryptionKey()).toEqual(expect.objectContaining({ total: 2, rotated: 2 }))
      const refusedAuthorization = (await service.retrieveConnection(refused)).authorization_id as string
      expect((await rotated.retrieveAuthorizationTokens(refusedAuthorization)).refresh_token).toBe("refresh-200")
      const [rebound] = await db.execute(
        `select sealed_for from marketplace_authorization_secret where authorization_id = ?`,
        [refusedAuthorization]
      )
      expect(rebound.sealed_for).toBe(refusedAuthorization)
    })
  },
})
