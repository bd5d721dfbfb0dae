import { tmpdir } from "os"
import { join } from "path"
import { TiktokShopProvider } from "../../src/providers/tiktok-shop"
import type { ShopSession } from "../../src/providers/types"
import { TIKTOK_SHOP_APP_KEY, TIKTOK_SHOP_APP_SECRET, TIKTOK_SHOP_SERVICE_ID, tiktokShopDriver } from "../platforms/tiktok-shop/driver"
import { freePort } from "../platforms/remote"
import type { RemoteSandbox } from "../platforms/types"

jest.setTimeout(120000)

/**
 * The TikTok Shop sandbox as a process of its own (the sandbox CLI) behind the driver's RemoteSandbox: an order's
 * settlement and an adjustment over the control API, read back by the provider over the Finance API.
 */
describe("TikTok Shop sandbox process (driver.startProcess): settlement", () => {
  let remote: RemoteSandbox

  beforeAll(async () => {
    remote = await tiktokShopDriver().startProcess({ port: await freePort(), logFile: join(tmpdir(), `tiktok-remote-spec-${process.pid}.log`), seed: 7 })
  })
  afterAll(async () => {
    await remote?.stop()
  })

  it("settles a completed order, adds an adjustment, and the provider reads both", async () => {
    const shop = await remote.createShop({ name: "Remote shop" })
    const tokens = await remote.issueTokens(shop.id)
    await remote.createListings(shop.id, [{ name: "Remote tee", sku: "REMOTE-A", price: 19.9, stock: 100 }])
    const order = await remote.createOrder(shop.id, { status: "completed", items: [{ sku: "REMOTE-A", quantity: 3 }] })
    const settlement = await remote.settlement!(order.id)
    expect(settlement.net_payout).toBeGreaterThan(0)
    await remote.addSettlementAdjustment!(order.id, { amount: -1.25, reason: "Logistic fee correction" })

    const provider = new TiktokShopProvider(
      { logger: { info() {}, warn() {}, error() {}, debug() {} } },
      { appKey: TIKTOK_SHOP_APP_KEY, appSecret: TIKTOK_SHOP_APP_SECRET, serviceId: TIKTOK_SHOP_SERVICE_ID, baseUrl: remote.url, authBaseUrl: remote.url }
    )
    const session: ShopSession = { connection_id: "conn_remote", shop_id: shop.id, region: "SG", access_token: tokens.access_token, metadata: shop.metadata }
    const [escrow] = await provider.getEscrows(session, [order.id])
    expect(Number(escrow.fees.commission)).toBeCloseTo(settlement.fees.commission, 2)
    expect(Number(escrow.fees.service)).toBeCloseTo(settlement.fees.service, 2)
    expect(Number(escrow.fees.transaction)).toBeCloseTo(settlement.fees.transaction, 2)
    expect(Number(escrow.buyer_total)).toBeCloseTo(settlement.buyer_total, 2)
    const after = await remote.settlement!(order.id)
    expect(after.net_payout_after_adjustments).toBeCloseTo(settlement.net_payout - 1.25, 2)
    expect(Number(escrow.net_payout)).toBeCloseTo(after.net_payout_after_adjustments, 2)
    expect(escrow.adjustments).toEqual([expect.objectContaining({ amount: "-1.25", reason: "SHIPPING_FEE_ADJUSTMENT" })])
  })

  it("ships an order through the Fulfillment API with a slow 3PL, prints its label from the doc_url, and cancels another", async () => {
    const shop = await remote.createShop({ name: "Remote shipping shop" })
    const tokens = await remote.issueTokens(shop.id)
    await remote.createListings(shop.id, [{ name: "Remote mug", sku: "REMOTE-M", price: 12, stock: 100 }])
    const provider = new TiktokShopProvider(
      { logger: { info() {}, warn() {}, error() {}, debug() {} } },
      { appKey: TIKTOK_SHOP_APP_KEY, appSecret: TIKTOK_SHOP_APP_SECRET, serviceId: TIKTOK_SHOP_SERVICE_ID, baseUrl: remote.url, authBaseUrl: remote.url }
    )
    const session: ShopSession = { connection_id: "conn_remote_ship", shop_id: shop.id, region: "SG", access_token: tokens.access_token, metadata: shop.metadata }

    const order = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "REMOTE-M", quantity: 2 }] })
    await remote.withholdTracking!(1)
    await provider.shipOrder(session, { external_order_id: order.id, method: "dropoff" })
    expect((await remote.order(order.id)).external_status).toBe("AWAITING_COLLECTION")
    expect((await provider.getShipment(session, order.id)).tracking_number).toBeNull()
    expect(await provider.getShippingDocument(session, order.id)).toBeNull()
    await remote.releaseTracking!(order.id)
    const tracking = (await remote.order(order.id)).tracking_number
    expect(tracking).toBeTruthy()
    expect((await provider.getShipment(session, order.id)).tracking_number).toBe(tracking)
    const label = await provider.getShippingDocument(session, order.id)
    expect(label?.content.subarray(0, 4).toString()).toBe("%PDF")

    const other = await remote.createOrder(shop.id, { status: "paid", items: [{ sku: "REMOTE-M", quantity: 1 }] })
    await provider.cancelOrder(session, { external_order_id: other.id, reason: "customer_request" })
    expect((await remote.order(other.id)).status).toBe("cancelled")
  })
})
