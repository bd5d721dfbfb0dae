import fs from "fs"
import path from "path"
import type { SandboxDriver } from "../platforms"
import { ADMIN, adminApi, browserDrivers, connectDemoShop, poll, screenshots, useBrowserStack, waitForText } from "./helpers"

/**
 * A merchant's walk through the admin in a real browser (headless chromium), against a running app on a fresh
 * database prepared as `npm run demo` prepares it and a marketplace sandbox pushing to it, once per platform of
 * TEST_PLATFORMS (default shopee; `npm run test:browser:platforms` runs TikTok Shop and Lazada). The tests run in
 * order and share one session: log in, connect the platform's demo shop (OAuth round trip through the sandbox's
 * authorization page), watch pushed orders arrive, open one, see a variant's listing, then fail an inbox event and
 * retry it from the monitor, and read the analytics.
 */
jest.setTimeout(180000)

type Order = { id: string; display_id: number; metadata: Record<string, unknown> | null }

describe.each(browserDrivers())("admin in a browser (%s)", (_name: string, driver: SandboxDriver) => {
  const stack = useBrowserStack("admin", driver)
  const shot = screenshots(() => stack().page)

  /** Orders whose marketplace order id is one of `sns`, read through the admin API. */
  async function ordersOf(sns: string[]): Promise<Order[]> {
    const { orders } = await adminApi<{ orders: Order[] }>(
      stack().page,
      "GET",
      "/admin/orders?limit=100&fields=id,display_id,metadata&order=-created_at"
    )
    return orders.filter((o) => sns.includes(String(o.metadata?.marketplace_order_id)))
  }

  const state: { connectionId?: string; orders?: Order[]; orderSns?: string[] } = {}

  it("logs in", async () => {
    const { page } = stack()
    await page.goto("/app/login")
    await page.locator('input[name="email"]').waitFor()
    await shot("login")
    await page.fill('input[name="email"]', ADMIN.email)
    await page.fill('input[name="password"]', ADMIN.password)
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/app\/orders/)
    await page.getByRole("heading", { name: "Orders" }).first().waitFor()
    await shot("orders")
    // The browser's session works for the admin API as well.
    const { user } = await adminApi<{ user: { email: string } }>(page, "GET", "/admin/users/me")
    expect(user.email).toBe(ADMIN.email)
  })

  it("connects a sandbox shop through the OAuth round trip", async () => {
    const { page } = stack()
    await page.goto("/app/marketplaces")
    await page.getByTestId("connect-shop").waitFor()
    await page.getByText("No shop connected yet").waitFor()
    await shot("marketplaces-empty")

    // Connect shop, the platform's (the sandbox's) authorization page, back on the admin's OAuth return page, which
    // finishes the connection and opens it.
    const connectionId = await connectDemoShop(page, stack(), shot)
    state.connectionId = connectionId
    await page.getByTestId("connection-save").waitFor()
    await shot("connection-detail")

    const { connection } = await adminApi(page, "GET", `/admin/marketplace/connections/${connectionId}`)
    expect(connection).toEqual(
      expect.objectContaining({ platform: driver.platform, external_shop_id: stack().shop.id, status: "active" })
    )

    // Where the shop's orders go, chosen in the settings form: the shop's seeded sales channel, the stock location
    // and the region of its currency.
    const { shop } = stack()
    const [{ sales_channels }, { stock_locations }, { regions }] = await Promise.all([
      adminApi(page, "GET", "/admin/sales-channels?limit=50&fields=id,name"),
      adminApi(page, "GET", "/admin/stock-locations?limit=50&fields=id,name"),
      adminApi(page, "GET", "/admin/regions?limit=50&fields=id,currency_code"),
    ])
    const target = {
      sales_channel: sales_channels.find((c: { name: string }) => c.name === shop.sales_channel).id as string,
      stock_location: stock_locations.find((l: { name: string }) => l.name === "Singapore warehouse").id as string,
      region: regions.find((r: { currency_code: string }) => r.currency_code === shop.currency.toLowerCase()).id as string,
    }
    await page.getByLabel("Sales channel", { exact: true }).selectOption(target.sales_channel)
    await page.getByLabel("Stock location", { exact: true }).selectOption(target.stock_location)
    await page.getByLabel("Region", { exact: true }).selectOption(target.region)
    await shot("connection-settings")
    await page.getByTestId("connection-save").click()
    await poll(async () => {
      const { connection: saved } = await adminApi(page, "GET", `/admin/marketplace/connections/${connectionId}`)
      return (
        saved.sales_channel?.id === target.sales_channel &&
        saved.stock_location?.id === target.stock_location &&
        saved.region?.id === target.region
      )
    }, "the connection's settings saved")
    await page.reload()
    await page.getByTestId("connection-save").waitFor()
    await shot("connection-saved")

    await page.goto("/app/marketplaces")
    // The row of the table: its shop cell carries the connection id.
    const row = page.locator("tr", { has: page.locator(`[data-testid="connection-row"][data-connection-id="${connectionId}"]`) })
    await row.waitFor()
    await waitForText(row.getByTestId("connection-status"), "active")
    expect(await row.textContent()).toContain(shop.name)
    await shot("connections-list")
  })

  it("shows the orders the sandbox pushes", async () => {
    const { page, shop } = stack()
    await page.goto("/app/orders")
    await page.getByRole("heading", { name: "Orders" }).first().waitFor()
    await shot("orders-before")

    const created = driver.createOrders(shop.id, {
      count: 2,
      status: "processed",
      prepaid: true,
      items: [{ sku: "TSHIRT-BLK-M", quantity: 2 }],
    })
    await driver.flushPushes()
    const sns = created.map((o) => o.id)
    const orders = await poll(async () => {
      const found = await ordersOf(sns)
      return found.length === sns.length ? found : null
    }, `orders ${sns.join(", ")} imported`)
    state.orders = orders
    state.orderSns = sns

    // The orders list does not refresh by itself: reload until both rows are there.
    await poll(async () => {
      await page.reload()
      await page.getByRole("heading", { name: "Orders" }).first().waitFor()
      const rows = await Promise.all(
        orders.map((o) =>
          page
            .locator("tr", { hasText: `#${o.display_id}` })
            .first()
            .waitFor({ timeout: 15000 })
            .then(
              () => true,
              () => false
            )
        )
      )
      return rows.every(Boolean)
    }, "the imported orders in the orders list")
    await shot("orders-imported")
  })

  it("opens an imported order and shows its marketplace panel", async () => {
    const { page } = stack()
    const [order] = state.orders ?? []
    expect(order).toBeDefined()
    await page.locator("tr", { hasText: `#${order.display_id}` }).first().click()
    await page.waitForURL(new RegExp(`/app/orders/${order.id}$`))
    const panel = page.getByTestId("marketplace-order-panel")
    await panel.waitFor()
    await waitForText(panel.getByTestId("marketplace-order-id"), String(order.metadata?.marketplace_order_id))
    expect(await panel.textContent()).toContain(driver.displayName)
    await panel.getByTestId("marketplace-order-link").waitFor()
    // The admin scrolls inside its own container, which a full-page screenshot does not unroll.
    await panel.scrollIntoViewIfNeeded()
    await shot("order-detail")
  })

  it("shows a variant's marketplace listings", async () => {
    const { page } = stack()
    const { products } = await adminApi<{ products: { id: string; variants: { id: string; sku: string }[] }[] }>(
      page,
      "GET",
      "/admin/products?limit=50&fields=id,variants.id,variants.sku"
    )
    const product = products.find((p) => p.variants.some((v) => v.sku === "TSHIRT-BLK-M"))
    const variant = product?.variants.find((v) => v.sku === "TSHIRT-BLK-M")
    expect(variant).toBeDefined()
    // Connecting the shop synced its listings, matched to the variants by SKU.
    await page.goto(`/app/products/${product!.id}/variants/${variant!.id}`)
    const listings = page.getByTestId("marketplace-variant-listings")
    await listings.waitFor()
    await poll(async () => {
      const text = (await listings.textContent()) ?? ""
      if (text.includes(stack().shop.name)) return true
      await page.reload()
      await listings.waitFor()
      return false
    }, `the variant's ${driver.displayName} listing`)
    await listings.scrollIntoViewIfNeeded()
    await shot("variant-listings")
  })

  it("makes an event fail and retries it from the monitor", async () => {
    const { page, shop } = stack()
    // The platform answers the order detail with server errors: the pushed order cannot be fetched.
    driver.addFault({ operation: "get_order", kind: "server_error", count: 100000 })
    const [order] = driver.createOrders(shop.id, {
      status: "processed",
      prepaid: true,
      items: [{ sku: "MUG-CERAMIC-WHT", quantity: 1 }],
    })
    await driver.flushPushes()
    const failed = await poll(async () => {
      const { events } = await adminApi<{ events: { id: string; status: string }[] }>(
        page,
        "GET",
        `/admin/marketplace/events?external_order_id=${order.id}&fields=id,status`
      )
      return events.find((e) => e.status === "failed")
    }, `the event of ${order.id} failed`)

    await page.goto("/app/marketplaces/monitor")
    await page.getByTestId("stat-events_failed").waitFor()
    await page.getByTestId("hourly-chart").waitFor()
    const row = page.locator(`[data-testid="event-row"][data-event-id="${failed.id}"]`)
    await row.waitFor()
    await waitForText(row.getByTestId("event-status"), "failed")
    await shot("monitor-event-failed")

    await row.click()
    const detail = page.getByTestId("event-detail")
    await detail.waitFor()
    await detail.getByTestId("event-payload").waitFor()
    const error = (await detail.getByTestId("event-error").textContent()) ?? ""
    expect(error.trim().length).toBeGreaterThan(0)
    await shot("event-detail-failed")

    // The platform is healthy again: the merchant retries the event.
    driver.clearFaults()
    await detail.getByTestId("event-retry").click()
    await poll(async () => {
      const { event } = await adminApi(page, "GET", `/admin/marketplace/events/${failed.id}?fields=id,status`)
      return event.status === "done"
    }, `event ${failed.id} done after the retry`)
    await page.keyboard.press("Escape")
    await waitForText(row.getByTestId("event-status"), "done")
    await shot("monitor-event-retried")

    const imported = await poll(async () => (await ordersOf([order.id]))[0], `order ${order.id} imported`)
    expect(imported.metadata?.marketplace_order_id).toBe(order.id)
  })

  // --- analytics ---
  it("opens the analytics page from the Marketplaces page, changes the range and sees the figures change", async () => {
    const { page } = stack()
    await page.goto("/app/marketplaces")
    await page.getByTestId("open-analytics").click()
    await page.waitForURL(/\/app\/marketplaces\/analytics$/)
    await page.getByTestId("analytics-page").waitFor()

    // The last 30 days (the default) hold the orders the sandbox pushed today: the page shows what the API says.
    const today = new Date().toISOString().slice(0, 10)
    const { analytics } = await adminApi(page, "GET", `/admin/marketplace/analytics?from=${today}&to=${today}`)
    const expected = analytics.totals[0]
    expect(expected.orders).toBeGreaterThanOrEqual(2)
    await waitForText(page.getByTestId("analytics-orders"), String(expected.orders))
    expect(await page.getByTestId("analytics-gross-sales").first().textContent()).toMatch(/[\d.,]+/)
    await page.getByTestId("channel-chart").waitFor()
    expect(await page.getByTestId("analytics-channels").textContent()).toContain(stack().shop.name)
    expect(await page.getByTestId("analytics-top-products").textContent()).toContain("TSHIRT-BLK-M")
    await page.getByTestId("analytics-metric").selectOption("orders")
    await shot("analytics-last-30-days")
    // The page as docs/admin.md shows it: the default run's (Shopee).
    if (!process.env.TEST_PLATFORMS) {
      const images = path.join(__dirname, "../../docs/images")
      fs.mkdirSync(images, { recursive: true })
      await page.screenshot({ path: path.join(images, "analytics.png"), fullPage: true })
    }

    // A range before the shop existed: nothing in it.
    await page.getByTestId("analytics-from").fill("2025-01-01")
    await page.getByTestId("analytics-to").fill("2025-01-31")
    await page.getByTestId("analytics-no-orders").waitFor()
    await shot("analytics-empty-range")

    // Back to the last 7 days: the figures again.
    await page.getByTestId("analytics-preset-7").click()
    await waitForText(page.getByTestId("analytics-orders"), String(expected.orders))
    await shot("analytics-last-7-days")
  })
  // --- end analytics ---
})
