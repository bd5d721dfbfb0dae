/**
 * Options of the Shopee provider, as given in the marketplace module's `providers[].options`
 * (the app config fills them from SHOPEE_PARTNER_ID, SHOPEE_PARTNER_KEY, SHOPEE_PUSH_KEY and SHOPEE_BASE_URL).
 */
export interface ShopeeProviderOptions {
  /** The app's partner id from the Shopee Open Platform console (a number, or a numeric string). Required. */
  partnerId: number | string
  /** The app's partner key: signs every API call. Required; never logged. */
  partnerKey: string
  /**
   * The key that signs push (webhook) notifications. Some consoles show a separate "Live Push Partner Key";
   * falls back to `partnerKey`.
   */
  pushKey?: string
  /**
   * The API host. Default `https://partner.shopeemobile.com` (SG / global). Others: `https://openplatform.shopee.cn`,
   * `https://openplatform.shopee.com.br`, sandbox `https://openplatform.sandbox.test-stable.shopee.sg`, or any
   * URL (a local sandbox). A connection's `ShopSession.api_base_url` overrides it.
   */
  baseUrl?: string
  /**
   * Calls per second per connection, across all the app's processes when the marketplace module has `redisUrl`
   * (burst of the same size). Shopee publishes no number. Default 10.
   */
  callsPerSecond?: number
  /** Timeout of one HTTP call in milliseconds. Default 15000. */
  timeoutMs?: number
  /** Extra attempts after a network error, a 5xx or a rate limit. Default 4. */
  maxRetries?: number
  /** Base of the exponential backoff (full jitter) in milliseconds. Default 500. */
  retryBaseMs?: number
  /** Longest single backoff in milliseconds; a longer Retry-After is handed to the core instead of waited. Default 30000. */
  retryMaxMs?: number
  /** Shortest wait after a rate limit, in milliseconds, whatever the jitter drew. Default 1000. */
  rateLimitFloorMs?: number
  /**
   * Longest time one call may hold its caller, attempts, waits and timeouts together, in milliseconds; a call that
   * would need longer fails and the core reschedules it. Default 45000.
   */
  retryBudgetMs?: number
  /** Waits (ms) between polls of get_tracking_number while the tracking number is still empty. Default [1000, 3000]. */
  trackingPollDelays?: number[]
  /** Waits (ms) between polls of get_shipping_document_result while the document is PROCESSING. Default [500, 1000, 2000, 4000]. */
  documentPollDelays?: number[]
  /**
   * Seller Centre order link for the admin, with `{order_sn}`, `{shop_id}` and `{region}` placeholders. Default: the
   * region's Seller Centre host + `/portal/sale/order?keyword={order_sn}` (UNCONFIRMED: Shopee documents no deep link).
   */
  sellerCentreUrl?: string
  /** The seller e-mail v2.returns.dispute requires (the provider contract carries none). */
  disputeEmail?: string
  /** Test hooks: the clock (ms since epoch), the sleep used for backoff and polling, and the jitter source. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** Options after defaults, as the client and the provider use them. */
export interface ResolvedShopeeOptions {
  partnerId: string
  partnerKey: string
  pushKey: string
  baseUrl: string
  callsPerSecond: number
  timeoutMs: number
  maxRetries: number
  retryBaseMs: number
  retryMaxMs: number
  rateLimitFloorMs: number
  retryBudgetMs: number
  trackingPollDelays: number[]
  documentPollDelays: number[]
  sellerCentreUrl: string | null
  disputeEmail: string | null
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const SHOPEE_DEFAULT_BASE_URL = "https://partner.shopeemobile.com"
export const SHOPEE_SANDBOX_BASE_URL = "https://openplatform.sandbox.test-stable.shopee.sg"
