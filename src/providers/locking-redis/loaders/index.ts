import { asValue } from "@medusajs/framework/awilix"
import type { ProviderLoaderOptions } from "@medusajs/framework/types"

/**
 * Hands the provider's own options (`redisUrl`, ...) to its service through the provider's container, as
 * Medusa's Redis locking provider does with its connection.
 */
export default async function marketplaceLockingLoader({ container, options }: ProviderLoaderOptions) {
  container.register({ marketplaceLockingOptions: asValue(options ?? {}) })
}
