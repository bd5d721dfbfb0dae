/**
 * Options of the Lazada provider, as given in the marketplace module's `providers[].options` (the app config fills
 * them from LAZADA_APP_KEY, LAZADA_APP_SECRET, LAZADA_AUTH_URL and LAZADA_API_URL_TEMPLATE).
 */
export interface LazadaProviderOptions {
  /** The app key from the Lazada Open Platform console. Required. */
  appKey: string
  /** The app secret: signs every call and every push. Required; never logged. */
  appSecret: string
  /**
   * The authorization host, without `/rest`. Default `https://auth.lazada.com`: the consent page is
   * `<authUrl>/oauth/authorize`, the token APIs `<authUrl>/rest/auth/token/create` and `/refresh`.
   */
  authUrl?: string
  /**
   * The API host of a country, with `{country}` (lower case: sg, my, th, ph, vn, id) in it, e.g. a local sandbox's
   * `http://127.0.0.1:9101/lazada/{country}/rest`. Default: Lazada's own hosts (`https://api.lazada.sg/rest`, ...).
   */
  apiUrlTemplate?: string
  /** Calls per second per connection (Lazada publishes no general number). Default 10. */
  callsPerSecond?: number
  /** Timeout of one HTTP call in milliseconds. Default 15000. */
  timeoutMs?: number
  /** Extra attempts after a network error, a 5xx or a rate limit. Default 4. */
  maxRetries?: number
  /** Longest time one call may hold its caller, in milliseconds. Default 45000. */
  retryBudgetMs?: number
  /** Test hooks: the clock (ms since epoch) and the sleep used for backoff. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface ResolvedLazadaOptions {
  appKey: string
  appSecret: string
  authUrl: string
  apiUrlTemplate: string | null
  callsPerSecond: number
  timeoutMs: number
  maxRetries: number
  retryBudgetMs: number
  now: () => number
  sleep: (ms: number) => Promise<void>
}

export const LAZADA_DEFAULT_AUTH_URL = "https://auth.lazada.com"
