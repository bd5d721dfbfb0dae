import type { AuthorizationGrant, AuthorizationUrlInput, ExchangeCodeInput, RefreshTokenInput, TokenSet } from "../types"
import { TiktokShopAuthError, TiktokShopValidationError } from "./errors"
import type { TiktokShopHttp } from "./http"
import { toGrant, toTokenSet } from "./mapping"
import { shopsDataSchema, tokenDataSchema } from "./schemas"
import type { ResolvedTiktokShopOptions } from "./types"

/**
 * The seller authorization page: `/open/authorize?service_id=...&state=...`. The redirect URL is the one
 * registered with the app in Partner Center, not a parameter.
 */
export function authorizationUrl(options: ResolvedTiktokShopOptions, input: AuthorizationUrlInput): string {
  const query = new URLSearchParams({ service_id: options.serviceId, state: input.state })
  return `${options.authorizeBaseUrl}/open/authorize?${query}`
}

/** The callback's `code` (single use) -> tokens on the auth host -> the seller's shops and their ciphers. */
export async function exchangeCode(http: TiktokShopHttp, options: ResolvedTiktokShopOptions, input: ExchangeCodeInput): Promise<AuthorizationGrant> {
  if (input.params.error) {
    throw new TiktokShopAuthError(`TikTok Shop authorization was refused: ${input.params.error}`, { code: input.params.error })
  }
  const code = input.params.code
  if (!code) {
    throw new TiktokShopValidationError("TikTok Shop callback has no code", { code: "missing_code" })
  }
  const token = await http.call({
    method: "GET",
    path: "/api/v2/token/get",
    scope: { kind: "token" },
    query: { app_key: options.appKey, app_secret: options.appSecret, auth_code: code, grant_type: "authorized_code" },
    schema: tokenDataSchema,
    // A code works once.
    idempotent: false,
  })
  const shops = await http.call({
    method: "GET",
    path: "/authorization/202309/shops",
    scope: { kind: "seller", access_token: token.access_token },
    schema: shopsDataSchema,
    idempotent: true,
  })
  return toGrant(token, shops)
}

/** Refresh per grant; whatever refresh token comes back is stored (the docs do not say whether it rotates). */
export async function refreshToken(http: TiktokShopHttp, options: ResolvedTiktokShopOptions, input: RefreshTokenInput): Promise<TokenSet> {
  const token = await http.call({
    method: "GET",
    path: "/api/v2/token/refresh",
    scope: { kind: "token" },
    query: { app_key: options.appKey, app_secret: options.appSecret, refresh_token: input.refresh_token, grant_type: "refresh_token" },
    schema: tokenDataSchema,
    // An old refresh token may stop working once used.
    idempotent: false,
  })
  return toTokenSet(token)
}
