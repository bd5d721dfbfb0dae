import { type DemoShop, DEMO_LAZADA_ACCOUNT, demoListings, demoShopsOf, demoUnits } from "../demo-shops"
import { withDefaultNote, type CliFlag, type SandboxCliPlatform } from "../kit/cli"
import { startShopFlows } from "../kit/flow"
import { ITEM_TABLE, type Country, type ItemStatus, type SandboxOrder } from "./core"
import { LAZADA_CONTROL_SUMMARY } from "./platform"
import { startLazadaSandbox } from "./server"

const APP_KEY: CliFlag = { name: "app-key", kind: "string", default: "100001", describe: "Lazada app key" }
const APP_SECRET: CliFlag = { name: "app-secret", kind: "string", default: "sandbox-app-secret", describe: "secret that signs calls and pushes" }

/** Where an order stands in the demo's flow: its least advanced item that still moves. */
function flowStatus(order: SandboxOrder): ItemStatus | null {
  const moving = order.items.filter((i) => !ITEM_TABLE.terminal.includes(i.status) && i.status !== "delivered")
  return moving[0]?.status ?? null
}

/** `--platform lazada`: app credentials as flags; the demo account sells in SG, with demo catalogue items. */
export const LAZADA_CLI: SandboxCliPlatform = {
  id: "lazada",
  title: "Lazada Open Platform",
  flags: [APP_KEY, APP_SECRET],
  async start({ port, host, callbackUrl, seed, values, logger }) {
    const appSecret = String(values.get(APP_SECRET.name))
    const sandbox = await startLazadaSandbox({ port, host, appKey: String(values.get(APP_KEY.name)), appSecret, seed, logger })
    sandbox.setPushConfig(callbackUrl ?? null)
    const core = sandbox.core
    const demoShops = demoShopsOf("lazada")
    return {
      url: sandbox.url,
      port: sandbox.port,
      close: () => sandbox.close(),
      credentialLines: [
        `  app key      ${withDefaultNote(values, APP_KEY)}`,
        `  app secret   ${appSecret === APP_SECRET.default ? withDefaultNote(values, APP_SECRET) : "(from --app-secret)"}`,
      ],
      usageLines: [
        `  auth URL     ${sandbox.authUrl}  (set LAZADA_AUTH_URL to this)`,
        `  API URLs     ${sandbox.apiUrlTemplate}  (set LAZADA_API_URL_TEMPLATE to this)`,
      ],
      seedDemoShop: () => {
        sandbox.createAccount(
          DEMO_LAZADA_ACCOUNT,
          demoShops.map((shop) => ({ country: shop.region.toLowerCase() as Country, seller_id: shop.id, short_code: shop.name }))
        )
        for (const shop of demoShops) {
          for (const listing of demoListings(shop)) core.createProduct(shop.id, { name: listing.name, skus: demoUnits(listing) })
        }
        return `account ${DEMO_LAZADA_ACCOUNT}: ${demoShops.map((s) => `seller ${s.id} "${s.name}" (${s.region}, ${s.currency})`).join(", ")}`
      },
      startFlow: (perMinute) =>
        startShopFlows<DemoShop, SandboxOrder, ItemStatus>(
          demoShops,
          perMinute,
          { random: core.state.random, logger, label: "lazada sandbox" },
          (shop) => ({
            open: () => [...core.state.orders.values()].filter((o) => o.seller_id === shop.id && flowStatus(o) !== null),
            status: (o) => flowStatus(o) ?? "delivered",
            create: () => {
              const skus = [...core.state.products.values()]
                .filter((p) => p.seller_id === shop.id)
                .flatMap((p) => p.skus.filter((s) => s.quantity > 0).map((s) => ({ product: p, sku: s })))
              if (!skus.length) return
              const { product, sku } = core.state.random.pick(skus)
              core.createOrder({
                seller_id: shop.id,
                status: "pending",
                items: [{ sku: sku.SellerSku, sku_id: String(sku.SkuId), product_id: String(product.item_id), name: product.name, price: sku.price.toFixed(2), quantity: 1 }],
              })
            },
            // Every item that still moves takes the same step (Lazada pushes once per item).
            advance: (order, to) => {
              const from = flowStatus(order)
              for (const item of order.items) {
                if (item.status === from) core.moveItem(item, to)
              }
            },
            detours: [{ from: "pending", to: "canceled", chance: 0.15 }],
          })
        ),
      controlSummary: LAZADA_CONTROL_SUMMARY,
    }
  },
}
