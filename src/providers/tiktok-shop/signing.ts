import { createHmac } from "crypto"

/** Query values as signed: only the parameters actually sent (a missing value is not signed). */
export type SignableQuery = Record<string, string | number | boolean | null | undefined>

/** Lower-case hex HMAC-SHA256. */
export function hmacSha256Hex(key: string, data: string | Buffer): string {
  return createHmac("sha256", key).update(data).digest("hex")
}

/**
 * The string TikTok Shop signs ("Sign your API request"): the query parameters without `sign` and
 * `access_token`, sorted by key, each as `key + value`, prefixed with the request path, followed by the raw
 * body unless the request is multipart, the whole wrapped in the app secret on both sides.
 */
export function tiktokSignBase(
  appSecret: string,
  path: string,
  query: SignableQuery,
  body: string | null | undefined,
  multipart = false
): string {
  const params = Object.keys(query)
    .filter((key) => key !== "sign" && key !== "access_token" && query[key] !== undefined && query[key] !== null)
    .sort()
    .map((key) => `${key}${String(query[key])}`)
    .join("")
  const payload = !multipart && body ? body : ""
  return `${appSecret}${path}${params}${payload}${appSecret}`
}

/** `sign` = lower-case hex HMAC-SHA256(app_secret, the wrapped base string). */
export function signTiktokRequest(
  appSecret: string,
  path: string,
  query: SignableQuery,
  body: string | null | undefined,
  multipart = false
): string {
  return hmacSha256Hex(appSecret, tiktokSignBase(appSecret, path, query, body, multipart))
}

/** Webhook `Authorization` header: lower-case hex HMAC-SHA256(app_secret, app_key + raw body). */
export function signTiktokWebhook(appKey: string, appSecret: string, rawBody: Buffer | string): string {
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody
  return hmacSha256Hex(appSecret, Buffer.concat([Buffer.from(appKey, "utf8"), body]))
}
