import crypto from "crypto"

/**
 * Signatures as "API calls > Signature calculation" and "Push Mechanism > Push Authorization"
 * describe them. Written from the docs on purpose: the plugin's own signer is never imported.
 */

/** Lowercase hex HMAC-SHA256 with a UTF-8 key. */
export function hmacSha256Hex(key: string, message: string): string {
  return crypto.createHmac("sha256", Buffer.from(key, "utf8")).update(message, "utf8").digest("hex")
}

/**
 * Base string: partner_id + api_path + timestamp for public APIs, followed by
 * access_token + shop_id for shop APIs.
 */
export function shopeeBaseString(input: {
  partnerId: number | string
  path: string
  timestamp: number | string
  accessToken?: string
  shopId?: number | string
}): string {
  const base = `${input.partnerId}${input.path}${input.timestamp}`
  if (input.accessToken === undefined || input.shopId === undefined) {
    return base
  }
  return `${base}${input.accessToken}${input.shopId}`
}

export function signShopeeRequest(input: {
  partnerKey: string
  partnerId: number | string
  path: string
  timestamp: number | string
  accessToken?: string
  shopId?: number | string
}): string {
  return hmacSha256Hex(input.partnerKey, shopeeBaseString(input))
}

/** The push `Authorization` header: HMAC-SHA256(push key, callback_url + "|" + raw body). */
export function pushAuthorization(pushKey: string, callbackUrl: string, rawBody: string): string {
  return hmacSha256Hex(pushKey, `${callbackUrl}|${rawBody}`)
}

/** Constant-time comparison so the sandbox does not teach timing-unsafe habits. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && crypto.timingSafeEqual(left, right)
}
