import { createHmac, timingSafeEqual } from "crypto"

/**
 * Lazada Open Platform signatures, as "Signature algorithm" (open.lazada.com docId 108068) defines them:
 *
 * 1. every request parameter except `sign` (system and business parameters alike), sorted by name in ASCII
 *    order; parameters whose value is empty are left out, as the official SDKs do;
 * 2. each as `name + value`, concatenated;
 * 3. prefixed with the API path (`/orders/get`, without the host's `/rest`);
 * 4. the raw request body appended when the call has one;
 * 5. `sign = HEX_UPPER(HMAC-SHA256(app_secret, that string))`, with `sign_method=sha256` among the parameters.
 */
export type LazadaParams = Record<string, string | number | boolean | null | undefined>

/** The string the API signature covers. */
export function lazadaSignBase(apiPath: string, params: LazadaParams, body?: string | null): string {
  const names = Object.keys(params)
    .filter((name) => name !== "sign")
    .filter((name) => params[name] !== undefined && params[name] !== null && String(params[name]) !== "")
    .sort()
  const pairs = names.map((name) => `${name}${String(params[name])}`).join("")
  return `${apiPath}${pairs}${body ? body : ""}`
}

/** `sign` of one API call: upper-case hex HMAC-SHA256 over `lazadaSignBase`. */
export function signLazada(appSecret: string, apiPath: string, params: LazadaParams, body?: string | null): string {
  return createHmac("sha256", appSecret).update(lazadaSignBase(apiPath, params, body), "utf8").digest("hex").toUpperCase()
}

/**
 * The push signature (Lazada Push Mechanism, docId 120168): header `Authorization` =
 * hex(HMAC-SHA256(app_secret, app_key + raw body)); the docs' sample code writes it in lower case.
 */
export function lazadaPushSignature(appKey: string, appSecret: string, rawBody: Buffer | string): string {
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody
  return createHmac("sha256", appSecret).update(Buffer.concat([Buffer.from(appKey, "utf8"), body])).digest("hex")
}

/** Constant-time comparison of two hex signatures, case-insensitive. */
export function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim().toLowerCase(), "utf8")
  const b = Buffer.from(expected.toLowerCase(), "utf8")
  return a.length === b.length && timingSafeEqual(a, b)
}
