import axios, { AxiosInstance, AxiosResponse } from "axios"
import type { z } from "@medusajs/framework/zod"
import type { ProviderDependencies, ShopSession } from "../types"
import {
  classifyShopeeError,
  createShopeeError,
  ShopeeError,
  ShopeeNetworkError,
  ShopeeRateLimitError,
  ShopeeValidationError,
} from "./errors"
import { parseJsonLossless, stringifyJson } from "./money"
import { RateLimiterRegistry } from "./rate-limiter"
import { signPublic, signShop } from "./signing"
import type { ResolvedShopeeOptions } from "./types"

export type QueryValue = string | number | boolean | null | undefined | (string | number)[]

/** Public APIs are signed with the partner key alone; shop APIs add the shop's token and id. */
export type ShopeeScope = { kind: "public" } | { kind: "shop"; session: ShopSession }

export interface ShopeeRequest<S extends z.ZodType> {
  method: "GET" | "POST"
  /** The API path including "/api/v2". */
  path: string
  scope: ShopeeScope
  query?: Record<string, QueryValue>
  /** A JSON body (POST). `JsonNumber`s are written verbatim. */
  body?: unknown
  /** The schema of the whole answer (envelope included). */
  schema: S
  /**
   * Whether the request may be repeated when its outcome is unknown (a timeout after the request left). Reads are;
   * writes are not: Shopee has no idempotency key, so a write that timed out may have happened. Repeating it could
   * ship twice or burn a single-use refresh token; the caller gets a `network` error and the core reconciles on its
   * next sync instead.
   */
  idempotent: boolean
}

export interface BinaryAnswer {
  content: Buffer
  content_type: string
}

// Errors raised before the request left this machine: repeating them is always safe.
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])
const SUCCESS_ERROR_VALUES = new Set(["", "-"])

function retryAfterMs(header: unknown, now: number): number | null {
  if (typeof header !== "string" || !header.trim()) {
    return null
  }
  const seconds = Number(header)
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000)
  }
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** "response.order_list[0].order_sn" from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join("")
}

/**
 * The one place that talks HTTP to Shopee: signs, rate-limits, retries what is safe to retry (network errors,
 * 5xx, rate limits; exponential backoff with full jitter, honouring Retry-After), and turns every failure into a
 * `ShopeeError`. Secrets (partner key, tokens, signatures) never reach the logs.
 */
export class ShopeeHttp {
  private readonly axios: AxiosInstance
  private readonly limiters: RateLimiterRegistry

  constructor(
    private readonly options: ResolvedShopeeOptions,
    private readonly logger: ProviderDependencies["logger"]
  ) {
    this.axios = axios.create({
      timeout: options.timeoutMs,
      responseType: "arraybuffer",
      validateStatus: () => true,
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    })
    this.limiters = new RateLimiterRegistry(options.callsPerSecond, options.now, options.sleep)
  }

  baseUrlFor(scope: ShopeeScope): string {
    const override = scope.kind === "shop" ? scope.session.api_base_url : null
    return (override || this.options.baseUrl).replace(/\/+$/, "")
  }

  /** Signed common parameters for a path (also used to build the authorization link). */
  commonParams(path: string, scope: ShopeeScope): Record<string, string> {
    const timestamp = Math.floor(this.options.now() / 1000)
    const { partnerId, partnerKey } = this.options
    if (scope.kind === "public") {
      return { partner_id: partnerId, timestamp: String(timestamp), sign: signPublic(partnerKey, partnerId, path, timestamp) }
    }
    const { access_token, shop_id } = scope.session
    return {
      partner_id: partnerId,
      timestamp: String(timestamp),
      access_token,
      shop_id: String(shop_id),
      sign: signShop(partnerKey, partnerId, path, timestamp, access_token, String(shop_id)),
    }
  }

