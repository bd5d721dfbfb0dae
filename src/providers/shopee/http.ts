import type { z } from "@medusajs/framework/zod"
import {
  HttpAnswer,
  HttpRequest,
  MemoryRateLimitStore,
  QueryValue,
  RateLimiter,
  RateLimitStore,
  SignedHttp,
  stringifyJson,
  urlOf,
} from "../kit"
import type { ProviderDependencies, ShopSession } from "../types"
import { createShopeeError, shopeeErrorOf, ShopeeValidationError } from "./errors"
import { signPublic, signShop } from "./signing"
import type { ResolvedShopeeOptions } from "./types"

export type { QueryValue }

/** Public APIs are signed with the partner key alone; shop APIs add the shop's token and id. */
export type ShopeeScope = { kind: "public" } | { kind: "shop"; session: ShopSession }

/** Shopee signs the API path (not the URL, whose host may add a prefix) with the scope's keys. */
type ShopeeAuth = { path: string; scope: ShopeeScope }

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
   * Whether sending the request twice has the effect of sending it once: reads, and writes that set an absolute
   * value. Other writes are repeated only when they certainly never left (the kit's retry rule): Shopee has no
   * idempotency key, so a cancel, a shipment or a single-use code that may have reached Shopee is not sent again;
   * the caller gets the error and the core reconciles on its next sync.
   */
  idempotent: boolean
}

export interface BinaryAnswer {
  content: Buffer
  content_type: string
}

/** "response.order_list[0].order_sn" from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
    .join("")
}

/**
 * Shopee on top of the kit's signed HTTP client: Shopee's signature (common parameters in the query, signed per
 * attempt), its error envelope and its answer schemas. The rate limit is per connection (public, partner-level
 * calls share the "partner" key), booked in the module's shared store when there is one.
 */
export class ShopeeHttp {
  private readonly http: SignedHttp<ShopeeAuth>

  constructor(
    private readonly options: ResolvedShopeeOptions,
    logger: ProviderDependencies["logger"],
    rateLimits: RateLimitStore = new MemoryRateLimitStore(options.now)
  ) {
    this.http = new SignedHttp<ShopeeAuth>({
      platform: "Shopee",
      sign: (request, { path, scope }, now) => ({
        ...request,
        query: { ...request.query, ...this.signedParams(path, scope, now) },
      }),
      mapError: shopeeErrorOf,
      createError: createShopeeError,
      limiter: new RateLimiter(rateLimits, { ratePerSecond: options.callsPerSecond }, "shopee", options.sleep),
      retry: {
        maxRetries: options.maxRetries,
        baseMs: options.retryBaseMs,
        maxMs: options.retryMaxMs,
        rateLimitFloorMs: options.rateLimitFloorMs,
        budgetMs: options.retryBudgetMs,
      },
      timeoutMs: options.timeoutMs,
      logger,
      now: options.now,
      sleep: options.sleep,
      random: options.random,
    })
  }

  baseUrlFor(scope: ShopeeScope): string {
    const override = scope.kind === "shop" ? scope.session.api_base_url : null
    return (override || this.options.baseUrl).replace(/\/+$/, "")
  }

  /** Signed common parameters for a path (also used to build the authorization link). */
  commonParams(path: string, scope: ShopeeScope): Record<string, string> {
    return this.signedParams(path, scope, this.options.now())
  }

  private signedParams(path: string, scope: ShopeeScope, now: number): Record<string, string> {
    const timestamp = Math.floor(now / 1000)
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
    const request: HttpRequest = { method: "GET", url: `${this.baseUrlFor(scope)}${path}`, query, headers: {} }
    return urlOf({ ...request, query: { ...query, ...this.commonParams(path, scope) } })
  }

  async call<S extends z.ZodType>(spec: ShopeeRequest<S>): Promise<z.output<S>> {
    const answer = await this.send(spec, (a) => this.readJson(spec, a))
    return answer as z.output<S>
  }

  /** A call whose success is a file (download_shipping_document); failures still come as the JSON envelope. */
  async callBinary(spec: ShopeeRequest<z.ZodType>): Promise<BinaryAnswer> {
    const answer = await this.send<unknown>(spec, (a) => {
      if (a.status === 200 && !/json|text\/plain/i.test(a.content_type) && a.content.length > 0) {
        return { content: a.content, content_type: a.content_type || "application/pdf" } satisfies BinaryAnswer
      }
      return this.readJson(spec, a)
    })
    const file = answer as Partial<BinaryAnswer>
    if (!Buffer.isBuffer(file.content)) {
      throw new ShopeeValidationError(`Shopee ${spec.path} answered JSON without an error where a file was expected`)
    }
    return file as BinaryAnswer
  }

  private send<T>(spec: ShopeeRequest<z.ZodType>, read: (answer: HttpAnswer) => T): Promise<T> {
    return this.http.send({
      label: spec.path,
      request: {
        method: spec.method,
        url: `${this.baseUrlFor(spec.scope)}${spec.path}`,
        query: spec.query ?? {},
        headers: { "Content-Type": "application/json", Accept: "application/json, application/pdf, */*" },
        body: spec.method === "POST" ? stringifyJson(spec.body ?? {}) : undefined,
      },
      auth: { path: spec.path, scope: spec.scope },
      limitKey: spec.scope.kind === "shop" ? `connection:${spec.scope.session.connection_id}` : "partner",
      idempotent: spec.idempotent,
      read,
    })
  }

  private readJson(spec: ShopeeRequest<z.ZodType>, answer: HttpAnswer): unknown {
    const body = answer.json()
    const extra = { request_id: null, http_status: answer.status, body }
    if (body === undefined) {
      throw new ShopeeValidationError(`Shopee ${spec.path} answered something that is not JSON`, extra)
    }
    const parsed = spec.schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = formatIssuePath(issue.path) || "(root)"
      throw new ShopeeValidationError(`Shopee ${spec.path} answered an unexpected shape at ${field}: ${issue.message}`, {
        ...extra,
        code: "invalid_response",
      })
    }
    return parsed.data
  }
}
