import { ContainerRegistrationKeys, createMedusaContainer } from "@medusajs/framework/utils"
import { asValue } from "@medusajs/framework/awilix"
import type { LoaderOptions } from "@medusajs/framework/types"
import { Redis } from "ioredis"
import type { ProviderKitDependencies } from "../../kit"
import { ShopeeProvider } from ".."
import type { MarketplaceProviderConstructor } from "../../types"
import providersLoader, { PROVIDER_REGISTRY_KEY, RATE_LIMIT_STORE_KEY } from "../../../modules/marketplace/loaders/providers"
import type { ProviderRegistry } from "../../../modules/marketplace/services/provider-registry"
import type { MarketplaceModuleOptions } from "../../../modules/marketplace/types"

// Database 3 is this suite's own: flushed before and after, no other database touched.
const REDIS_URL = "redis://127.0.0.1:6379/3"
const silent = { info() {}, warn() {}, error() {}, debug() {} }

/** Records what the module hands its providers. */
class ProbeProvider extends ShopeeProvider {
  static seen: ProviderKitDependencies[] = []

  constructor(deps: ProviderKitDependencies, options: ConstructorParameters<typeof ShopeeProvider>[1]) {
    super(deps, options)
    ProbeProvider.seen.push(deps)
  }
}

async function load(options: MarketplaceModuleOptions) {
  const container = createMedusaContainer()
  container.register(ContainerRegistrationKeys.LOGGER, asValue(silent))
  await providersLoader({ container, options } as unknown as LoaderOptions<MarketplaceModuleOptions>)
  return container
}

describe("providers loader: the rate-limit store", () => {
  // A registration's class takes untyped options; the loader validates them before constructing.
  const shopee = {
    resolve: ProbeProvider as unknown as MarketplaceProviderConstructor,
    id: "shopee",
    options: { partnerId: 1, partnerKey: "k" },
  }
  let admin: Redis

  beforeAll(async () => {
    admin = new Redis(REDIS_URL)
    await admin.flushdb()
  })

  afterAll(async () => {
    await admin.flushdb()
    await admin.quit()
  })

  beforeEach(() => {
    ProbeProvider.seen = []
  })

  it("hands every provider the process's store, in memory without redisUrl", async () => {
    const container = await load({ providers: [shopee] })
    const store = container.resolve(RATE_LIMIT_STORE_KEY)
    expect(ProbeProvider.seen).toHaveLength(1)
    expect(ProbeProvider.seen[0].rateLimits).toBe(store)
    expect(ProbeProvider.seen[0].rateLimits?.shared).toBe(false)
    expect(container.resolve<ProviderRegistry>(PROVIDER_REGISTRY_KEY).has("shopee")).toBe(true)
  })

  it("books in Redis when redisUrl is set, so every process shares the shop's limit", async () => {
    const container = await load({ redisUrl: REDIS_URL, providers: [shopee] })
    const store = ProbeProvider.seen[0].rateLimits
    expect(store).toBe(container.resolve(RATE_LIMIT_STORE_KEY))
    expect(store?.shared).toBe(true)
    await store?.reserve("shopee:connection:conn_1", { ratePerSecond: 10 }, 0)
    expect(await admin.exists("marketplace:rate:shopee:connection:conn_1")).toBe(1)
    await store?.close()
  })
})