  buildUrl(path: string, scope: ShopeeScope, query: Record<string, QueryValue> = {}): string {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries({ ...query, ...this.commonParams(path, scope) })) {
      if (value === undefined || value === null) {
        continue
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        params.append(key, String(item))
      }
    }
    return `${this.baseUrlFor(scope)}${path}?${params.toString()}`
  }

  async call<S extends z.ZodType>(spec: ShopeeRequest<S>): Promise<z.output<S>> {
    const answer = await this.withRetries(spec, false)
    return answer as z.output<S>
  }

  /** A call whose success is a file (download_shipping_document); failures still come as the JSON envelope. */
  async callBinary(spec: ShopeeRequest<z.ZodType>): Promise<BinaryAnswer> {
    const answer = (await this.withRetries(spec, true)) as Partial<BinaryAnswer>
    if (!Buffer.isBuffer(answer.content)) {
      throw new ShopeeValidationError(`Shopee ${spec.path} answered JSON without an error where a file was expected`)
    }
    return answer as BinaryAnswer
  }

  private async withRetries(spec: ShopeeRequest<z.ZodType>, binary: boolean): Promise<unknown> {
    const bucketKey = spec.scope.kind === "shop" ? `connection:${spec.scope.session.connection_id}` : "partner"
    for (let attempt = 0; ; attempt++) {
      await this.limiters.forKey(bucketKey).acquire()
      try {
        return await this.once(spec, binary)
      } catch (error) {
        const delay = this.retryDelay(error, spec, attempt)
        if (delay === null) {
          throw error
        }
        const shopeeError = error as ShopeeError
        this.logger.warn(
          `Shopee ${spec.path} failed (${shopeeError.kind}${shopeeError.code ? ` ${shopeeError.code}` : ""}), ` +
            `retry ${attempt + 1}/${this.options.maxRetries} in ${delay} ms`
        )
        await this.options.sleep(delay)
      }
    }
  }

  /** The wait before the next attempt, or null when the error is final. */
  private retryDelay(error: unknown, spec: ShopeeRequest<z.ZodType>, attempt: number): number | null {
    if (!(error instanceof ShopeeError) || attempt >= this.options.maxRetries) {
      return null
    }
    if (error instanceof ShopeeNetworkError && error.outcome_unknown) {
      return null
    }
    if (error instanceof ShopeeRateLimitError && error.daily) {
      return null
    }
    if (!spec.idempotent && error.kind === "server" && (error.http_status === 502 || error.http_status === 504)) {
      // A gateway error on a write: the upstream may have done it. Same rule as a timeout.
      return null
    }
    if (error.kind !== "rate_limit" && error.kind !== "server" && error.kind !== "network") {
      return null
    }
    const ceiling = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** attempt)
    const jitter = Math.floor(this.options.random() * ceiling)
    if (error.retry_after_ms !== null) {
      if (error.retry_after_ms > this.options.retryMaxMs) {
        return null // too long to wait in-process: the core reschedules with retry_after_ms
      }
      return Math.max(error.retry_after_ms, jitter)
    }
    return jitter
  }

  private async once(spec: ShopeeRequest<z.ZodType>, binary: boolean): Promise<unknown> {
    const url = this.buildUrl(spec.path, spec.scope, spec.query)
    let response: AxiosResponse<ArrayBuffer>
    try {
      response = await this.axios.request<ArrayBuffer>({
        method: spec.method,
        url,
        data: spec.method === "POST" ? stringifyJson(spec.body ?? {}) : undefined,
        headers: { "Content-Type": "application/json", Accept: "application/json, application/pdf, */*" },
      })
    } catch (error) {
      throw this.networkError(error, spec)
    }
    const status = response.status
    const content = Buffer.from(response.data ?? new ArrayBuffer(0))
    const contentType = String(response.headers["content-type"] ?? "")
    const retryAfter = retryAfterMs(response.headers["retry-after"], this.options.now())

    if (binary && status === 200 && !/json|text\/plain/i.test(contentType) && content.length > 0) {
      return { content, content_type: contentType || "application/pdf" } satisfies BinaryAnswer
    }

    let body: unknown
    try {
      body = content.length ? parseJsonLossless(content.toString("utf8")) : {}
    } catch {
      body = undefined
    }
    const envelope = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
    const code = typeof envelope.error === "string" ? envelope.error.trim() : ""
    const message = typeof envelope.message === "string" ? envelope.message : ""
    const requestId = typeof envelope.request_id === "string" ? envelope.request_id : null
    const extra = { code: code || null, request_id: requestId, http_status: status, retry_after_ms: retryAfter, body }

    if (code && !SUCCESS_ERROR_VALUES.has(code)) {
      const kind = classifyShopeeError(code, message, status)
      throw createShopeeError(kind, `Shopee ${spec.path} failed: ${code}${message ? `: ${message}` : ""}`, extra)
    }
    if (status === 429) {
      throw createShopeeError("rate_limit", `Shopee ${spec.path} failed: HTTP 429`, extra)
    }
    if (status >= 500) {
      throw createShopeeError("server", `Shopee ${spec.path} failed: HTTP ${status}`, extra)
    }
    if (status >= 400) {
      const kind = status === 401 || status === 403 ? "auth" : status === 404 ? "not_found" : "validation"
      throw createShopeeError(kind, `Shopee ${spec.path} failed: HTTP ${status}`, extra)
    }
    if (body === undefined) {
      throw new ShopeeValidationError(`Shopee ${spec.path} answered something that is not JSON`, extra)
    }
    const parsed = spec.schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = formatIssuePath(issue.path) || "(root)"
      throw new ShopeeValidationError(
        `Shopee ${spec.path} answered an unexpected shape at ${field}: ${issue.message}`,
        { ...extra, code: "invalid_response" }
      )
    }
    this.logger.debug(`Shopee ${spec.method} ${spec.path} -> ${status}${requestId ? ` (${requestId})` : ""}`)
    return parsed.data
  }

  private networkError(error: unknown, spec: ShopeeRequest<z.ZodType>): ShopeeNetworkError {
    const code = axios.isAxiosError(error) ? error.code ?? null : null
    const neverSent = code !== null && NEVER_SENT.has(code)
    const outcomeUnknown = !neverSent && !spec.idempotent
    const reason = code ?? (error instanceof Error ? error.message : "unknown error")
    return new ShopeeNetworkError(
      `Shopee ${spec.path} got no answer (${reason})` +
        (outcomeUnknown ? "; the write may have been applied, not repeated: the next sync reconciles it" : ""),
      { code, outcome_unknown: outcomeUnknown, cause: error instanceof Error ? new Error(error.message) : undefined }
    )
  }
}
