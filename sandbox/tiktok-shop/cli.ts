import { type DemoShop, DEMO_TIKTOK_SELLER, demoListings, demoShopsOf, demoUnits } from "../demo-shops"
import type { CliFlag, SandboxCliPlatform } from "../kit/cli"
import { startShopFlows } from "../kit/flow"
import type { SandboxOrder, TiktokOrderStatus } from "./core"
import { startTiktokShopSandbox, TIKTOK_SHOP_CONTROL_SUMMARY } from "./server"

const APP_KEY: CliFlag = { name: "app-key", kind: "string", default: "sandbox-app-key", describe: "TikTok Shop app key" }
const APP_SECRET: CliFlag = { name: "app-secret", kind: "string", default: "sandbox-app-secret", describe: "secret that signs calls and webhooks" }
const SERVICE_ID: CliFlag = { name: "service-id", kind: "string", default: "7000000000000000001", describe: "app service id" }
const REDIRECT_URL: CliFlag = {
  name: "redirect-url",
  kind: "string",
  describe: "the app's redirect URL, as registered in Partner Center (also POST /sandbox/app)",
}

/** `--platform tiktok-shop`: the demo seller authorizes a TikTok Shop shop (MY) and a Tokopedia shop (ID) at once. */
export const TIKTOK_SHOP_CLI: SandboxCliPlatform = {
  id: "tiktok-shop",
  title: "TikTok Shop Open API",
  flags: [APP_KEY, APP_SECRET, SERVICE_ID, REDIRECT_URL],
  async start({ port, host, callbackUrl, seed, values, logger }) {
    const appSecret = String(values.get(APP_SECRET.name))
    const sandbox = await startTiktokShopSandbox({
      port,
      host,
      appKey: String(values.get(APP_KEY.name)),
      appSecret,
      serviceId: String(values.get(SERVICE_ID.name)),
      callbackUrl: callbackUrl ?? null,
      redirectUrl: values.has(REDIRECT_URL.name) ? String(values.get(REDIRECT_URL.name)) : null,
      seed,
      logger,
    })
    const core = sandbox.core
    const demoShops = demoShopsOf("tiktok-shop")
    let seeded = false
    return {
      url: sandbox.url,
      port: sandbox.port,
      close: () => sandbox.close(),
      credentialLines: [
        `  app key      ${String(values.get(APP_KEY.name))}`,
        `  app secret   ${appSecret === APP_SECRET.default ? appSecret : "(from --app-secret)"}`,
        `  service id   ${String(values.get(SERVICE_ID.name))}`,
      ],
      usageLines: [
        `  base URL     ${sandbox.url}  (set TIKTOK_SHOP_BASE_URL, TIKTOK_SHOP_AUTH_URL and TIKTOK_SHOP_AUTHORIZE_URL to this)`,
        `  authorize    ${sandbox.url}/open/authorize?service_id&state`,
      ],
      seedDemoShop: () => {
        const seller = core.createSeller({
          name: DEMO_TIKTOK_SELLER,
          base_region: "ID",
          shops: demoShops.map((shop) => ({ id: shop.id, name: shop.name, region: shop.region, currency: shop.currency })),
        })
        for (const shop of demoShops) {
          for (const listing of demoListings(shop)) {
            core.createProduct(shop.id, {
              title: listing.name,
              skus: demoUnits(listing).map((u) => ({ seller_sku: u.sku, name: u.name, price: String(u.price), stock: u.stock })),
            })
          }
        }
        seeded = true
        return `seller ${seller.open_id} "${DEMO_TIKTOK_SELLER}": ${demoShops.map((s) => `${s.id} "${s.name}" (${s.region}, ${s.currency})`).join(" and ")}`
      },
      // One flow per shop: both shops' orders keep arriving.
      startFlow: (perMinute) =>
        startShopFlows<DemoShop, SandboxOrder, TiktokOrderStatus>(
          demoShops,
          perMinute,
          { random: core.state.random, logger, label: "tiktok-shop sandbox" },
          (shop) => ({
            open: () => [...core.state.orders.values()].filter((o) => o.shop_id === shop.id && !core.orders.isTerminal(o.status)),
            status: (o) => o.status,
            create: () => {
              if (!seeded) return
              const skus = [...core.state.products.values()].filter((p) => p.shop_id === shop.id).flatMap((p) => p.skus)
              const sku = skus.length ? core.state.random.pick(skus) : undefined
              if (sku) core.createOrder(shop.id, { status: "UNPAID", lines: [{ sku_id: sku.id, quantity: 1 }] })
            },
            advance: (o, to) => core.orders.advance(o, to),
            detours: [{ from: "UNPAID", to: "CANCELLED", chance: 0.2 }],
          })
        ),
      controlSummary: TIKTOK_SHOP_CONTROL_SUMMARY,
    }
  },
}
