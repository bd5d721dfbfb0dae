/** An access token pair as the platform issued it, with absolute expiry times. */
export interface TokenSet {
  access_token: string
  refresh_token: string
  /** When the access token stops working. */
  access_token_expires_at: Date
  /** When the refresh token stops working, when the platform says. */
  refresh_token_expires_at?: Date | null
}

/** What the core hands a provider for every shop-scoped call: a connected shop with a valid token. */
export interface ShopSession {
  /** The plugin's connection id, used for per-connection rate limiting. */
  connection_id: string
  /** The marketplace's id of the shop. */
  shop_id: string
  /** The shop's region as the platform names it (e.g. "SG", "MY"), when known. */
  region?: string | null
  /** A per-connection API host (sandbox or region), overriding the provider's default. */
  api_base_url?: string | null
  access_token: string
  /** Provider-specific, non-secret values stored with the connection (e.g. a shop cipher). */
  metadata?: Record<string, unknown> | null
}

/** One shop a grant covers. */
export interface AuthorizedShop {
  shop_id: string
  name?: string | null
  region?: string | null
  currency_code?: string | null
  /** Non-secret values the provider needs for this shop's calls (e.g. a shop cipher). */
  metadata?: Record<string, unknown> | null
}

/** What a successful authorization returns: one token pair and every shop it covers (Shopee: one). */
export interface AuthorizationGrant {
  /** The marketplace's id of the seller who granted it, where the platform has one. */
  seller_id?: string | null
  tokens: TokenSet
  shops: AuthorizedShop[]
  /** Non-secret values about the grant itself. */
  metadata?: Record<string, unknown> | null
}

export interface AuthorizationUrlInput {
  /** Where the marketplace sends the merchant back to. */
  redirect_url: string
  /** The plugin's single-use state. Providers of platforms without a state parameter carry it in the redirect URL. */
  state: string
}

export interface ExchangeCodeInput {
  /** The callback's query parameters as received (code, shop_id, state, ...). */
  params: Record<string, string>
  redirect_url: string
}

/** A refresh is per grant: every shop of the grant gets the new pair. */
export interface RefreshTokenInput {
  refresh_token: string
  /** The grant's seller id, where the platform has one. */
  seller_id?: string | null
  /** The shops the grant covers (Shopee refreshes with its one shop's id). */
  shop_ids: string[]
  /** The grant's non-secret metadata. */
  metadata?: Record<string, unknown> | null
}

/**
 * Capability `auth`: the OAuth round trip and token refresh. The core keeps the state, the tokens (sealed)
 * and the single-flight refresh; the provider only speaks to the platform.
 */
export interface MarketplaceAuth {
  getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }>
  /** The state the callback carries, for platforms that put it somewhere other than `state`. */
  extractState?(params: Record<string, string>): string | null
  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizationGrant>
  refreshToken(input: RefreshTokenInput): Promise<TokenSet>
}
