import { MedusaError } from "@medusajs/framework/utils"
import { LAZADA_DEFAULT_AUTH_URL, type LazadaProviderOptions, type ResolvedLazadaOptions } from "./types"

function fail(message: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `Lazada provider: ${message}`)
}

/** Optional options arrive from env variables: "" is absent. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ""
}

function checkUrl(name: string, value: unknown): void {
  if (!present(value)) return
  let url: URL
  try {
    url = new URL(String(value).replace(/\{country\}/g, "sg"))
  } catch {
    fail(`option "${name}" must be an http(s) URL, got "${String(value)}"`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`option "${name}" must be an http(s) URL, got "${String(value)}"`)
  }
}

function checkNumber(name: string, value: unknown, min: number): void {
  if (!present(value)) return
  const n = Number(value)
  if (!Number.isFinite(n) || n < min) fail(`option "${name}" must be a number >= ${min}, got "${String(value)}"`)
}

/** Checks the options once at start-up; the message names the offending option. */
export function validateLazadaOptions(options: Record<string, unknown>): void {
  if (!present(options.appKey) || typeof options.appKey !== "string") fail('option "appKey" is required (LAZADA_APP_KEY)')
  if (!present(options.appSecret) || typeof options.appSecret !== "string") {
    fail('option "appSecret" is required (LAZADA_APP_SECRET)')
  }
  checkUrl("authUrl", options.authUrl)
  checkUrl("apiUrlTemplate", options.apiUrlTemplate)
  if (present(options.apiUrlTemplate) && !String(options.apiUrlTemplate).includes("{country}")) {
    fail('option "apiUrlTemplate" must contain "{country}"')
  }
  checkNumber("callsPerSecond", options.callsPerSecond, 0.001)
  checkNumber("timeoutMs", options.timeoutMs, 1)
  checkNumber("maxRetries", options.maxRetries, 0)
  checkNumber("retryBudgetMs", options.retryBudgetMs, 1)
}

export function resolveLazadaOptions(options: LazadaProviderOptions): ResolvedLazadaOptions {
  validateLazadaOptions(options as unknown as Record<string, unknown>)
  const num = (value: unknown, fallback: number): number => (present(value) ? Number(value) : fallback)
  return {
    appKey: options.appKey,
    appSecret: options.appSecret,
    authUrl: (present(options.authUrl) ? String(options.authUrl) : LAZADA_DEFAULT_AUTH_URL).replace(/\/+$/, ""),
    apiUrlTemplate: present(options.apiUrlTemplate) ? String(options.apiUrlTemplate) : null,
    callsPerSecond: num(options.callsPerSecond, 10),
    timeoutMs: num(options.timeoutMs, 15000),
    maxRetries: num(options.maxRetries, 4),
    retryBudgetMs: num(options.retryBudgetMs, 45000),
    now: options.now ?? (() => Date.now()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  }
}
