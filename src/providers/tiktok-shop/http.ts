import type { z } from "@medusajs/framework/zod"
import {
  type HttpAnswer,
  MemoryRateLimitStore,
  type QueryValue,
  RateLimiter,
  type RateLimitStore,
  SignedHttp,
  stringifyJson,
  UNREADABLE_ANSWER_CODE,
} from "../kit"
import type { ProviderDependencies, ShopSession } from "../types"
import { createTiktokShopError, tiktokShopErrorOf, TiktokShopValidationError } from "./errors"
import { signTiktokRequest, type SignableQuery } from "./signing"
import type { ResolvedTiktokShopOptions } from "./types"

/**
 * Who a call is made as:
 * - `token`: the token host (`/api/v2/token/*`), authenticated by app key and secret in the query, unsigned;
 * - `seller`: a signed call with the grant's access token and no shop (`/authorization/202309/shops`);
 * - `shop`: a signed call for one shop: its token, and its cipher as `shop_cipher`.
 */
export type TiktokScope =
  | { kind: "token" }
  | { kind: "seller"; access_token: string; api_base_url?: string | null }
  | { kind: "shop"; session: ShopSession }

type TiktokAuth = { path: string; scope: TiktokScope }

export interface TiktokRequest<S extends z.ZodType> {
  method: "GET" | "POST"
  path: string
  scope: TiktokScope
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** The schema of `data` (the envelope is read here). */
  schema: S
  idempotent: boolean
}

/** The shop's cipher, kept in the connection's metadata at authorization. */
export function cipherOf(session: ShopSession): string {
  const cipher = session.metadata?.cipher
  if (typeof cipher !== "string" || !cipher) {
    throw new TiktokShopValidationError(
      `TikTok Shop connection for shop ${session.shop_id} has no shop cipher: authorize the shop again`,
      { code: "missing_cipher" }
    )
  }
  return cipher
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join("")
}

/**
 * TikTok Shop on the kit's signed HTTP client: common parameters (`app_key`, `timestamp`, `shop_cipher`) and
 * `sign` in the query, the token in `x-tts-access-token`, re-signed on every attempt; the envelope
 * `{ code, message, request_id, data }` read and `data` checked against its schema.
 */
export class TiktokShopHttp {
  private readonly http: SignedHttp<TiktokAuth>

  constructor(
    private readonly options: ResolvedTiktokShopOptions,
    logger: ProviderDependencies["logger"],
    rateLimits: RateLimitStore = new MemoryRateLimitStore(options.now)
  ) {
    this.http = new SignedHttp<TiktokAuth>({
      platform: "TikTok Shop",
      sign: (request, { path, scope }, now) => {
        if (scope.kind === "token") {
          return request
        }
        const query: Record<string, QueryValue> = {
          ...request.query,
          app_key: options.appKey,
          timestamp: Math.floor(now / 1000),
          ...(scope.kind === "shop" ? { shop_cipher: cipherOf(scope.session) } : {}),
        }
        const token = scope.kind === "shop" ? scope.session.access_token : scope.access_token
        const sign = signTiktokRequest(options.appSecret, path, query as SignableQuery, request.body)
        return { ...request, query: { ...query, sign }, headers: { ...request.headers, "x-tts-access-token": token } }
      },
      mapError: tiktokShopErrorOf,
      createError: createTiktokShopError,
      limiter: new RateLimiter(rateLimits, { ratePerSecond: options.callsPerSecond }, "tiktok-shop", options.sleep),
      retry: {
        maxRetries: options.maxRetries,
        baseMs: options.retryBaseMs,
        maxMs: options.retryMaxMs,
        budgetMs: options.retryBudgetMs,
      },
      timeoutMs: options.timeoutMs,
      logger,
      now: options.now,
      sleep: options.sleep,
      random: options.random,
    })
  }

  private baseUrlFor(scope: TiktokScope): string {
    if (scope.kind === "token") return this.options.authBaseUrl
    const override = scope.kind === "shop" ? scope.session.api_base_url : scope.api_base_url
    return (override || this.options.baseUrl).replace(/\/+$/, "")
  }

  call<S extends z.ZodType>(spec: TiktokRequest<S>): Promise<z.output<S>> {
    return this.http.send({
      label: spec.path,
      request: {
        method: spec.method,
        url: `${this.baseUrlFor(spec.scope)}${spec.path}`,
        query: spec.query ?? {},
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        // No body where none is needed: the docs' samples disagree on whether an empty `{}` is signed.
        body: spec.body === undefined ? undefined : stringifyJson(spec.body),
      },
      auth: { path: spec.path, scope: spec.scope },
      limitKey: spec.scope.kind === "shop" ? `connection:${spec.scope.session.connection_id}` : "app",
      idempotent: spec.idempotent,
      read: (answer) => this.readData(spec, answer) as z.output<S>,
    })
  }

  /**
   * A file at a URL TikTok handed out (a shipping document's `doc_url`, valid 24 hours): a plain GET, unsigned,
   * through the same client (retries, timeout). An answer that is JSON is TikTok's error envelope.
   */
  download(docUrl: string, label: string): Promise<{ content: Buffer; content_type: string }> {
    const url = new URL(docUrl)
    return this.http.send({
      label,
      request: {
        method: "GET",
        url: `${url.origin}${url.pathname}`,
        query: Object.fromEntries(url.searchParams.entries()),
        headers: { Accept: "application/pdf, image/png, */*" },
      },
      auth: { path: url.pathname, scope: { kind: "token" } },
      limitKey: "documents",
      idempotent: true,
      read: (answer) => {
        if (answer.content.length === 0 || /json/i.test(answer.content_type)) {
          throw new TiktokShopValidationError(`TikTok Shop ${label} answered no file`, { http_status: answer.status })
        }
        return { content: answer.content, content_type: answer.content_type.split(";")[0].trim() || "application/pdf" }
      },
    })
  }

  private readData(spec: TiktokRequest<z.ZodType>, answer: HttpAnswer): unknown {
    const body = answer.json() as { data?: unknown; request_id?: unknown } | undefined
    const extra = { request_id: typeof body?.request_id === "string" ? body.request_id : null, http_status: answer.status, body }
    if (body === undefined || body === null || typeof body !== "object") {
      throw new TiktokShopValidationError(`TikTok Shop ${spec.path} answered something that is not JSON`, extra)
    }
    const parsed = spec.schema.safeParse(body.data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = `data${issue.path.length ? "." : ""}${formatIssuePath(issue.path)}`
      throw new TiktokShopValidationError(`TikTok Shop ${spec.path} answered an unexpected shape at ${field}: ${issue.message}`, {
        ...extra,
        code: UNREADABLE_ANSWER_CODE,
      })
    }
    return parsed.data
  }
}
