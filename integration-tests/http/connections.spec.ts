import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
} from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { adminHeaders } from "../helpers/admin"

jest.setTimeout(120000)

const SECRET_MARKERS = ["ACCESS-SECRET-1234", "REFRESH-SECRET-5678", "ciphertext", "v1."]

function expectNoSecret(body: unknown) {
  const text = JSON.stringify(body)
  for (const marker of SECRET_MARKERS) {
    expect(text).not.toContain(marker)
  }
  expect(text).not.toMatch(/access_token"|refresh_token"/)
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    let marketplace: MarketplaceModuleService
    let shops: { id: string }[]

    beforeEach(async () => {
      const container = getContainer()
      headers = (await adminHeaders(container)).headers
      marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      shops = []
      for (const [i, platform] of ["shopee", "shopee", "lazada"].entries()) {
        const c = await marketplace.createConnections({
          platform,
          external_shop_id: `shop-${i}`,
          name: `Shop ${i}`,
          shop_region: "SG",
          status: i === 1 ? "needs_reauth" : "active",
        })
        await marketplace.storeCredentials(c.id, {
          access_token: SECRET_MARKERS[0],
          refresh_token: SECRET_MARKERS[1],
          access_token_expires_at: new Date(Date.now() + 3600_000),
          refresh_token_expires_at: new Date(Date.now() + 30 * 86400_000),
        })
        shops.push(c)
      }
    })

    describe("auth", () => {
      it("answers 401 without admin credentials", async () => {
        for (const call of [
          () => api.get("/admin/marketplace/connections"),
          () => api.get(`/admin/marketplace/connections/${shops[0].id}`),
          () => api.post(`/admin/marketplace/connections/${shops[0].id}`, { name: "x" }),
          () => api.delete(`/admin/marketplace/connections/${shops[0].id}`),
        ]) {
          const res = await call().catch((e: { response: { status: number } }) => e.response)
          expect(res.status).toBe(401)
        }
      })
    })

    describe("GET /admin/marketplace/connections", () => {
      it("lists with pagination and never a secret", async () => {
        const res = await api.get("/admin/marketplace/connections?limit=2&offset=0", { headers })
        expect(res.status).toBe(200)
        expect(res.data).toEqual(
          expect.objectContaining({ count: 3, offset: 0, limit: 2, connections: expect.any(Array) })
        )
        expect(res.data.connections).toHaveLength(2)
        const page2 = await api.get("/admin/marketplace/connections?limit=2&offset=2", { headers })
        expect(page2.data.connections).toHaveLength(1)
        expectNoSecret(res.data)
        expectNoSecret(page2.data)
      })

      it("filters by platform and status", async () => {
        const byPlatform = await api.get("/admin/marketplace/connections?platform=lazada", { headers })
        expect(byPlatform.data.connections.map((c: { id: string }) => c.id)).toEqual([shops[2].id])
        const byStatus = await api.get("/admin/marketplace/connections?status=needs_reauth", { headers })
        expect(byStatus.data.connections.map((c: { id: string }) => c.id)).toEqual([shops[1].id])
        const many = await api.get("/admin/marketplace/connections?status[]=active&platform[]=shopee", {
          headers,
        })
        expect(many.data.connections.map((c: { id: string }) => c.id)).toEqual([shops[0].id])
      })

      it("refuses bad query parameters with 400", async () => {
        const res = await api
          .get("/admin/marketplace/connections?status=sleeping", { headers })
          .catch((e: { response: unknown }) => e.response)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/status/)
      })

      it("cannot reach a secret even when asking for every field", async () => {
        const res = await api.get("/admin/marketplace/connections?fields=*", { headers })
        expect(res.status).toBe(200)
        expectNoSecret(res.data)
      })
    })

    describe("GET /admin/marketplace/connections/:id", () => {
      it("retrieves one without secrets", async () => {
        const res = await api.get(`/admin/marketplace/connections/${shops[0].id}`, { headers })
        expect(res.status).toBe(200)
        expect(res.data.connection).toEqual(
          expect.objectContaining({ id: shops[0].id, platform: "shopee", external_shop_id: "shop-0" })
        )
        // The expiry is the authorization's: every shop of a grant shares its token pair.
        expect(res.data.connection.authorization.access_token_expires_at).toBeTruthy()
        expectNoSecret(res.data)
      })

      it("reaches no secret through the authorization, whatever the fields asked for", async () => {
        for (const fields of ["*authorization", "authorization.*", "+authorization.shops"]) {
          const res = await api.get(`/admin/marketplace/connections/${shops[0].id}?fields=${fields}`, { headers })
          expect(res.status).toBe(200)
          expectNoSecret(res.data)
        }
        const { data } = await api.get(`/admin/marketplace/connections/${shops[0].id}`, { headers })
        const res = await api.get(`/admin/marketplace/authorizations/${data.connection.authorization.id}`, { headers })
        expect(res.status).toBe(200)
        expect(res.data.authorization).toEqual(
          expect.objectContaining({
            platform: "shopee",
            status: "active",
            shops: [expect.objectContaining({ shop_id: "shop-0", connection_id: shops[0].id })],
          })
        )
        expectNoSecret(res.data)
      })

      it("answers 404 for an unknown id", async () => {
        const res = await api
          .get("/admin/marketplace/connections/mpcon_unknown", { headers })
          .catch((e: { response: unknown }) => e.response)
        expect(res.status).toBe(404)
        expect(res.data.message).toContain("mpcon_unknown")
      })
    })

    describe("POST /admin/marketplace/connections/:id", () => {
      it("sets settings and links to sales channel, stock location and region", async () => {
        const container = getContainer()
        const {
          result: [channel],
        } = await createSalesChannelsWorkflow(container).run({
          input: { salesChannelsData: [{ name: "Shopee SG" }] },
        })
        const {
          result: [location],
        } = await createStockLocationsWorkflow(container).run({
          input: { locations: [{ name: "Singapore warehouse" }] },
        })
        const {
          result: [region],
        } = await createRegionsWorkflow(container).run({
          input: { regions: [{ name: "Singapore", currency_code: "sgd", countries: ["sg"] }] },
        })

        const res = await api.post(
          `/admin/marketplace/connections/${shops[0].id}`,
          {
            name: "My Shopee shop",
            sales_channel_id: channel.id,
            stock_location_id: location.id,
            region_id: region.id,
            settings: { import_unpaid: true, stock_rules: { buffer: 2, percentage: 80, max: 100 } },
          },
          { headers }
        )
        expect(res.status).toBe(200)
        expect(res.data.connection).toEqual(
          expect.objectContaining({
            name: "My Shopee shop",
            sales_channel: expect.objectContaining({ id: channel.id }),
            stock_location: expect.objectContaining({ id: location.id }),
            region: expect.objectContaining({ id: region.id }),
            settings: { import_unpaid: true, stock_rules: { buffer: 2, percentage: 80, max: 100 } },
          })
        )
        expectNoSecret(res.data)

        // Settings not given keep their value; a null unlinks.
        const again = await api.post(
          `/admin/marketplace/connections/${shops[0].id}`,
          { settings: { pull_interval_minutes: 5 }, region_id: null },
          { headers }
        )
        expect(again.data.connection.settings).toEqual({
          import_unpaid: true,
          stock_rules: { buffer: 2, percentage: 80, max: 100 },
          pull_interval_minutes: 5,
        })
        expect(again.data.connection.region ?? null).toBeNull()
        expect(again.data.connection.sales_channel.id).toBe(channel.id)

        // A setting given replaces its value as a whole: a rule cleared in the form is gone, the others stay.
        const rules = await api.post(
          `/admin/marketplace/connections/${shops[0].id}`,
          { settings: { stock_rules: { buffer: 1 } } },
          { headers }
        )
        expect(rules.data.connection.settings).toEqual({ import_unpaid: true, stock_rules: { buffer: 1 }, pull_interval_minutes: 5 })
        expect((await marketplace.retrieveConnection(shops[0].id)).settings).toEqual(rules.data.connection.settings)

        // The link is visible from the other side too.
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "sales_channel",
          fields: ["id", "connection.id"],
          filters: { id: channel.id },
        })
        expect(data[0].connection?.id).toBe(shops[0].id)
      })

      it("refuses bad input with 400 and changes nothing", async () => {
        const before = await marketplace.retrieveConnection(shops[0].id)
        for (const body of [
          { settings: { stock_rules: { percentage: 150 } } },
          { settings: { unknown_setting: true } },
          // The default ship method is checked against the provider's vocabulary; none is configured here.
          { settings: { ship_method: "dropoff" } },
          { enabled: "yes" },
          { platform: "lazada" },
          { sales_channel_id: "sc_does_not_exist" },
        ]) {
          const res = await api
            .post(`/admin/marketplace/connections/${shops[0].id}`, body, { headers })
            .catch((e: { response: unknown }) => e.response)
          expect(res.status).toBe(400)
          expect(typeof res.data.message).toBe("string")
        }
        const after = await marketplace.retrieveConnection(shops[0].id)
        expect(after.updated_at).toEqual(before.updated_at)
        expect(after.settings).toEqual(before.settings)
      })

      it("answers 404 for an unknown id", async () => {
        const res = await api
          .post("/admin/marketplace/connections/mpcon_nope", { name: "x" }, { headers })
          .catch((e: { response: unknown }) => e.response)
        expect(res.status).toBe(404)
      })
    })

    describe("DELETE /admin/marketplace/connections/:id", () => {
      it("disables the connection and keeps it, then it can be enabled again", async () => {
        const res = await api.delete(`/admin/marketplace/connections/${shops[0].id}`, { headers })
        expect(res.status).toBe(200)
        expect(res.data).toEqual(expect.objectContaining({ id: shops[0].id, disabled: true }))
        expect(res.data.connection.status).toBe("disabled")
        expectNoSecret(res.data)

        const list = await api.get("/admin/marketplace/connections?status=disabled", { headers })
        expect(list.data.count).toBe(1)

        const enabled = await api.post(
          `/admin/marketplace/connections/${shops[0].id}`,
          { enabled: true },
          { headers }
        )
        expect(enabled.data.connection.status).toBe("active")
      })

      it("answers 404 for an unknown id", async () => {
        const res = await api
          .delete("/admin/marketplace/connections/mpcon_nope", { headers })
          .catch((e: { response: unknown }) => e.response)
        expect(res.status).toBe(404)
      })
    })
  },
})
