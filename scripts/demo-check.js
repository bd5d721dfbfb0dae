#!/usr/bin/env node
/**
 * `npm run demo:check`: checks a running `npm run demo` end to end, as a merchant would use it, through the admin
 * API and each sandbox's authorization page (the OAuth round trip the admin's Connect shop makes):
 *  1. connects every demo shop of every sandbox the demo started (a TikTok Shop seller's two shops at once) and
 *     sets each connection's sales channel (the demo store's channel of that shop), stock location and region;
 *  2. waits until each shop's pushed orders arrive in Medusa (the demo's order flow makes them), and for the
 *     TikTok Shop seller's Tokopedia shop checks they are Tokopedia orders on the platform;
 *  3. changes the stock of MUG-CERAMIC-WHT (sold by every demo shop) in Medusa and waits until every shop's
 *     sandbox received a stock update carrying the new quantity.
 * Run it on a fresh demo (DEMO_FRESH=1): a shop connected already is reconnected. It reads the demo's variables
 * (DEMO_PORT, DEMO_SANDBOX_PORT, DEMO_TIKTOK_SHOP_PORT, DEMO_LAZADA_PORT, DEMO_PLATFORMS, MEDUSA_ADMIN_EMAIL /
 * MEDUSA_ADMIN_PASSWORD) and needs the demo's order flow on (DEMO_ORDERS_PER_MINUTE > 0). Exit code 0 when all
 * holds, 1 with the first failure otherwise.
 */
const SHARED_SKU = "MUG-CERAMIC-WHT"

const env = process.env
const port = Number(env.DEMO_PORT || 9000)
const origin = `http://localhost:${port}`
const SANDBOXES = {
  shopee: { port: Number(env.DEMO_SANDBOX_PORT || 4010), shops: [{ id: "880001", channel: "Shopee SG", currency: "sgd" }] },
  "tiktok-shop": {
    port: Number(env.DEMO_TIKTOK_SHOP_PORT || 4020),
    shops: [
      { id: "7495540735365777001", channel: "TikTok Shop MY", currency: "myr" },
      { id: "7495540735365777002", channel: "Tokopedia ID", currency: "idr", commercePlatform: "TOKOPEDIA" },
    ],
  },
  lazada: { port: Number(env.DEMO_LAZADA_PORT || 4030), shops: [{ id: "1000000201", channel: "Lazada SG", currency: "sgd" }] },
}
const platforms = (env.DEMO_PLATFORMS || Object.keys(SANDBOXES).join(",")).split(",").map((p) => p.trim()).filter(Boolean)

let token
async function call(method, url, body) {
  const response = await fetch(url.startsWith("http") ? url : `${origin}${url}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  })
  const text = await response.text()
  if (response.status >= 400) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`)
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
}

async function poll(check, what, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found) return found
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2000))
  }
}

/** The sandbox's confirm link for `shopId` on its authorization page: the link whose row names the shop. */
function confirmLink(html, shopId) {
  const rows = html.split("<li>").slice(1)
  for (const row of rows) {
    const link = row.match(/href="([^"]+)"/)
    if (link && (row.includes(shopId) || row.includes(`shop_id ${shopId}`))) return link[1].replace(/&amp;/g, "&")
  }
  return null
}

/** The OAuth round trip of the admin's Connect shop: authorize URL, the sandbox's page, its link, the callback. */
async function connect(platform, sandbox) {
  const { url } = (await call("POST", `/admin/marketplace/oauth/${platform}/authorize`, {})).json()
  const page = await call("GET", url)
  // The TikTok Shop page lists sellers by their shops' names; the others name the shop or seller id.
  const href = confirmLink(page.text, sandbox.shops[0].id) ?? confirmLink(page.text, "Demo TikTok Shop")
  if (!href) throw new Error(`${platform}: no confirm link for the demo shop on ${url}`)
  const confirmed = await call("GET", new URL(href, url).toString())
  const back = new URL(confirmed.headers.get("location"))
  if (back.pathname !== `/app/marketplaces/oauth/${platform}`) throw new Error(`${platform}: sent back to ${back}`)
  const done = (await call("POST", `/admin/marketplace/oauth/${platform}/callback`, Object.fromEntries(back.searchParams))).json()
  if (done.connection) return [done.connection]
  // A grant of several shops: the merchant ticks them all.
  const chosen = await call("POST", `/admin/marketplace/authorizations/${done.authorization.id}/connections`, {
    shop_ids: done.authorization.shops.map((s) => s.shop_id),
  })
  return chosen.json().connections
}

