/** TikTok Shop provider options (medusa-config.ts `providers[].options`). */
export interface TiktokShopProviderOptions {
  /** The app key of the TikTok Shop Partner Center app (TIKTOK_SHOP_APP_KEY). */
  appKey: string
  /** The app secret: signs every call and every webhook (TIKTOK_SHOP_APP_SECRET). Never logged. */
  appSecret: string
  /** The service id of the app, for the seller authorization link (TIKTOK_SHOP_SERVICE_ID). */
  serviceId: string
  /** The Open API host (default https://open-api.tiktokglobalshop.com; TIKTOK_SHOP_BASE_URL for a sandbox). */
  baseUrl?: string
  /** The token host (default https://auth.tiktok-shops.com; TIKTOK_SHOP_AUTH_URL). */
  authBaseUrl?: string
  /**
   * The seller authorization page host (default https://services.tiktokshop.com; the US host appears in the docs
   * both as services.tiktokshops.us and services.us.tiktokshop.com, hence an option).
   */
  authorizeBaseUrl?: string
  /** Calls per second per connection (the platform allows 50 per API per shop; default 20). */
  callsPerSecond?: number
  timeoutMs?: number
  maxRetries?: number
  retryBaseMs?: number
  retryMaxMs?: number
  retryBudgetMs?: number
  /** Test hooks. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export interface ResolvedTiktokShopOptions {
  appKey: string
  appSecret: string
  serviceId: string
  baseUrl: string
  authBaseUrl: string
  authorizeBaseUrl: string
  callsPerSecond: number
  timeoutMs: number
  maxRetries: number
  retryBaseMs: number
  retryMaxMs: number
  retryBudgetMs: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const TIKTOK_SHOP_DEFAULT_BASE_URL = "https://open-api.tiktokglobalshop.com"
export const TIKTOK_SHOP_DEFAULT_AUTH_URL = "https://auth.tiktok-shops.com"
export const TIKTOK_SHOP_DEFAULT_AUTHORIZE_URL = "https://services.tiktokshop.com"
