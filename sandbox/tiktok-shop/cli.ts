import type { CliFlag, SandboxCliPlatform } from "../kit/cli"
import { startActivityFlow } from "../kit/flow"
import type { SandboxOrder, TiktokOrderStatus } from "./core"
import { startTiktokShopSandbox, TIKTOK_SHOP_CONTROL_SUMMARY } from "./server"

const APP_KEY: CliFlag = { name: "app-key", kind: "string", default: "sandbox-app-key", describe: "TikTok Shop app key" }
const APP_SECRET: CliFlag = { name: "app-secret", kind: "string", default: "sandbox-app-secret", describe: "secret that signs calls and webhooks" }
const SERVICE_ID: CliFlag = { name: "service-id", kind: "string", default: "7000000000000000001", describe: "app service id" }

/** `--platform tiktok-shop`: one seller with a TikTok Shop shop (MY) and a Tokopedia shop (ID). */
export const TIKTOK_SHOP_CLI: SandboxCliPlatform = {
  id: "tiktok-shop",
  title: "TikTok Shop Open API",
  flags: [APP_KEY, APP_SECRET, SERVICE_ID],
  async start({ port, host, callbackUrl, seed, values, logger }) {
    const appSecret = String(values.get(APP_SECRET.name))
    const sandbox = await startTiktokShopSandbox({
      port,
      host,
      appKey: String(values.get(APP_KEY.name)),
      appSecret,
      serviceId: String(values.get(SERVICE_ID.name)),
      callbackUrl: callbackUrl ?? null,
      seed,
      logger,
    })
    const core = sandbox.core
    let demoShop: string | null = null
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
          name: "Sandbox Demo Seller",
          base_region: "ID",
          shops: [
            { id: "7495540735365777001", name: "Demo TikTok Shop", region: "MY", currency: "MYR" },
            { id: "7495540735365777002", name: "Demo Tokopedia", region: "ID", currency: "IDR" },
          ],
        })
        core.createProduct("7495540735365777001", { title: "Ceramic Mug", skus: [{ seller_sku: "MUG-01", price: "25.90", stock: 20 }] })
        core.createProduct("7495540735365777002", { title: "Kopi Gayo 250g", skus: [{ seller_sku: "KOPI-250", price: "85000", stock: 20 }] })
        demoShop = "7495540735365777002"
        return `seller ${seller.open_id}: shops 7495540735365777001 (MY, MYR) and 7495540735365777002 (ID, Tokopedia)`
      },
      startFlow: (perMinute) =>
        startActivityFlow<SandboxOrder, TiktokOrderStatus>({
          perMinute,
          random: core.state.random,
          logger,
          label: "tiktok-shop sandbox",
          open: () => [...core.state.orders.values()].filter((o) => o.shop_id === demoShop && !core.orders.isTerminal(o.status)),
          status: (o) => o.status,
          create: () => {
            if (!demoShop) return
            const sku = [...core.state.products.values()].find((p) => p.shop_id === demoShop)?.skus[0]
            if (sku) core.createOrder(demoShop, { status: "UNPAID", lines: [{ sku_id: sku.id, quantity: 1 }], shipping_fee: "9000" })
          },
          advance: (o, to) => core.orders.advance(o, to),
          detours: [{ from: "UNPAID", to: "CANCELLED", chance: 0.2 }],
        }),
      controlSummary: TIKTOK_SHOP_CONTROL_SUMMARY,
    }
  },
}
