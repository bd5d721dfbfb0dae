import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { MarketplaceRedisLockingProvider } from "./service"
import marketplaceLockingLoader from "./loaders"

export { MarketplaceRedisLockingProvider }
export type { MarketplaceRedisLockingOptions } from "./service"

/**
 * A Redis provider for Medusa's Locking module that takes sets of keys in one order, all or nothing (see
 * `MarketplaceRedisLockingProvider`). Register it in the app's locking module instead of
 * `@medusajs/medusa/locking-redis` when Medusa runs as several processes:
 * `{ resolve: "medusa-marketplace-sync/providers/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }`.
 */
export default ModuleProvider(Modules.LOCKING, {
  services: [MarketplaceRedisLockingProvider],
  loaders: [marketplaceLockingLoader],
})
