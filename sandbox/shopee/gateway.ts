import type { PlatformGateway } from "../kit/platform"
import type { ShopKey } from "../kit/types"
import type { ShopeeSandboxCore } from "./core"
import { authError, paramError } from "./errors"
import { safeEqual, signShopeeRequest } from "./signing"
import type { SandboxState } from "./state"
import type { SandboxShop } from "./types"

/** Shopee ids are "an integer between 0 and 4294967295" (common error list). */
const UINT32 = /^\d{1,10}$/
const MAX_UINT32 = 4294967295
/** "Each API request needs to be requested within 5 minutes of a timestamp." */
const TIMESTAMP_VALIDITY_SECONDS = 300

function uint32(raw: string | null): number | undefined {
  if (raw === null || !UINT32.test(raw)) return undefined
  const value = Number(raw)
  return value <= MAX_UINT32 ? value : undefined
}

/**
 * Checks the common parameters of every /api/v2 call in the order a gateway would: presence and
 * shape, partner, timestamp freshness, signature, then (shop APIs) the access token.
 * Messages are the documented common errors. Returns the shop for shop APIs.
 */
export function verifyCommonParams(
  state: SandboxState,
  path: string,
  query: URLSearchParams,
  type: "public" | "shop"
): SandboxShop | null {
  const config = state.config
  const partnerRaw = query.get("partner_id")
  if (partnerRaw === null || partnerRaw === "") throw paramError("There is no partner_id in query.")
  const partnerId = uint32(partnerRaw)
  if (partnerId === undefined) throw paramError("Partner_id is invalid, should be an integer between 0 and 4294967295.")
  if (partnerId !== config.partnerId) throw authError("invalid_partner_id", "Invalid partner_id, please have a check.")

  const timestampRaw = query.get("timestamp")
  if (timestampRaw === null || timestampRaw === "") throw paramError("no timestamp")
  const timestamp = uint32(timestampRaw)
  if (timestamp === undefined) throw paramError("Timestamp is invalid, should be an integer between 0 and 4294967295.")
  const now = state.nowSec()
  if (timestamp < now - TIMESTAMP_VALIDITY_SECONDS) throw paramError("Timestamp is expired.")
  // The docs say nothing about future timestamps; a small skew is tolerated, more is "Invalid".
  if (timestamp > now + config.timestampSkewSeconds) throw paramError("Invalid timestamp")

  const sign = query.get("sign")
  if (sign === null || sign === "") throw paramError("There is no sign in query.")

  let accessToken: string | undefined
  let shopId: number | undefined
  if (type === "shop") {
    accessToken = query.get("access_token") ?? ""
    if (accessToken === "") throw paramError("There is no access_token in query.")
    const shopRaw = query.get("shop_id")
    if (shopRaw === null || shopRaw === "") throw paramError("There is no shop_id in query.")
    shopId = uint32(shopRaw)
    if (shopId === undefined) throw paramError("shop_id is invalid, should be an integer between 0 and 4294967295.")
  }

  // Sign over the raw query values, exactly as the caller sent them.
  const expected = signShopeeRequest({
    partnerKey: config.partnerKey,
    partnerId: partnerRaw,
    path,
    timestamp: timestampRaw,
    accessToken,
    shopId: type === "shop" ? (query.get("shop_id") ?? "") : undefined,
  })
  if (!safeEqual(expected, sign.toLowerCase())) throw authError("error_sign", "Wrong sign.")

  if (type === "public" || accessToken === undefined || shopId === undefined) {
    return null
  }
  const token = state.tokens.access.get(accessToken)
  // Unknown and expired tokens get the same answer. The common error list spells it
  // "invalid_acceess_token" (sic); some clients and write-ups use invalid_access_token, and some
  // APIs document error_auth "Invalid access_token." - configurable, see invalidTokenError.
  if (!token || token.expires_at_ms <= state.nowMs()) {
    throw authError(config.invalidTokenError, "Invalid access_token, please have a check.")
  }
  if (token.shop_id !== shopId) throw authError("error_auth", "Invalid partner_id or shopid.")
  const shop = state.shops.get(shopId)
  if (!shop) throw authError("error_auth", "Invalid partner_id or shopid.")
  if (shop.status === "BANNED") {
    throw authError("shop_banned", "The shop account has been banned. Permissions for shop authorization and API calls have been suspended until the shop account is restored.")
  }
  return shop
}

/** shop_id of a call for faults and the call log: query for shop APIs, body for token APIs. */
function callShopId(query: URLSearchParams, body: unknown): ShopKey | null {
  const fromQuery = query.get("shop_id")
  if (fromQuery && /^\d+$/.test(fromQuery)) return Number(fromQuery)
  if (typeof body === "object" && body !== null && "shop_id" in body) {
    const value = (body as { shop_id: unknown }).shop_id
    if (typeof value === "number") return value
  }
  return null
}

/** The kit's view of Shopee's gateway: common parameters, and the steady rate limit on shop APIs. */
export const shopeeGateway: PlatformGateway<ShopeeSandboxCore, SandboxShop, "public" | "shop"> = {
  authenticate: (core, route, path, query) => verifyCommonParams(core.state, path, query, route.type),
  rateLimited: (route) => route.type === "shop",
  scopeOf: callShopId,
}
