import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createSalesChannelsWorkflow } from "@medusajs/medusa/core-flows"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { importOrdersById } from "../../src/orchestration/orders/order-sync"
import { adminHeaders } from "../helpers/admin"
import { connectDriverShop, readOrder, seedStore, type SeededStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { describeFor, drivers, useSandbox, type DriverPush } from "../platforms"

jest.setTimeout(180000)

const SKUS = ["KOPI-250", "TEH-100"]

/**
 * Orders a platform takes through another sales channel than its own (Tokopedia's on TikTok Shop, since
 * Tokopedia's shops moved there): the order link, the order panel and the inbox name the channel, and a
 * connection may send each channel's orders to a sales channel of their own.
 */
describe.each(drivers())("$displayName", (driver) => {
  describeFor("tiktok-shop", driver)("order channels (Tokopedia)", () => {
    useSandbox(driver)

    medusaIntegrationTestRunner({
      testSuite: ({ api, getContainer }) => {
        let container: MedusaContainer
        let marketplace: MarketplaceModuleService
        let headers: Record<string, string>
        let store: SeededStore
        let connectionId: string
        let shopId: string
        let tokopediaChannel: string

        const newSalesChannel = async (name: string) => {
          const {
            result: [channel],
          } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name }] } })
          return channel.id
        }
        const locationsOf = async (salesChannelId: string) => {
          const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
            entity: "sales_channel",
            fields: ["id", "stock_locations.id"],
            filters: { id: salesChannelId },
          })
          return ((data[0] as unknown as { stock_locations?: { id: string }[] }).stock_locations ?? []).map((l) => l.id)
        }
        const update = (body: Record<string, unknown>) =>
          api
            .post(`/admin/marketplace/connections/${connectionId}`, body, { headers })
            .catch((e: { response: { status: number; data: { message: string } } }) => e.response)
        const newOrder = (channel: string | null) =>
          driver.createOrder(shopId, { status: "paid", prepaid: true, channel, items: [{ sku: "KOPI-250", quantity: 1 }] })
        const imported = async (externalId: string, options: { batch?: boolean } = {}) => {
          const [outcome] = await importOrdersById(container, connectionId, [externalId], options)
          expect(outcome).toEqual(expect.objectContaining({ action: "create", error: null }))
          return (await readOrder(container, outcome.order_id as string)).order
        }

        beforeEach(async () => {
          container = getContainer()
          marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
          headers = (await adminHeaders(container)).headers
          driver.reset()
          driver.setPushTarget(null)
          // An Indonesian shop: its orders come through TikTok Shop and through Tokopedia.
          store = await seedStore(container, SKUS, { stock: 50, country: "id", currency: "idr" })
          ;({ connection_id: connectionId, shop_id: shopId } = await connectDriverShop(container, driver, store, { country: "id" }))
          driver.createListings(shopId, [
            { name: "Kopi Gayo", sku: "KOPI-250", price: 50000, stock: 40 },
            { name: "Teh Melati", sku: "TEH-100", price: 20000, stock: 40 },
          ])
          // Not linked to any stock location: saving the setting links it to the connection's.
          tokopediaChannel = await newSalesChannel("Tokopedia")
        })

        it("the provider declares its order channels with their labels", async () => {
          const { data } = await api.get("/admin/marketplace/providers", { headers })
          const provider = data.providers.find((p: { id: string }) => p.id === driver.platform)
          expect(provider.vocabulary.order_channels).toEqual([{ id: "tokopedia", label: "Tokopedia" }])
        })

        it("with the setting, Tokopedia orders go to their own sales channel and TikTok Shop's to the connection's; links, panel and inbox name the channel", async () => {
          // Without the setting, every order goes to the connection's sales channel, labelled all the same.
          const before = await imported(newOrder("tokopedia").id)
          expect(before.sales_channel_id).toBe(store.sales_channel_id)
          expect(before.metadata.marketplace_channel).toBe("tokopedia")

          expect(await locationsOf(tokopediaChannel)).toEqual([])
          const saved = await update({ settings: { channel_sales_channels: { tokopedia: tokopediaChannel } } })
          expect(saved.status).toBe(200)
          expect(saved.data.connection.settings.channel_sales_channels).toEqual({ tokopedia: tokopediaChannel })
          // Medusa checks an order's stock in its sales channel's locations: the channel now sees the connection's.
          expect(await locationsOf(tokopediaChannel)).toEqual([store.stock_location_id])

          // The batch import (new paid orders together) and the one-by-one import place them alike.
          const toko = newOrder("tokopedia")
          const tiktok = newOrder(null)
          const [tokoOutcome, tiktokOutcome] = await importOrdersById(container, connectionId, [toko.id, tiktok.id])
          const tokoSingle = newOrder("tokopedia")
          const single = await imported(tokoSingle.id, { batch: false })
          const tokoOrder = (await readOrder(container, tokoOutcome.order_id as string))
          const tiktokOrder = (await readOrder(container, tiktokOutcome.order_id as string))

          expect(tokoOrder.order.sales_channel_id).toBe(tokopediaChannel)
          expect(single.sales_channel_id).toBe(tokopediaChannel)
          expect(tiktokOrder.order.sales_channel_id).toBe(store.sales_channel_id)
          expect(tokoOrder.order.metadata.marketplace_channel).toBe("tokopedia")
          expect(tiktokOrder.order.metadata.marketplace_channel).toBeUndefined()
          // Stock is reserved where the connection's stock is, whatever the sales channel.
          for (const { reservations } of [tokoOrder, tiktokOrder]) {
            expect(reservations.map((r) => r.location_id)).toEqual([store.stock_location_id])
          }

          const links = await marketplace.listOrderLinks({ connection_id: connectionId }, { select: ["external_order_id", "channel"] })
          const channelOf = Object.fromEntries(links.map((l) => [l.external_order_id, l.channel]))
          expect(channelOf[toko.id]).toBe("tokopedia")
          expect(channelOf[tokoSingle.id]).toBe("tokopedia")
          expect(channelOf[tiktok.id]).toBeNull()

          const panel = await api.get(`/admin/marketplace/orders/${tokoOutcome.order_id}`, { headers })
          expect(panel.data.marketplace_order).toEqual(
            expect.objectContaining({ platform_name: driver.displayName, channel: "tokopedia", channel_label: "Tokopedia" })
          )
          const own = await api.get(`/admin/marketplace/orders/${tiktokOutcome.order_id}`, { headers })
          expect(own.data.marketplace_order).toEqual(expect.objectContaining({ channel: null, channel_label: null }))

          // A later state (a pushed status change) keeps the channel, and the inbox lists the event with it.
          const hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
          driver.advanceOrder(toko.id, "processed")
          const push: DriverPush = driver.orderStatusPush(hookUrl, {
            shopId,
            orderId: toko.id,
            status: "processed",
            time: Math.floor(Date.now() / 1000),
          })
          const answer = await api.post(driver.webhookPath, push.body, { headers: push.headers, transformRequest: [(data: unknown) => data] })
          expect(answer.status).toBe(200)
          await waitFor(async () => {
            const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: toko.id })
            return link.status === "processed" ? link : null
          }, `order ${toko.id} to be processed`)
          const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: toko.id })
          expect(link.channel).toBe("tokopedia")
          const events = await api.get(`/admin/marketplace/events?external_order_id=${toko.id}`, { headers })
          expect(events.data.events.length).toBeGreaterThan(0)
          expect(events.data.events.every((e: { channel: string | null }) => e.channel === "tokopedia")).toBe(true)
          const event = await api.get(`/admin/marketplace/events/${events.data.events[0].id}`, { headers })
          expect(event.data.event.channel).toBe("tokopedia")
        })

        it("a bad setting is a 400 that changes nothing", async () => {
          expect((await update({ name: "Toko Kopi", settings: { channel_sales_channels: { tokopedia: tokopediaChannel } } })).status).toBe(200)
          const stored = await marketplace.retrieveConnection(connectionId)
          const other = await newSalesChannel("Elsewhere")

          const unknownChannel = await update({ name: "Renamed", settings: { import_unpaid: true, channel_sales_channels: { tokopedia: other, lazmall: other } } })
          expect(unknownChannel.status).toBe(400)
          expect(unknownChannel.data.message).toBe(`${driver.displayName} has no order channel "lazmall": use tokopedia`)

          const missing = await update({ name: "Renamed", settings: { import_unpaid: true, channel_sales_channels: { tokopedia: "sc_missing" } } })
          expect(missing.status).toBe(400)
          expect(missing.data.message).toBe("Sales channel with id: sc_missing was not found")

          for (const shape of [{ "Toko Pedia": other }, { tokopedia: "" }, { tokopedia: 12 }, ["tokopedia"]]) {
            const refused = await update({ name: "Renamed", settings: { channel_sales_channels: shape } })
            expect(refused.status).toBe(400)
          }

          const after = await marketplace.retrieveConnection(connectionId)
          expect(after.name).toBe("Toko Kopi")
          expect(after.settings).toEqual(stored.settings)
          expect(after.settings?.channel_sales_channels).toEqual({ tokopedia: tokopediaChannel })
          // Nothing was linked for the refused setting either.
          expect(await locationsOf(other)).toEqual([])

          // {} sends Tokopedia orders to the connection's sales channel again.
          expect((await update({ settings: { channel_sales_channels: {} } })).status).toBe(200)
          const order = await imported(newOrder("tokopedia").id)
          expect(order.sales_channel_id).toBe(store.sales_channel_id)
        })
      },
    })
  })
})
