import { shopeeDriver } from "../platforms/shopee/driver"
import { adminApi, connectDemoShop, logIn, poll, screenshots, useBrowserStack, waitForText } from "./helpers"

/**
 * The merchant's screens beside the connection page, in a real browser against a running app and the Shopee
 * sandbox (Shopee only for now; admin.spec.ts runs per platform): listings (link by search, link by SKU, sync), held price changes (confirm), returns (open, accept)
 * and reconciliation reports (run, open, download the CSV). Each test performs the screen's main action and
 * checks its effect through the API. The tests run in order and share one session and one connected shop.
 */
jest.setTimeout(240000)

const driver = shopeeDriver()
const stack = useBrowserStack("screens", driver)
const shot = screenshots(() => stack().page)

type Listing = { id: string; sku: string | null; match_status: string; match_method: string | null; product_variant: { id: string; sku: string | null } | null }

const state: { connectionId?: string } = {}

/** The connection's listings by SKU, through the admin API. */
async function listingsBySku(): Promise<Record<string, Listing>> {
  const { listings } = await adminApi<{ listings: Listing[] }>(
    stack().page,
    "GET",
    `/admin/marketplace/listings?connection_id=${state.connectionId}&limit=100`
  )
  return Object.fromEntries(listings.map((l) => [l.sku ?? l.id, l]))
}

/** The table row (a `tr`) holding the element with this test id and data attribute. */
const rowOf = (testId: string, attr: string, value: string) =>
  stack().page.locator("tr", { has: stack().page.locator(`[data-testid="${testId}"][${attr}="${value}"]`) })

