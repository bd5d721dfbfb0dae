import { MedusaError } from "@medusajs/framework/utils"
import {
  type ResolvedTiktokShopOptions,
  TIKTOK_SHOP_DEFAULT_AUTH_URL,
  TIKTOK_SHOP_DEFAULT_AUTHORIZE_URL,
  TIKTOK_SHOP_DEFAULT_BASE_URL,
  type TiktokShopProviderOptions,
} from "./types"

function fail(message: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `TikTok Shop provider: ${message}`)
}

/** Options arrive from env variables: "" is absent. */
function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ""
}

function checkUrl(name: string, value: unknown): void {
  if (!present(value)) return
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
  if (!present(value)) return
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    fail(`option "${name}" must be ${integer ? "an integer" : "a number"} >= ${min}, got "${String(value)}"`)
  }
}

/** Checks the options once at start-up; the message names the option (never its value when it is a secret). */
export function validateTiktokShopOptions(options: Record<string, unknown>): void {
  const required: [string, string][] = [
    ["appKey", "TIKTOK_SHOP_APP_KEY"],
    ["appSecret", "TIKTOK_SHOP_APP_SECRET"],
    ["serviceId", "TIKTOK_SHOP_SERVICE_ID"],
  ]
  for (const [name, env] of required) {
    if (!present(options[name]) || (typeof options[name] !== "string" && typeof options[name] !== "number")) {
      fail(`option "${name}" is required (${env})`)
    }
  }
  checkUrl("baseUrl", options.baseUrl)
  checkUrl("authBaseUrl", options.authBaseUrl)
  checkUrl("authorizeBaseUrl", options.authorizeBaseUrl)
  checkNumber("callsPerSecond", options.callsPerSecond, 0.001, false)
  checkNumber("timeoutMs", options.timeoutMs, 1, true)
  checkNumber("maxRetries", options.maxRetries, 0, true)
  checkNumber("retryBaseMs", options.retryBaseMs, 0, true)
  checkNumber("retryMaxMs", options.retryMaxMs, 0, true)
  checkNumber("retryBudgetMs", options.retryBudgetMs, 1, true)
}

const num = (value: unknown, fallback: number) => (present(value) ? Number(value) : fallback)
const url = (value: unknown, fallback: string) => (present(value) ? String(value) : fallback).replace(/\/+$/, "")

export function resolveTiktokShopOptions(options: TiktokShopProviderOptions): ResolvedTiktokShopOptions {
  validateTiktokShopOptions(options as unknown as Record<string, unknown>)
  return {
    appKey: String(options.appKey).trim(),
    appSecret: String(options.appSecret),
    serviceId: String(options.serviceId).trim(),
    baseUrl: url(options.baseUrl, TIKTOK_SHOP_DEFAULT_BASE_URL),
    authBaseUrl: url(options.authBaseUrl, TIKTOK_SHOP_DEFAULT_AUTH_URL),
    authorizeBaseUrl: url(options.authorizeBaseUrl, TIKTOK_SHOP_DEFAULT_AUTHORIZE_URL),
    callsPerSecond: num(options.callsPerSecond, 20),
    timeoutMs: num(options.timeoutMs, 15000),
    maxRetries: num(options.maxRetries, 4),
    retryBaseMs: num(options.retryBaseMs, 500),
    retryMaxMs: num(options.retryMaxMs, 30000),
    retryBudgetMs: num(options.retryBudgetMs, 45000),
    now: options.now ?? (() => Date.now()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  }
}
