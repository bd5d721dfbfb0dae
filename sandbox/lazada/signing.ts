import crypto from "crypto"

/**
 * Lazada's signatures, written for the sandbox from the Open Platform docs ("Signature algorithm", docId 108068;
 * "Lazada Push Mechanism", docId 120168), not from src/providers/lazada: when the client signs wrongly, the sandbox
 * refuses it as Lazada would.
 */

/** Upper-case hex HMAC-SHA256 of `path + k1v1k2v2... (+ body)`, parameters sorted, empty ones skipped, no `sign`. */
export function lazadaApiSign(secret: string, apiPath: string, query: URLSearchParams, rawBody: string): string {
  const entries: [string, string][] = []
  query.forEach((value, key) => {
    if (key !== "sign" && value !== "") entries.push([key, value])
  })
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  let base = apiPath
  for (const [key, value] of entries) base += key + value
  base += rawBody
  return crypto.createHmac("sha256", secret).update(base, "utf8").digest("hex").toUpperCase()
}

/** `Authorization` of a push: hex HMAC-SHA256 keyed by the app secret over app key + body (lower case, as the sample). */
export function lazadaPushAuthorization(appKey: string, secret: string, body: string): string {
  return crypto.createHmac("sha256", secret).update(appKey + body, "utf8").digest("hex")
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase())
  const y = Buffer.from(b.toUpperCase())
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
