import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { getShopSession, withShopSession } from "../../src/lib/shop-session"
import { MarketplaceApiError } from "../../src/providers/errors"
import { parseEncryptionKey, SecretBox } from "../../src/modules/marketplace/utils/crypto"
import { randomBytes } from "crypto"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { adminHeaders } from "../helpers/admin"
import { connectDriverShop } from "../helpers/store"
import { describeFor, drivers, useSandbox } from "../platforms"

jest.setTimeout(180000)

describe.each(drivers())("$displayName", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let marketplace: MarketplaceModuleService
      let headers: Record<string, string>
      const oauth = `/admin/marketplace/oauth/${driver.platform}`

      beforeEach(async () => {
        container = getContainer()
        marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        headers = (await adminHeaders(container)).headers
        driver.reset()
      })

      describe("OAuth", () => {
        it("connects a shop through the whole round trip, and the state works once", async () => {
          const shop = driver.createShop({ name: "Round Trip Store" })
          const providers = await api.get("/admin/marketplace/providers", { headers })
          expect(providers.data.providers).toEqual([
            { id: driver.platform, display_name: driver.displayName, vocabulary: expect.any(Object) },
          ])

          const start = await api.post(`${oauth}/authorize`, {}, { headers })
          expect(start.data.url).toContain(driver.authorizeUrlPrefix)
          // The driver checks what the platform sends back (state, code and the shop).
          const { redirect: back, params } = await driver.authorize(start.data.url, shop.id)
          expect(back.pathname).toBe(`/app/marketplaces/oauth/${driver.platform}`)

          // The query string goes through as the marketplace sent it, parameters the plugin does not know included.
          const done = await api.post(`${oauth}/callback`, { ...params, lang: "en" }, { headers })
          expect(done.status).toBe(201)
          expect(done.data.connection).toEqual(
            expect.objectContaining({ platform: driver.platform, external_shop_id: shop.id, name: "Round Trip Store", status: "active", shop_region: "SG" })
          )
          // The grant's authorization lists the shop, connected.
          expect(done.data.authorization).toEqual(
            expect.objectContaining({
              id: done.data.connection.authorization.id,
              platform: driver.platform,
              status: "active",
              shops: [expect.objectContaining({ shop_id: shop.id, name: "Round Trip Store", connection_id: done.data.connection.id })],
            })
          )
          expect(JSON.stringify(done.data)).not.toMatch(/access_token"|refresh_token"|ciphertext|sealed_for/)
          const tokens = await marketplace.retrieveCredentials(done.data.connection.id)
          expect(tokens.access_token).toBeTruthy()
          expect(JSON.stringify(done.data)).not.toContain(tokens.access_token)
          expect(JSON.stringify(done.data)).not.toContain(tokens.refresh_token)

          // The same state again: refused, nothing changes.
          const replay = await api.post(`${oauth}/callback`, params, { headers }).catch((e: { response: unknown }) => e.response)
          expect(replay.status).toBe(400)
          expect(replay.data.message).toMatch(/already used/)

          // Reconnecting the same shop updates the same connection.
          await marketplace.updateConnections({ id: done.data.connection.id, status: "needs_reauth" })
          const again = await api.post(`${oauth}/authorize`, {}, { headers })
          const back2 = await driver.authorize(again.data.url, shop.id)
          const redone = await api.post(`${oauth}/callback`, back2.params, { headers })
          expect(redone.status).toBe(200)
          expect(redone.data.connection.id).toBe(done.data.connection.id)
          expect(redone.data.connection.status).toBe("active")
          expect(redone.data.connection.authorization.id).toBe(done.data.connection.authorization.id)
          expect(await marketplace.listConnections({ platform: driver.platform })).toHaveLength(1)
          expect(await marketplace.listAuthorizations({ platform: driver.platform })).toHaveLength(1)
          const retokened = await marketplace.retrieveCredentials(done.data.connection.id)
          expect(retokened.access_token).not.toBe(tokens.access_token)
        })

        it("refuses a state of another admin user, an expired state and an unknown platform", async () => {
          const shop = driver.createShop({})
          const start = await api.post(`${oauth}/authorize`, {}, { headers })
          const { params } = await driver.authorize(start.data.url, shop.id)
          const other = (await adminHeaders(container, "other-admin@example.com")).headers
          const stolen = await api.post(`${oauth}/callback`, params, { headers: other }).catch((e: { response: unknown }) => e.response)
          expect(stolen.status).toBe(400)
          expect(stolen.data.message).toMatch(/another admin user/)

          const late = await api.post(`${oauth}/authorize`, {}, { headers })
          const { params: lateParams } = await driver.authorize(late.data.url, shop.id)
          const [state] = await marketplace.listOauthStates({ used_at: null }, { order: { created_at: "DESC" }, take: 1 })
          await marketplace.updateOauthStates({ id: state.id, expires_at: new Date(Date.now() - 1000) })
          const expired = await api.post(`${oauth}/callback`, lateParams, { headers }).catch((e: { response: unknown }) => e.response)
          expect(expired.status).toBe(400)
          expect(expired.data.message).toMatch(/expired/)

          const unknown = await api.post("/admin/marketplace/oauth/nowhere/authorize", {}, { headers }).catch((e: { response: unknown }) => e.response)
          expect(unknown.status).toBe(404)
          const missing = await api.post(`${oauth}/callback`, driver.incompleteCallback(), { headers }).catch((e: { response: unknown }) => e.response)
          expect(missing.status).toBe(400)
          expect(await marketplace.listConnections({})).toHaveLength(0)
        })
      })

      describeFor("shopee", driver)("Shopee", () => {
        it("declares Shopee's words, which the admin presents without knowing them", async () => {
          const providers = await api.get("/admin/marketplace/providers", { headers })
          const vocabulary = providers.data.providers[0].vocabulary
          expect(vocabulary.cancel_reasons.map((r: { id: string }) => r.id)).toEqual(["out_of_stock", "customer_request", "undeliverable_area"])
          expect(vocabulary.default_cancel_reason).toBe("out_of_stock")
          expect(vocabulary.ship_methods.map((m: { id: string }) => m.id)).toEqual(["pickup", "dropoff", "non_integrated"])
          expect(vocabulary.return_solutions.map((s: { id: string }) => s.id)).toEqual(["return_refund", "refund_only"])
          expect(vocabulary.fee_kinds).toContainEqual({ id: "commission", label: "Commission", seller_pays: true, group: "commission" })
          expect(vocabulary.single_model_id).toBe("0")
        })
      })

      describe("tokens", () => {
        it("20 concurrent calls at token expiry make exactly one refresh", async () => {
          const { connection_id, shop_id } = await connectDriverShop(container, driver, null)
          // The stored token is about to expire: every caller wants a refresh.
          const creds = await marketplace.retrieveCredentials(connection_id)
          await marketplace.storeCredentials(connection_id, { ...creds, access_token_expires_at: new Date(Date.now() + 5_000) })
          const before = driver.refreshCount(shop_id)

          const sessions = await Promise.all(Array.from({ length: 20 }, () => getShopSession(container, connection_id)))
          expect(driver.refreshCount(shop_id) - before).toBe(1)
          expect(new Set(sessions.map((s) => s.access_token)).size).toBe(1)
          const stored = await marketplace.retrieveCredentials(connection_id)
          expect(stored.access_token).toBe(sessions[0].access_token)
          expect(stored.access_token).not.toBe(creds.access_token)
          expect(stored.access_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000)

          // The new token works against the sandbox.
          const page = await withShopSession(container, connection_id, (p, s) => p.listListings(s, {}))
          expect(page.items).toEqual([])
        })

        it("a refused refresh puts the connection in needs_reauth", async () => {
          const { connection_id, shop_id } = await connectDriverShop(container, driver, null)
          const creds = await marketplace.retrieveCredentials(connection_id)
          await marketplace.storeCredentials(connection_id, { ...creds, access_token_expires_at: new Date(Date.now() - 1000) })
          driver.expireTokens(shop_id, true)
          await expect(getShopSession(container, connection_id)).rejects.toThrow()
          const connection = await marketplace.retrieveConnection(connection_id)
          expect(connection.status).toBe("needs_reauth")
          expect(connection.last_error).toMatch(/refused the token refresh/)
          const authorization = await marketplace.retrieveAuthorization(connection.authorization_id as string)
          expect(authorization.status).toBe("needs_reauth")
          expect(authorization.last_error).toMatch(/refused the token refresh/)
          await expect(getShopSession(container, connection_id)).rejects.toThrow(/needs re-authorization/)
        })

        it("a marketplace failure during the code exchange is a 502 with the platform's words, a refusal a 400", async () => {
          const shop = driver.createShop({ name: "Flaky Store" })
          const start = await api.post(`${oauth}/authorize`, {}, { headers })
          const { params } = await driver.authorize(start.data.url, shop.id)
          driver.addFault({ operation: "exchange_code", kind: "server_error", count: 10 })
          const failed = await api.post(`${oauth}/callback`, params, { headers }).catch((e: { response: { status: number; data: { message: string } } }) => e.response)
          driver.clearFaults()
          expect(failed.status).toBe(502)
          expect(failed.data.message).toMatch(/^The marketplace failed to exchange the authorization code: .+\. Start the connection again$/)
          expect(failed.data.message).not.toMatch(/unknown error/i)

          // The platform refusing the code (used, expired, invented): a 400 with its words.
          const again = await api.post(`${oauth}/authorize`, {}, { headers })
          const second = await driver.authorize(again.data.url, shop.id)
          const refused = await api
            .post(`${oauth}/callback`, { ...second.params, code: "not-a-code" }, { headers })
            .catch((e: { response: { status: number; data: { message: string } } }) => e.response)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toMatch(/^The marketplace refused to exchange the authorization code: .+/)
          expect(await marketplace.listConnections({ external_shop_id: shop.id })).toHaveLength(0)
        })

        it("tokens sealed with a key that is no longer configured put the grant in needs_reauth with the reason, not a 500", async () => {
          const { connection_id } = await connectDriverShop(container, driver, null)
          const connection = await marketplace.retrieveConnection(connection_id)
          const authorizationId = connection.authorization_id as string
          // The tokens as another key sealed them (the app's key was changed without keeping the old one).
          const other = new SecretBox(parseEncryptionKey(randomBytes(32).toString("base64")))
          const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
          const [secret] = await pg("marketplace_authorization_secret").where({ authorization_id: authorizationId })
          const resealed = other.seal('{"access_token":"a","refresh_token":"r","access_token_expires_at":"2999-01-01"}', secret.sealed_for)
          await pg("marketplace_authorization_secret")
            .where({ authorization_id: authorizationId })
            .update({ ciphertext: resealed.ciphertext, key_id: resealed.key_id })

          const failure = await getShopSession(container, connection_id).catch((e) => e)
          expect(failure).toBeInstanceOf(MedusaError)
          expect(failure.type).toBe(MedusaError.Types.NOT_ALLOWED)
          expect(failure.message).toMatch(/needs re-authorization: its tokens cannot be read with the configured encryption keys/)
          const after = await api.get(`/admin/marketplace/connections/${connection_id}`, { headers })
          expect(after.data.connection.status).toBe("needs_reauth")
          expect(after.data.connection.last_error).toMatch(/MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS, or connect the shop again/)
          expect((await marketplace.retrieveAuthorization(authorizationId)).status).toBe("needs_reauth")
          // From now on, the usual answer for a connection waiting for Reconnect.
          await expect(getShopSession(container, connection_id)).rejects.toThrow(/needs re-authorization: connect the shop again/)
        })
      })

      describe("Permission errors", () => {
        it.each(["api_restricted", "permission_denied"] as const)(
          "%s on one call fails that call with the platform's words and leaves the shop connected",
          async (kind) => {
            const { connection_id, shop_id } = await connectDriverShop(container, driver, null)
            driver.createListings(shop_id, [{ name: "Mug", sku: "MUG-01", price: 12, stock: 5 }])
            const order = driver.createOrder(shop_id, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
            driver.addFault({ operation: "get_order", kind, count: 5 })
            const failure = await withShopSession(container, connection_id, (p, s) => p.getOrders(s, [order.id])).catch((e) => e)
            driver.clearFaults()
            expect(MarketplaceApiError.is(failure)).toBe(true)
            expect(failure.kind).toBe("not_allowed")
            expect(failure.message).toMatch(/failed: \w+: .+/)
            const connection = await marketplace.retrieveConnection(connection_id)
            expect(connection.status).toBe("active")
            expect((await marketplace.retrieveAuthorization(connection.authorization_id as string)).status).toBe("active")
            // The other calls still work.
            const [fetched] = await withShopSession(container, connection_id, (p, s) => p.getOrders(s, [order.id]))
            expect(fetched.external_id).toBe(order.id)
          }
        )

        it("a token the platform refuses even after a refresh puts the authorization in needs_reauth", async () => {
          const { connection_id, shop_id } = await connectDriverShop(container, driver, null)
          // The platform forgets every token of the shop: the refresh is refused too.
          driver.expireTokens(shop_id, true)
          const failure = await withShopSession(container, connection_id, (p, s) => p.getOrders(s, ["X"])).catch((e) => e)
          expect(MarketplaceApiError.is(failure)).toBe(true)
          expect(failure.kind).toBe("auth")
          const connection = await marketplace.retrieveConnection(connection_id)
          expect(connection.status).toBe("needs_reauth")
          expect((await marketplace.retrieveAuthorization(connection.authorization_id as string)).status).toBe("needs_reauth")
        })
      })
    },
  })
})
