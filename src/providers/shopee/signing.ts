import { createHmac } from "crypto"

/**
 * Shopee Open Platform v2 request signatures ("Signature calculation" in the API call guide):
 * sign = lowercase hex HMAC-SHA256(key = partner key, message = base string), where the base string is
 * - public APIs: partner_id + api path + timestamp
 * - shop APIs:   partner_id + api path + timestamp + access_token + shop_id
 * The api path includes "/api/v2" and no host; the timestamp is Unix seconds and valid for 5 minutes.
 */

export function hmacSha256Hex(key: string, message: string | Buffer): string {
  return createHmac("sha256", Buffer.from(key, "utf8")).update(message).digest("hex")
}

export function publicBaseString(partnerId: string, apiPath: string, timestamp: number): string {
  return `${partnerId}${apiPath}${timestamp}`
}

export function shopBaseString(
  partnerId: string,
  apiPath: string,
  timestamp: number,
  accessToken: string,
  shopId: string
): string {
  return `${partnerId}${apiPath}${timestamp}${accessToken}${shopId}`
}

export function signPublic(partnerKey: string, partnerId: string, apiPath: string, timestamp: number): string {
  return hmacSha256Hex(partnerKey, publicBaseString(partnerId, apiPath, timestamp))
}

export function signShop(
  partnerKey: string,
  partnerId: string,
  apiPath: string,
  timestamp: number,
  accessToken: string,
  shopId: string
): string {
  return hmacSha256Hex(partnerKey, shopBaseString(partnerId, apiPath, timestamp, accessToken, shopId))
}
