import axios, { type AxiosResponse } from "axios"
import crypto from "crypto"
import { startShopeeSandbox, type ShopeeSandbox, type ShopeeSandboxOptions } from "../shopee/server"

/**
 * Test-only Shopee client. Signatures are computed here with node's crypto exactly as the docs
 * describe (HMAC-SHA256, key = partner key, message = partner_id + path + timestamp
 * [+ access_token + shop_id]) and never with the sandbox's own signing module.
 */
export const PARTNER_ID = 2001887
export const PARTNER_KEY = "test-partner-key-0123456789abcdef"

export function hmacHex(key: string, message: string): string {
  return crypto.createHmac("sha256", key).update(message).digest("hex")
}

export interface Harness {
  sandbox: ShopeeSandbox
  /** Mutable clock in ms that the sandbox reads. */
  clock: { now: number }
  nowSec(): number
  close(): Promise<void>
}

export async function startHarness(options: Partial<ShopeeSandboxOptions> = {}): Promise<Harness> {
  const clock = { now: Date.UTC(2025, 5, 1, 12, 0, 0) }
  const sandbox = await startShopeeSandbox({
    port: 0,
    partnerId: PARTNER_ID,
    partnerKey: PARTNER_KEY,
    now: () => clock.now,
    seed: 42,
    ...options,
  })
  return {
    sandbox,
    clock,
    nowSec: () => Math.floor(clock.now / 1000),
    close: () => sandbox.close(),
  }
}

export interface CallOptions {
  method?: "GET" | "POST"
  query?: Record<string, string | number | boolean | (string | number)[]>
  body?: unknown
  /** Shop API credentials; omit for public APIs. */
  auth?: { accessToken: string; shopId: number }
  timestamp?: number
  partnerId?: number
  partnerKey?: string
  sign?: string
  responseType?: "json" | "arraybuffer" | "text"
  timeoutMs?: number
}

/** Calls the sandbox like a Shopee client would; never throws on HTTP errors. */
export async function call(h: Harness, path: string, options: CallOptions = {}): Promise<AxiosResponse> {
  const timestamp = options.timestamp ?? h.nowSec()
  const partnerId = options.partnerId ?? PARTNER_ID
  const base = options.auth
    ? `${partnerId}${path}${timestamp}${options.auth.accessToken}${options.auth.shopId}`
    : `${partnerId}${path}${timestamp}`
  const params = new URLSearchParams()
  params.set("partner_id", String(partnerId))
  params.set("timestamp", String(timestamp))
  if (options.auth) {
    params.set("access_token", options.auth.accessToken)
    params.set("shop_id", String(options.auth.shopId))
  }
  params.set("sign", options.sign ?? hmacHex(options.partnerKey ?? PARTNER_KEY, base))
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)))
    else params.set(key, String(value))
  }
  return axios.request({
    url: `${h.sandbox.url}${path}?${params.toString()}`,
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    data: options.body,
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: options.responseType ?? "json",
    timeout: options.timeoutMs ?? 10000,
  })
}

/** A shop with the demo catalogue and a valid token pair, ready for shop API calls. */
export async function shopWithToken(h: Harness, shopId = 700001): Promise<{ shopId: number; auth: { accessToken: string; shopId: number }; refreshToken: string }> {
  h.sandbox.createShop({ shop_id: shopId, shop_name: "Test Shop", region: "SG" })
  h.sandbox.seedDemoCatalogue(shopId)
  const pair = h.sandbox.issueTokens(shopId)
  return { shopId, auth: { accessToken: pair.access_token, shopId }, refreshToken: pair.refresh_token }
}

export async function control(h: Harness, method: string, path: string, body?: unknown): Promise<AxiosResponse> {
  return axios.request({ url: `${h.sandbox.url}${path}`, method, data: body, validateStatus: () => true, maxRedirects: 0 })
}
