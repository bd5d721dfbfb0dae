import type { ProviderDependencies } from "../types"
import type { RateLimitStore } from "./rate-limiter"

/**
 * What the marketplace module hands every provider besides the contract's dependencies. The module builds one
 * rate-limit store per process from its `redisUrl` option (Redis when set, so the limits hold across the app's
 * server and worker processes; memory otherwise) and passes it to each provider it constructs.
 */
export interface KitDependencies {
  /** Absent when a provider is constructed by hand (tests, scripts): it then counts its calls in memory. */
  rateLimits?: RateLimitStore
}

export type ProviderKitDependencies = ProviderDependencies & KitDependencies