describe("marketplace screens in a browser", () => {
  it("logs in, connects the demo shop and sets where its orders go", async () => {
    const { page } = stack()
    await logIn(page)
    const connectionId = await connectDemoShop(page, stack())
    state.connectionId = connectionId
    const [{ sales_channels }, { stock_locations }, { regions }] = await Promise.all([
      adminApi(page, "GET", "/admin/sales-channels?limit=50&fields=id,name"),
      adminApi(page, "GET", "/admin/stock-locations?limit=50&fields=id,name"),
      adminApi(page, "GET", "/admin/regions?limit=50&fields=id,currency_code"),
    ])
    await adminApi(page, "POST", `/admin/marketplace/connections/${connectionId}`, {
      sales_channel_id: sales_channels.find((c: { name: string }) => c.name === stack().shop.sales_channel).id,
      stock_location_id: stock_locations.find((l: { name: string }) => l.name === "Singapore warehouse").id,
      region_id: regions.find((r: { currency_code: string }) => r.currency_code === stack().shop.currency.toLowerCase()).id,
    })
    // The connection page links to the screens, limited to this shop.
    await page.goto(`/app/marketplaces/${connectionId}`)
    await page.getByTestId("screen-links").waitFor()
    expect(await page.getByTestId("screen-link-listings").getAttribute("href")).toContain(`connection_id=${connectionId}`)
    await shot("connection-links")
  }, 900000)

  it("listings: syncs, links one listing by variant search and two by SKU", async () => {
    const { page, shop } = stack()
    // Three items the store does not sell under these SKUs.
    driver.createListings(shop.id, [
      { name: "Tote Bag (old SKU)", sku: "OLD-TOTE", price: 15.9, stock: 5 },
      { name: "Cap (old SKU)", sku: "OLD-CAP", price: 17.9, stock: 5 },
      { name: "Mug (old SKU)", sku: "OLD-MUG", price: 12.9, stock: 5 },
    ])
    await page.goto(`/app/marketplaces/listings?connection_id=${state.connectionId}`)
    await page.getByTestId("listings-table").waitFor()
    await page.getByTestId("sync-listings").click()
    const synced = await poll(async () => {
      const all = await listingsBySku()
      return ["OLD-TOTE", "OLD-CAP", "OLD-MUG"].every((s) => all[s]?.match_status === "unmatched") ? all : null
    }, "the new listings synced, unmatched")
    await page.goto(`/app/marketplaces/listings?connection_id=${state.connectionId}&status=unmatched`)
    const tote = rowOf("listing-row", "data-listing-id", synced["OLD-TOTE"].id)
    await tote.waitFor()
    await shot("listings-unmatched")

    // One by hand: search Medusa's variants and link.
    await tote.click()
    const drawer = page.getByTestId("listing-link-drawer")
    await drawer.waitFor()
    await drawer.getByTestId("variant-search").fill("TOTE-CANVAS")
    const result = drawer.locator('[data-testid="variant-result"][data-sku="TOTE-CANVAS-NAT"]')
    await result.waitFor()
    await shot("listing-link-search")
    await result.getByRole("button", { name: "Link" }).click()
    await poll(async () => {
      const l = (await listingsBySku())["OLD-TOTE"]
      return l.match_method === "manual" && l.product_variant?.sku === "TOTE-CANVAS-NAT"
    }, "OLD-TOTE linked to TOTE-CANVAS-NAT")

    // Two at once: select them, "Link by SKU", type each variant's SKU.
    for (const sku of ["OLD-CAP", "OLD-MUG"]) {
      await rowOf("listing-row", "data-listing-id", synced[sku].id).getByRole("checkbox").click()
    }
    await page.getByRole("button", { name: "Link by SKU" }).click()
    const bulk = page.getByTestId("bulk-link-drawer")
    await bulk.waitFor()
    await bulk.locator(`[data-testid="bulk-link-sku"][data-listing-id="${synced["OLD-CAP"].id}"]`).fill("CAP-NAVY")
    await bulk.locator(`[data-testid="bulk-link-sku"][data-listing-id="${synced["OLD-MUG"].id}"]`).fill("MUG-CERAMIC-WHT")
    await shot("listings-link-by-sku")
    await bulk.getByTestId("bulk-link-submit").click()
    const linked = await poll(async () => {
      const all = await listingsBySku()
      return all["OLD-CAP"].product_variant?.sku === "CAP-NAVY" && all["OLD-MUG"].product_variant?.sku === "MUG-CERAMIC-WHT" ? all : null
    }, "OLD-CAP and OLD-MUG linked by SKU")
    expect(linked["OLD-CAP"].match_method).toBe("manual")
    await page.getByTestId("bulk-link-drawer").waitFor({ state: "hidden" })
    await page.goto(`/app/marketplaces/listings?connection_id=${state.connectionId}`)
    await rowOf("listing-row", "data-listing-id", synced["OLD-MUG"].id).waitFor()
    await shot("listings-linked")
  })

  it("held prices: a price change over the guard waits, and Confirm sends it", async () => {
    const { page } = stack()
    const { products } = await adminApi<{ products: { id: string; variants: { id: string; sku: string }[] }[] }>(
      page,
      "GET",
      "/admin/products?limit=50&fields=id,variants.id,variants.sku"
    )
    const product = products.find((p) => p.variants.some((v) => v.sku === "HOODIE-GRY-M"))!
    const variant = product.variants.find((v) => v.sku === "HOODIE-GRY-M")!
    // 49.90 -> 99.00: +98%, over the 50% guard.
    await adminApi(page, "POST", `/admin/products/${product.id}/variants/${variant.id}`, { prices: [{ amount: 99, currency_code: "sgd" }] })
    const listing = (await listingsBySku())["HOODIE-GRY-M"]
    const held = await poll(async () => {
      const { tasks } = await adminApi<{ tasks: { id: string; status: string }[] }>(
        page,
        "GET",
        `/admin/marketplace/tasks?listing_id=${listing.id}&kind=push_price&status=held`
      )
      return tasks[0]
    }, "the held price change")

    await page.goto(`/app/marketplaces/held-prices?connection_id=${state.connectionId}`)
    const row = rowOf("held-row", "data-task-id", held.id)
    await row.waitFor()
    await waitForText(row.getByTestId("held-price"), "99")
    await shot("held-prices")
    await row.getByTestId("held-confirm").click()
    await page.getByRole("alertdialog").waitFor()
    await shot("held-price-confirm")
    await page.getByRole("alertdialog").getByRole("button", { name: "Send" }).click()
    await poll(async () => {
      const { task } = await adminApi(page, "GET", `/admin/marketplace/tasks/${held.id}`)
      return task.status === "done" || (task.status === "pending" && task.payload?.confirmed_price === "99")
    }, "the confirmed price queued")
    await poll(async () => driver.variant(stack().shop.id, "HOODIE-GRY-M").price === 99, "the shop's price 99")
    await row.waitFor({ state: "detached" })
    await shot("held-prices-empty")
  })

  it("returns: lists the shop's returns, opens one and accepts it", async () => {
    const { page, shop } = stack()
    const [order] = driver.createOrders(shop.id, {
      status: "shipped",
      prepaid: true,
      items: [{ sku: "SOCKS-3PK-BLK", quantity: 2 }],
    })
    await driver.flushPushes()
    await poll(async () => {
      const { orders } = await adminApi<{ orders: { metadata: Record<string, unknown> | null }[] }>(
        page,
        "GET",
        "/admin/orders?limit=100&fields=id,metadata&order=-created_at"
      )
      return orders.some((o) => o.metadata?.marketplace_order_id === order.id)
    }, `order ${order.id} imported`)
    const created = driver.createReturn(order.id)
    await driver.flushPushes()
    const link = await poll(async () => {
      const { returns } = await adminApi<{ returns: { id: string; status: string }[] }>(
        page,
        "GET",
        `/admin/marketplace/returns?external_return_id=${created.id}`
      )
      return returns[0]
    }, `return ${created.id} imported`)

    await page.goto(`/app/marketplaces/returns?connection_id=${state.connectionId}`)
    const row = rowOf("return-row", "data-return-id", link.id)
    await row.waitFor()
    await shot("returns")
    await row.click()
    await page.waitForURL(new RegExp(`/app/marketplaces/returns/${link.id}$`))
    await page.getByTestId("return-items").waitFor()
    await page.getByTestId("return-timeline").waitFor()
    // The dispute reasons are the provider's declared vocabulary.
    const { providers } = await adminApi<{ providers: { id: string; vocabulary: { dispute_reasons: { entries: unknown[]; pattern: string | null } } }[] }>(
      page,
      "GET",
      "/admin/marketplace/providers"
    )
    const reasons = providers.find((p) => p.id === driver.platform)!.vocabulary.dispute_reasons
    if (reasons.pattern) await page.getByTestId("dispute-reason-id").waitFor()
    expect(await page.getByTestId("dispute-reason").count()).toBe(reasons.entries.length ? 1 : 0)
    await shot("return-detail")

    await page.getByTestId("return-accept").click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Accept" }).click()
    await poll(async () => {
      const { return: r } = await adminApi(page, "GET", `/admin/marketplace/returns/${link.id}`)
      return r.status === "accepted"
    }, `return ${link.id} accepted`)
    await waitForText(page.getByTestId("return-status").first(), "accepted")
    expect(driver.order(order.id)).toBeDefined()
    await shot("return-accepted")
  })

  it("reconciliation: runs a report for a date range, opens it and downloads its CSV", async () => {
    const { page } = stack()
    await page.goto(`/app/marketplaces/reconciliation?connection_id=${state.connectionId}`)
    await page.getByTestId("reconcile-form").waitFor()
    await shot("reconciliation")
    await page.getByTestId("reconcile-run").click()
    await page.waitForURL(/\/app\/marketplaces\/reconciliation\/mprec_[A-Za-z0-9]+$/)
    const reportId = page.url().split("/").pop() as string
    const { reconciliation_report: report } = await adminApi(page, "GET", `/admin/marketplace/reconciliation-reports/${reportId}`)
    expect(report).toEqual(expect.objectContaining({ connection_id: state.connectionId, status: "completed", trigger: "manual" }))
    await page.getByTestId("report-summary").waitFor()
    await page.getByTestId("report-rows").waitFor()
    await shot("reconciliation-report")

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-csv").click()])
    expect(download.suggestedFilename()).toBe(`reconciliation-${reportId}.csv`)
    const stream = await download.createReadStream()
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    const lines = Buffer.concat(chunks).toString("utf8").split("\r\n")
    expect(lines[0]).toBe("kind,external_order_id,order_link_id,order_id,marketplace_status,link_status,order_status,marketplace_total,link_total,order_total,detail")
    expect(lines.length - 2).toBe((report.rows ?? []).length)

    // The list shows the new report.
    await page.goto(`/app/marketplaces/reconciliation?connection_id=${state.connectionId}`)
    await rowOf("report-row", "data-report-id", reportId).waitFor()
    await shot("reconciliation-list")
  })
})