async function main() {
  const email = env.MEDUSA_ADMIN_EMAIL || "admin@example.com"
  const password = env.MEDUSA_ADMIN_PASSWORD || "supersecret"
  token = (await call("POST", "/auth/user/emailpass", { email, password })).json().token
  const [{ sales_channels }, { stock_locations }, { regions }] = await Promise.all([
    call("GET", "/admin/sales-channels?limit=50&fields=id,name").then((r) => r.json()),
    call("GET", "/admin/stock-locations?limit=50&fields=id,name").then((r) => r.json()),
    call("GET", "/admin/regions?limit=50&fields=id,currency_code").then((r) => r.json()),
  ])
  const location = stock_locations.find((l) => l.name === "Singapore warehouse")
  if (!location) throw new Error("The demo store has no stock location Singapore warehouse")

  const shops = []
  for (const platform of platforms) {
    const sandbox = SANDBOXES[platform]
    if (!sandbox) throw new Error(`Unknown platform ${platform}`)
    const connections = await connect(platform, sandbox)
    for (const shop of sandbox.shops) {
      const connection = connections.find((c) => c.external_shop_id === shop.id)
      if (!connection) throw new Error(`${platform}: shop ${shop.id} was not connected`)
      const channel = sales_channels.find((c) => c.name === shop.channel)
      const region = regions.find((r) => r.currency_code === shop.currency)
      if (!channel || !region) throw new Error(`The demo store misses the channel ${shop.channel} or a ${shop.currency} region`)
      await call("POST", `/admin/marketplace/connections/${connection.id}`, {
        sales_channel_id: channel.id,
        stock_location_id: location.id,
        region_id: region.id,
      })
      shops.push({ ...shop, platform, sandboxUrl: `http://127.0.0.1:${sandbox.port}`, connection })
      console.log(`connected ${platform} shop ${shop.id} "${connection.name}" -> ${shop.channel}`)
    }
  }

  // The demo's order flow pushes new orders: each shop's arrive.
  for (const shop of shops) {
    const orders = await poll(async () => {
      const { orders } = (await call("GET", "/admin/orders?limit=200&fields=id,display_id,metadata,sales_channel_id&order=-created_at")).json()
      const mine = orders.filter((o) => o.metadata?.marketplace_connection_id === shop.connection.id)
      return mine.length ? mine : null
    }, `an order of ${shop.platform} shop ${shop.id}`)
    const wrongChannel = orders.filter((o) => o.sales_channel_id !== sales_channels.find((c) => c.name === shop.channel).id)
    if (wrongChannel.length) throw new Error(`${shop.id}: orders outside ${shop.channel}`)
    if (shop.commercePlatform) {
      const order = (await call("GET", `${shop.sandboxUrl}/sandbox/orders/${orders[0].metadata.marketplace_order_id}`)).json()
      const platformOf = order.commerce_platform ?? order.order?.commerce_platform
      if (platformOf !== shop.commercePlatform) throw new Error(`${shop.id}: order ${orders[0].metadata.marketplace_order_id} is ${platformOf}`)
    }
    console.log(`${orders.length} order(s) of ${shop.platform} shop ${shop.id} in Medusa (#${orders.map((o) => o.display_id).join(", #")})`)
  }

  // One stock change in Medusa reaches every shop.
  const { inventory_items } = (await call("GET", `/admin/inventory-items?sku=${SHARED_SKU}&fields=id,sku`)).json()
  if (!inventory_items.length) throw new Error(`No inventory item ${SHARED_SKU}`)
  const quantity = 700 + Math.floor(Math.random() * 200)
  const since = new Map()
  for (const shop of shops) since.set(shop.sandboxUrl, ((await call("GET", `${shop.sandboxUrl}/sandbox/calls`)).json().calls ?? []).length)
  await call("POST", `/admin/inventory-items/${inventory_items[0].id}/location-levels/${location.id}`, { stocked_quantity: quantity })
  console.log(`${SHARED_SKU}: stocked quantity set to ${quantity} in Medusa`)
  for (const shop of shops) {
    await poll(async () => {
      const calls = (await call("GET", `${shop.sandboxUrl}/sandbox/calls`)).json().calls ?? []
      // A stock call for the shop carrying the new quantity, less what the shop's open orders hold.
      return calls.slice(since.get(shop.sandboxUrl) ?? 0).some((c) => {
        if (String(c.shop_id) !== shop.id || !/stock|inventory|quantity/i.test(c.path)) return false
        const sent = [...JSON.stringify(c).matchAll(/(?:\\?"(?:stock|quantity)\\?"\s*:\s*|<Quantity>)(\d+)/gi)].map((m) => Number(m[1]))
        return sent.some((n) => n <= quantity && n > quantity - 50)
      })
    }, `the new stock of ${SHARED_SKU} at ${shop.platform} shop ${shop.id}`)
    console.log(`${shop.platform} shop ${shop.id} received the new stock of ${SHARED_SKU}`)
  }
  console.log("The demo works: every shop connected, its orders in Medusa, one stock change in every shop.")
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})
