import type { MarketplaceAuth } from "./auth"
import type { MarketplaceCatalog } from "./catalog"
import type { MarketplaceLogistics } from "./logistics"
import type { MarketplaceOrders } from "./orders"
import type { MarketplaceReturns } from "./returns"
import type { MarketplaceSettlement } from "./settlement"
import type { ProviderVocabulary } from "./vocabulary"
import type { MarketplaceWebhooks } from "./webhooks"

/** Batch and window sizes the core must respect. */
export interface ProviderLimits {
  /** Longest time window one order list call may cover. */
  order_list_window_seconds: number
  order_list_page_size: number
  order_detail_batch: number
  escrow_batch: number
  /** Packages per tracking-number call, when the platform reads tracking numbers in batches. */
  tracking_batch?: number
  /** Units per stock or price call (they must share one item on some platforms). */
  stock_batch: number
  price_batch: number
  /** Refresh the access token when it expires within this many seconds. */
  token_refresh_margin_seconds: number
  /**
   * How long after sending a push the platform may still re-deliver it (its last retry), in seconds. A webhook
   * older than this (plus the core's margin) is a replay and is recorded as ignored, not processed; the inbox
   * keeps its dedupe rows at least that long. Without it, pushes are accepted whatever their age.
   */
  webhook_redelivery_horizon_seconds?: number
}

/** Who the provider is and what bounds it sets. */
export interface ProviderIdentity {
  /** The platform id ("shopee", "tiktok", "lazada") and the path segment of its webhook route. */
  readonly id: string
  /** A human name for the admin ("Shopee"). */
  readonly display_name: string
  readonly limits: ProviderLimits
  readonly vocabulary: ProviderVocabulary
}

/**
 * A marketplace provider: its identity and limits, its vocabulary, and one interface per capability. One
 * instance per configured platform, shared by every connection of that platform. Methods that take a
 * `ShopSession` are shop-scoped; the core gives them a fresh token. Errors are `MarketplaceApiError`s (see
 * ./errors). Extend `AbstractMarketplaceProvider` (../abstract-provider) to get the optional parts for free.
 */
export interface MarketplaceProvider
  extends ProviderIdentity,
    MarketplaceAuth,
    MarketplaceWebhooks,
    MarketplaceOrders,
    MarketplaceLogistics,
    MarketplaceReturns,
    MarketplaceCatalog,
    MarketplaceSettlement {}

export interface ProviderDependencies {
  logger: {
    info(msg: string): void
    warn(msg: string): void
    error(msg: string): void
    debug(msg: string): void
  }
}

/**
 * A provider class. A provider package default-exports `ModuleProvider(MARKETPLACE_MODULE, { services: [Class] })`
 * as Medusa's own module providers do; the class is constructed like them: `new Provider(deps, options)`.
 */
export interface MarketplaceProviderConstructor<TOptions = Record<string, unknown>> {
  new (deps: ProviderDependencies, options: TOptions): MarketplaceProvider
  /** The platform id, as Medusa requires of every module provider ("shopee"). */
  readonly identifier: string
  /** Checks options once at start-up; throws with a clear message. */
  validateOptions?(options: Record<string, unknown>): void
  /** The platform's name for people ("Shopee"), for messages about a provider that is not registered. */
  readonly displayName?: string
  /**
   * The options without which the provider cannot work at all, with the environment variables that usually
   * fill them. When any is absent the provider is left out with a warning instead of stopping the app, so a
   * store can be installed before its marketplace account is approved; options that are present are still
   * validated.
   */
  readonly requiredOptions?: readonly RequiredProviderOption[]
}

export interface RequiredProviderOption {
  option: string
  env?: string
}

/** A provider listed in the module options but left out because required options are absent. */
export interface UnconfiguredProvider {
  id: string
  display_name: string
  missing_options: string[]
  missing_env: string[]
  message: string
}

/** One entry of the module option `providers`. */
export interface ProviderRegistration {
  /** A module path or package whose default export is `ModuleProvider(MARKETPLACE_MODULE, { services })`. */
  resolve: string | MarketplaceProviderConstructor
  /** The platform id; defaults to the provider's own id. */
  id?: string
  options?: Record<string, unknown>
}
