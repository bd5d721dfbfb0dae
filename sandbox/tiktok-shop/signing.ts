import crypto from "crypto"

// Written from TikTok Shop's "Sign your API request" and webhook pages, not from src/providers/tiktok-shop:
// if the client's signer is wrong, the sandbox refuses it, as TikTok Shop would.

/**
 * 1. every query parameter except `sign` and `access_token`, ordered by name, as name followed by value;
 * 2. the request path in front; 3. the body as sent at the end (not for multipart/form-data);
 * 4. the app secret on both ends; 5. HMAC-SHA256 keyed with the app secret, lower-case hex.
 */
export function expectedRequestSign(appSecret: string, path: string, query: URLSearchParams, rawBody: string, contentType: string): string {
  const names = [...new Set(query.keys())].filter((name) => name !== "sign" && name !== "access_token").sort()
  let text = path
  for (const name of names) text += name + (query.get(name) ?? "")
  if (!/multipart\/form-data/i.test(contentType)) text += rawBody
  text = appSecret + text + appSecret
  return crypto.createHmac("sha256", appSecret).update(text, "utf8").digest("hex")
}

/** The webhook `Authorization` header: HMAC-SHA256 keyed with the app secret over app key then body, hex. */
export function webhookAuthorization(appKey: string, appSecret: string, body: string): string {
  return crypto.createHmac("sha256", appSecret).update(appKey + body, "utf8").digest("hex")
}

/** A constant-time comparison of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8")
  const y = Buffer.from(b, "utf8")
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
