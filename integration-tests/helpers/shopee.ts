import type { MedusaContainer } from "@medusajs/framework/types"
import { startShopeeSandbox, type ShopeeSandbox } from "../../sandbox/shopee"
import { connectShop, type SeededStore } from "./store"

export const PARTNER_ID = 100777
export const PARTNER_KEY = "integration-partner-key"

/**
 * Starts a Shopee sandbox before the Medusa app boots (declare it before `medusaIntegrationTestRunner`)
 * and points the app's Shopee provider at it through the environment medusa-config.ts reads. The benchmarks
 * use it; the HTTP specs go through the platform drivers (integration-tests/platforms).
 */
export function useShopeeSandbox(options: { pushKey?: string; seed?: number } = {}): () => ShopeeSandbox {
  let sandbox: ShopeeSandbox | undefined
  // Generated orders (buyers, payment methods, vouchers) come from a seeded generator, reset with the sandbox
  // before each test, so a run can be repeated exactly: SANDBOX_SEED=<n> tries another sequence.
  const seed = options.seed ?? Number(process.env.SANDBOX_SEED || 20261122)
  beforeAll(async () => {
    sandbox = await startShopeeSandbox({ port: 0, partnerId: PARTNER_ID, partnerKey: PARTNER_KEY, ...options, seed })
    process.env.SHOPEE_PARTNER_ID = String(PARTNER_ID)
    process.env.SHOPEE_PARTNER_KEY = PARTNER_KEY
    process.env.SHOPEE_BASE_URL = sandbox.url
    if (options.pushKey) process.env.SHOPEE_PUSH_KEY = options.pushKey
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  return () => {
    if (!sandbox) throw new Error("The sandbox is not started yet")
    return sandbox
  }
}

/** What connecting needs of a Shopee sandbox: the in-process one, or the control API of one in another process. */
export type SandboxShops = {
  createShop(input: { shop_id?: number; shop_name?: string; region?: string; currency?: string }): { shop_id: number; shop_name: string } | Promise<{ shop_id: number; shop_name: string }>
  issueTokens(shopId: number): { access_token: string; refresh_token: string; expire_in: number } | Promise<{ access_token: string; refresh_token: string; expire_in: number }>
}

/** A connection to a Shopee sandbox shop with tokens the sandbox issued (see connectShop). */
export async function connectSandboxShop(
  container: MedusaContainer,
  sandbox: SandboxShops,
  store: SeededStore | null,
  { shopId, settings }: { shopId?: number; settings?: Record<string, unknown> } = {}
) {
  const shop = await sandbox.createShop({ shop_id: shopId, shop_name: "Sandbox shop", region: "SG", currency: "SGD" })
  const tokens = await sandbox.issueTokens(shop.shop_id)
  const { connection_id } = await connectShop(container, {
    platform: "shopee",
    shop: { id: String(shop.shop_id), name: shop.shop_name },
    tokens: { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires_in_seconds: tokens.expire_in },
    store,
    settings,
  })
  return { connection_id, shop_id: shop.shop_id }
}

export { ORDER_TEST_SKUS, readOrder, seedStore, useDefaultShippingProfile, type SeededStore } from "./store"
