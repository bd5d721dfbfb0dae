import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { MarketplaceApiError } from "../providers/errors"
import type { MarketplaceProvider, ShopSession, TokenSet } from "../providers/types"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { readShopsColumn, UNREADABLE_CREDENTIALS } from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"

type AuthorizationRow = Awaited<ReturnType<MarketplaceModuleService["retrieveAuthorization"]>>

/**
 * The grant's token pair. Tokens no configured key opens (the encryption key was changed without keeping the
 * old one as a previous key) cannot be used again: the grant and its connections go to `needs_reauth` with the
 * reason, so the admin shows "Reconnect" instead of every call failing with a 500.
 */
async function readTokens(marketplace: MarketplaceModuleService, authorizationId: string): Promise<TokenSet> {
  try {
    return await marketplace.retrieveAuthorizationTokens(authorizationId)
  } catch (error) {
    if (error instanceof MedusaError && error.code === UNREADABLE_CREDENTIALS) {
      await marketplace.markAuthorizationNeedsReauth(authorizationId, error.message)
    }
    throw error
  }
}

const expiresWithin = (tokens: TokenSet, seconds: number, now = Date.now()) =>
  tokens.access_token_expires_at.getTime() - now <= seconds * 1000

/**
 * The lock that makes a token refresh happen once per grant at a time, across every process: two shops of
 * one grant share its pair, so they share the lock too.
 */
export const tokenLockKey = (authorizationId: string) => `marketplace:token:${authorizationId}`

/**
 * Refreshes a grant's token pair under the Locking module. Refresh tokens are single use on most platforms:
 * two refreshes racing would leave one process with a dead pair and disconnect every shop of the grant. So
 * the refresh happens under a lock, and whoever gets the lock second re-reads the pair and uses the fresh
 * one. A refusal (`auth`) puts the grant and every connection it serves in `needs_reauth`.
 */
async function refreshUnderLock(
  container: MedusaContainer,
  authorization: AuthorizationRow,
  fallbackShopId: string,
  provider: MarketplaceProvider,
  staleAccessToken: string
): Promise<TokenSet> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const locking = container.resolve(Modules.LOCKING)

  return await locking.execute(
    tokenLockKey(authorization.id),
    async () => {
      const current = await readTokens(marketplace, authorization.id)
      if (
        current.access_token !== staleAccessToken &&
        !expiresWithin(current, provider.limits.token_refresh_margin_seconds)
      ) {
        return current
      }
      const shopIds = readShopsColumn(authorization.shops).map((shop) => shop.shop_id)
      let fresh: TokenSet
      try {
        fresh = await provider.refreshToken({
          refresh_token: current.refresh_token,
          seller_id: authorization.external_seller_id,
          shop_ids: shopIds.length ? shopIds : [fallbackShopId],
          metadata: authorization.metadata as Record<string, unknown> | null,
        })
      } catch (error) {
        if (MarketplaceApiError.is(error) && error.kind === "auth") {
          await marketplace.markAuthorizationNeedsReauth(
            authorization.id,
            `The marketplace refused the token refresh: ${error.message}`
          )
        }
        throw error
      }
      await marketplace.storeAuthorizationTokens(authorization.id, fresh)
      return fresh
    },
    { timeout: 60, expire: 60 }
  )
}

/**
 * A session for shop-scoped provider calls, with an access token that is valid for at least the provider's
 * refresh margin. Refuses disabled connections and connections that need re-authorization.
 *
 * @example
 * const session = await getShopSession(container, "mpcon_123")
 * const orders = await provider.getOrders(session, ["240101ABC"])
 */
export async function getShopSession(
  container: MedusaContainer,
  connectionId: string,
  { forceRefresh = false }: { forceRefresh?: boolean } = {}
): Promise<ShopSession> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(connectionId)
  if (connection.status !== "active") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      connection.status === "disabled"
        ? `Connection ${connectionId} is disabled`
        : `Connection ${connectionId} needs re-authorization: connect the shop again`
    )
  }
  const authorization = connection.authorization_id
    ? await marketplace.retrieveAuthorization(connection.authorization_id)
    : null
  if (!authorization || authorization.status !== "active") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Connection ${connectionId} needs re-authorization: connect the shop again`
    )
  }
  const provider = marketplace.getProvider(connection.platform)
  let tokens = await readTokens(marketplace, authorization.id)
  if (forceRefresh || expiresWithin(tokens, provider.limits.token_refresh_margin_seconds)) {
    tokens = await refreshUnderLock(container, authorization, connection.external_shop_id, provider, tokens.access_token)
  }
  return {
    connection_id: connection.id,
    shop_id: connection.external_shop_id,
    region: connection.shop_region,
    api_base_url: connection.api_base_url,
    access_token: tokens.access_token,
    metadata: connection.metadata as Record<string, unknown> | null,
  }
}

/**
 * Runs a shop-scoped call with a fresh session; when the platform says the token is no good although it
 * had not expired (revoked, rotated elsewhere), refreshes once and tries again. A second refusal of the token
 * (kind `auth`) marks the authorization and its connections `needs_reauth`. Any other refusal, such as a
 * permission missing for this one API (kind `not_allowed`), fails this call only.
 *
 * @example
 * const orders = await withShopSession(container, connectionId, (provider, session) =>
 *   provider.getOrders(session, ids)
 * )
 */
export async function withShopSession<T>(
  container: MedusaContainer,
  connectionId: string,
  call: (provider: MarketplaceProvider, session: ShopSession) => Promise<T>
): Promise<T> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const session = await getShopSession(container, connectionId)
  const connection = await marketplace.retrieveConnection(connectionId, { select: ["platform"] })
  const provider = marketplace.getProvider(connection.platform)
  try {
    return await call(provider, session)
  } catch (error) {
    if (!(MarketplaceApiError.is(error) && error.kind === "auth")) {
      throw error
    }
    const retried = await getShopSession(container, connectionId, { forceRefresh: true })
    try {
      return await call(provider, retried)
    } catch (second) {
      if (MarketplaceApiError.is(second) && second.kind === "auth") {
        const connection = await marketplace.retrieveConnection(connectionId, { select: ["authorization_id"] })
        const reason = `The marketplace refused a fresh token: ${second.message}`
        if (connection.authorization_id) {
          await marketplace.markAuthorizationNeedsReauth(connection.authorization_id, reason)
        } else {
          await marketplace.updateConnections({ id: connectionId, status: "needs_reauth", last_error: reason })
        }
      }
      throw second
    }
  }
}
