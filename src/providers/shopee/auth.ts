import type { AuthorizationGrant, AuthorizationUrlInput, ExchangeCodeInput, RefreshTokenInput, TokenSet } from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeAuthError, ShopeeError, ShopeeValidationError } from "./errors"
import { currencyForRegion } from "./regions"

/** Shopee documents the refresh token's life (30 days) but does not return it. */
const REFRESH_TOKEN_DAYS = 30

/**
 * Shopee's auth_partner link has no `state` parameter, so the plugin's state rides inside the redirect URL as a
 * `state` query parameter and comes back with `code` and `shop_id`.
 */
export function authorizationUrl(client: ShopeeClient, input: AuthorizationUrlInput): { url: string } {
  const redirect = new URL(input.redirect_url)
  redirect.searchParams.set("state", input.state)
  return { url: client.authPartnerUrl(redirect.toString()) }
}

export function extractState(params: Record<string, string>): string | null {
  return params.state || null
}

function tokenSet(
  answer: { access_token: string; refresh_token: string; expire_in: number },
  now: number
): TokenSet {
  return {
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    access_token_expires_at: new Date(now + answer.expire_in * 1000),
    refresh_token_expires_at: new Date(now + REFRESH_TOKEN_DAYS * 24 * 3600 * 1000),
  }
}

export async function exchangeCode(client: ShopeeClient, input: ExchangeCodeInput): Promise<AuthorizationGrant> {
  const { code, shop_id: shopId, main_account_id: mainAccountId } = input.params
  if (!code) {
    throw new ShopeeValidationError("Shopee callback without a code")
  }
  if (!shopId) {
    // A main-account authorization returns many shops with one token pair; one connection is one shop.
    throw new ShopeeValidationError(
      mainAccountId
        ? "Shopee main-account authorization is not supported: authorize each shop from its shop account"
        : "Shopee callback without a shop_id"
    )
  }
  if (!/^\d+$/.test(shopId)) {
    throw new ShopeeValidationError(`Shopee callback with an invalid shop_id: ${shopId}`)
  }
  const now = client.options.now()
  const answer = await client.getAccessToken(code, shopId)
  const tokens = tokenSet(answer, now)
  const info = await client.getShopInfo({
    connection_id: `authorize:${shopId}`,
    shop_id: shopId,
    access_token: tokens.access_token,
  })
  const region = info.region ? info.region.toUpperCase() : null
  const currency = currencyForRegion(region)
  return {
    seller_id: null,
    tokens,
    shops: [
      {
        shop_id: shopId,
        name: info.shop_name ?? null,
        region,
        currency_code: currency,
        metadata: { region, currency_code: currency, shop_status: info.status ?? null },
      },
    ],
  }
}

/** Refresh tokens are single use: the answer is a NEW pair, and the old refresh token stops working. */
export async function refreshToken(client: ShopeeClient, input: RefreshTokenInput): Promise<TokenSet> {
  const [shopId] = input.shop_ids
  if (!shopId) {
    throw new ShopeeValidationError("Shopee token refresh without a shop: a Shopee grant covers one shop")
  }
  const now = client.options.now()
  try {
    const answer = await client.refreshAccessToken(input.refresh_token, shopId)
    return tokenSet(answer, now)
  } catch (error) {
    // A refused refresh token is a re-authorization case whatever name Shopee gives it (error_param included).
    if (error instanceof ShopeeError && (error.kind === "validation" || error.kind === "not_found") && /refresh/i.test(error.message)) {
      throw new ShopeeAuthError(error.message, {
        code: error.code,
        request_id: error.request_id,
        http_status: error.http_status,
      })
    }
    throw error
  }
}
