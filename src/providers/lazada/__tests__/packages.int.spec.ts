import { createServer, type Server } from "http"
import type { AddressInfo } from "net"
import { LAZADA_APP_KEY, LAZADA_APP_SECRET, lazadaDriver } from "../../../../integration-tests/platforms/lazada/driver"
import type { ShopSession } from "../../types"
import { LazadaProvider } from "../provider"
import type { LazadaOrderItem } from "../schemas"

/**
 * An order split into packages on the Lazada sandbox by the HTTP specs' driver (`driver.packages`), read back
 * through the provider over HTTP: each package with its own stage, from its units' statuses.
 */
const driver = lazadaDriver()
const silentLogger = { info() {}, warn() {}, error() {}, debug() {} }
let provider: LazadaProvider
let session: ShopSession
let hook: Server
let hookUrl: string
/** The bodies of the pushes the sandbox sent to `hook`. */
let received: { message_type: number; data: Record<string, unknown> }[] = []

beforeAll(async () => {
  await driver.start()
  hook = createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => (body += chunk))
    req.on("end", () => {
      received.push(JSON.parse(body))
      res.end("ok")
    })
  })
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve))
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/marketplace/lazada`
})

afterAll(async () => {
  await new Promise<void>((resolve) => hook.close(() => resolve()))
  await driver.stop()
})

beforeEach(() => {
  driver.reset()
  received = []
  provider = new LazadaProvider(
    { logger: silentLogger },
    {
      appKey: LAZADA_APP_KEY,
      appSecret: LAZADA_APP_SECRET,
      authUrl: process.env.LAZADA_AUTH_URL,
      apiUrlTemplate: process.env.LAZADA_API_URL_TEMPLATE,
      callsPerSecond: 10000,
      maxRetries: 0,
      timeoutMs: 3000,
      sleep: async () => undefined,
    } as never
  )
  const shop = driver.createShop({ name: "Split shop" })
  driver.createListings(shop.id, [
    { name: "Mug", sku: "MUG-01", price: 12.5, stock: 10 },
    { name: "Tee", sku: "TEE-BLK-M", price: 20, stock: 10 },
  ])
  session = { connection_id: "conn_split", shop_id: shop.id, region: "SG", access_token: driver.issueTokens(shop.id).access_token, metadata: { country: "sg" } }
})

async function read(orderId: string) {
  const [order] = await provider.getOrders(session, [orderId])
  return order
}

describe("Lazada packages: split on the sandbox, read by the provider", () => {
  it("splits a paid order in two packages, ships and delivers one while the other waits, each package with its stage", async () => {
    const placed = driver.createOrder(session.shop_id, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }, { sku: "TEE-BLK-M", quantity: 1 }] })
    driver.setPushTarget(hookUrl)
    const [mugs, tee] = driver.packages!.split(placed.id, [["MUG-01"], [" tee-blk-m "]])
    expect(mugs).not.toBe(tee)
    const listed = driver.packages!.list(placed.id)
    expect(listed).toEqual([
      { id: mugs, units: { "MUG-01": 2 }, tracking_number: expect.stringMatching(/^LZ/) },
      { id: tee, units: { "TEE-BLK-M": 1 }, tracking_number: expect.stringMatching(/^LZ/) },
    ])
    expect(listed[0].tracking_number).not.toBe(listed[1].tracking_number)

    let order = await read(placed.id)
    expect(order.status).toBe("processed")
    expect(order.packages.map((p) => [p.external_id, p.stage, p.tracking_number])).toEqual([
      [mugs, "pending", listed[0].tracking_number],
      [tee, "pending", listed[1].tracking_number],
    ])

    // The carrier takes the mugs; the tee waits: the order stays where its least advanced unit is.
    const moved = driver.packages!.advance(placed.id, mugs, "shipped")
    expect(moved.status).toBe("processed")
    await driver.flushPushes()
    const lines = (status: string) =>
      received.filter((p) => p.message_type === 0 && p.data.order_status === status && p.data.trade_order_id === placed.id).map((p) => String(p.data.trade_order_line_id))
    // The mugs' units (order lines) as GetMultipleOrderItems gives them, kept in the mapped order's raw.
    const { items } = (await read(placed.id)).raw as { items: LazadaOrderItem[] }
    const mugItemIds = items.filter((i) => i.package_id === mugs).map((i) => String(i.order_item_id))
    expect(mugItemIds).toHaveLength(2)
    // Pack pushed every unit as packed; each mug was pushed ready to ship, then shipped.
    expect(lines("packed")).toHaveLength(3)
    expect(lines("ready_to_ship").sort()).toEqual([...mugItemIds].sort())
    expect(lines("shipped").sort()).toEqual([...mugItemIds].sort())

    order = await read(placed.id)
    expect(order.status).toBe("processed")
    expect(order.packages.map((p) => [p.external_id, p.stage, p.items])).toEqual([
      [mugs, "shipped", [{ line_id: expect.stringMatching(/@12\.5$/), quantity: 2 }]],
      [tee, "pending", [{ line_id: expect.stringMatching(/@20$/), quantity: 1 }]],
    ])

    // The mugs arrive while the tee is on its way: delivered and shipped packages, the order shipped.
    driver.packages!.advance(placed.id, mugs, "delivered")
    expect(driver.packages!.advance(placed.id, tee, "shipped").status).toBe("shipped")
    order = await read(placed.id)
    expect(order.status).toBe("shipped")
    expect(order.packages.map((p) => [p.external_id, p.stage])).toEqual([
      [mugs, "delivered"],
      [tee, "shipped"],
    ])
    expect(driver.packages!.advance(placed.id, tee, "delivered").status).toBe("delivered")
    expect((await read(placed.id)).packages.map((p) => p.stage)).toEqual(["delivered", "delivered"])
  })

  it("refuses a split that leaves a SKU out or names one twice, and an order already packed", () => {
    const placed = driver.createOrder(session.shop_id, { status: "paid", items: [{ sku: "MUG-01", quantity: 1 }, { sku: "TEE-BLK-M", quantity: 1 }] })
    expect(() => driver.packages!.split(placed.id, [["MUG-01"]])).toThrow(/TEE-BLK-M/)
    expect(() => driver.packages!.split(placed.id, [["MUG-01"], ["MUG-01", "TEE-BLK-M"]])).toThrow(/MUG-01/)
    expect(driver.packages!.list(placed.id)).toEqual([])
    driver.packages!.split(placed.id, [["MUG-01", "TEE-BLK-M"]])
    expect(() => driver.packages!.split(placed.id, [["MUG-01"], ["TEE-BLK-M"]])).toThrow(/processed/)
    expect(driver.packages!.combine).toBeUndefined()
  })

  it("keeps a cancelled unit out of the split, and a package whose every unit is cancelled reads as cancelled", async () => {
    const placed = driver.createOrder(session.shop_id, { status: "paid", items: [{ sku: "MUG-01", quantity: 2 }, { sku: "TEE-BLK-M", quantity: 1 }] })
    driver.moveItem(placed.id, "MUG-01", "canceled")
    const [mug, tee] = driver.packages!.split(placed.id, [["MUG-01"], ["TEE-BLK-M"]])
    expect(driver.packages!.list(placed.id).map((p) => [p.id, p.units])).toEqual([
      [mug, { "MUG-01": 1 }],
      [tee, { "TEE-BLK-M": 1 }],
    ])
    driver.moveItem(placed.id, "TEE-BLK-M", "canceled")
    driver.packages!.advance(placed.id, mug, "shipped")
    const order = await read(placed.id)
    expect(order.status).toBe("shipped")
    expect(order.packages.map((p) => [p.external_id, p.stage])).toEqual([
      [mug, "shipped"],
      [tee, "cancelled"],
    ])
  })
})
