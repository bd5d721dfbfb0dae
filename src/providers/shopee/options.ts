import { MedusaError } from "@medusajs/framework/utils"
import { ResolvedShopeeOptions, SHOPEE_DEFAULT_BASE_URL, ShopeeProviderOptions } from "./types"

function fail(message: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `Shopee provider: ${message}`)
}

/** Optional options arrive from env variables: treat "" like absent. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ""
}

function checkUrl(name: string, value: unknown): void {
  if (!present(value)) {
    return
  }
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    fail(`option "${name}" must be an http(s) URL, got "${String(value)}"`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`option "${name}" must be an http(s) URL, got "${String(value)}"`)
  }
}

function checkNumber(name: string, value: unknown, min: number, integer: boolean): void {
  if (!present(value)) {
    return
  }
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    fail(`option "${name}" must be ${integer ? "an integer" : "a number"} >= ${min}, got "${String(value)}"`)
  }
}

function checkDelays(name: string, value: unknown): void {
  if (!present(value)) {
    return
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
    fail(`option "${name}" must be a list of milliseconds`)
  }
}

/** Checks the options once at start-up; the message names the offending option. */
export function validateShopeeOptions(options: Record<string, unknown>): void {
  if (!present(options.partnerId)) {
    fail('option "partnerId" is required (SHOPEE_PARTNER_ID)')
  }
  if (!/^\d+$/.test(String(options.partnerId).trim())) {
    fail('option "partnerId" must be a number (SHOPEE_PARTNER_ID)')
  }
  if (!present(options.partnerKey) || typeof options.partnerKey !== "string") {
    fail('option "partnerKey" is required (SHOPEE_PARTNER_KEY)')
  }
  if (present(options.pushKey) && typeof options.pushKey !== "string") {
    fail('option "pushKey" must be a string (SHOPEE_PUSH_KEY)')
  }
  checkUrl("baseUrl", options.baseUrl)
  checkUrl("sellerCentreUrl", String(options.sellerCentreUrl ?? "").replace(/\{\w+\}/g, "x") || undefined)
  checkNumber("callsPerSecond", options.callsPerSecond, 0.001, false)
  checkNumber("timeoutMs", options.timeoutMs, 1, true)
  checkNumber("maxRetries", options.maxRetries, 0, true)
  checkNumber("retryBaseMs", options.retryBaseMs, 0, true)
  checkNumber("retryMaxMs", options.retryMaxMs, 0, true)
  checkNumber("rateLimitFloorMs", options.rateLimitFloorMs, 0, true)
  checkNumber("retryBudgetMs", options.retryBudgetMs, 1, true)
  checkDelays("trackingPollDelays", options.trackingPollDelays)
  checkDelays("documentPollDelays", options.documentPollDelays)
}

function num(value: unknown, fallback: number): number {
  return present(value) ? Number(value) : fallback
}

export function resolveShopeeOptions(options: ShopeeProviderOptions): ResolvedShopeeOptions {
  validateShopeeOptions(options as unknown as Record<string, unknown>)
  return {
    partnerId: String(options.partnerId).trim(),
    partnerKey: options.partnerKey,
    pushKey: present(options.pushKey) ? (options.pushKey as string) : options.partnerKey,
    baseUrl: (present(options.baseUrl) ? String(options.baseUrl) : SHOPEE_DEFAULT_BASE_URL).replace(/\/+$/, ""),
    callsPerSecond: num(options.callsPerSecond, 10),
    timeoutMs: num(options.timeoutMs, 15000),
    maxRetries: num(options.maxRetries, 4),
    retryBaseMs: num(options.retryBaseMs, 500),
    retryMaxMs: num(options.retryMaxMs, 30000),
    rateLimitFloorMs: num(options.rateLimitFloorMs, 1000),
    retryBudgetMs: num(options.retryBudgetMs, 45000),
    trackingPollDelays: options.trackingPollDelays ?? [1000, 3000],
    documentPollDelays: options.documentPollDelays ?? [500, 1000, 2000, 4000],
    sellerCentreUrl: present(options.sellerCentreUrl) ? String(options.sellerCentreUrl) : null,
    disputeEmail: present(options.disputeEmail) ? String(options.disputeEmail) : null,
    now: options.now ?? (() => Date.now()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  }
}
