import type { z } from "@medusajs/framework/zod"
import { type HttpAnswer, MemoryRateLimitStore, type QueryValue, RateLimiter, type RateLimitStore, SignedHttp } from "../kit"
import type { ProviderDependencies, ShopSession } from "../types"
import { createLazadaError, lazadaErrorOf, LazadaValidationError } from "./errors"
import { signLazada, type LazadaParams } from "./signing"
import type { ResolvedLazadaOptions } from "./types"

/** App-level calls (the token APIs) go to the auth host; shop calls to their country's API host. */
export type LazadaScope = { kind: "app" } | { kind: "shop"; session: ShopSession; baseUrl: string }

interface LazadaAuth {
  apiPath: string
  scope: LazadaScope
}

export interface LazadaRequest<S extends z.ZodType> {
  method: "GET" | "POST"
  /** The API path as the docs name it ("/orders/get"), without the host's `/rest`. */
  apiPath: string
  scope: LazadaScope
  /** Business parameters; sent in the query string and signed with the system parameters. */
  params?: Record<string, string | number | undefined>
  /** The schema of the whole answer (envelope included). */
  schema: S
  idempotent: boolean
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").replace(/^\./, "")
}

/**
 * Lazada on top of the kit's signed HTTP client. Every parameter, system and business, travels in the query string
 * (the docs accept them there for GET and POST alike), so the signature covers exactly what is sent; a call is
 * signed again on every attempt with a fresh millisecond timestamp. Rate limits are per connection.
 */
export class LazadaHttp {
  private readonly http: SignedHttp<LazadaAuth>

  constructor(
    private readonly options: ResolvedLazadaOptions,
    logger: ProviderDependencies["logger"],
    rateLimits: RateLimitStore = new MemoryRateLimitStore(options.now)
  ) {
    this.http = new SignedHttp<LazadaAuth>({
      platform: "Lazada",
      sign: (request, { apiPath, scope }, now) => {
        const params: LazadaParams = {
          ...(request.query as LazadaParams),
          app_key: options.appKey,
          timestamp: String(now),
          sign_method: "sha256",
          ...(scope.kind === "shop" ? { access_token: scope.session.access_token } : {}),
        }
        const clean: Record<string, QueryValue> = {}
        for (const [key, value] of Object.entries(params)) {
          if (value !== undefined && value !== null && String(value) !== "") clean[key] = String(value)
        }
        return { ...request, query: { ...clean, sign: signLazada(options.appSecret, apiPath, params, request.body) } }
      },
      mapError: lazadaErrorOf,
      createError: createLazadaError,
      limiter: new RateLimiter(rateLimits, { ratePerSecond: options.callsPerSecond }, "lazada", options.sleep),
      retry: { maxRetries: options.maxRetries, budgetMs: options.retryBudgetMs },
      timeoutMs: options.timeoutMs,
      logger,
      now: options.now,
      sleep: options.sleep,
    })
  }

  private baseUrlOf(scope: LazadaScope): string {
    return scope.kind === "shop" ? scope.baseUrl : `${this.options.authUrl}/rest`
  }

  async call<S extends z.ZodType>(spec: LazadaRequest<S>): Promise<z.output<S>> {
    const query: Record<string, QueryValue> = {}
    for (const [key, value] of Object.entries(spec.params ?? {})) {
      if (value !== undefined) query[key] = value
    }
    return this.http.send({
      label: spec.apiPath,
      request: { method: spec.method, url: `${this.baseUrlOf(spec.scope)}${spec.apiPath}`, query, headers: { Accept: "application/json" } },
      auth: { apiPath: spec.apiPath, scope: spec.scope },
      limitKey: spec.scope.kind === "shop" ? `connection:${spec.scope.session.connection_id}` : "app",
      idempotent: spec.idempotent,
      read: (answer) => this.readJson(spec, answer),
    }) as Promise<z.output<S>>
  }

  private readJson(spec: LazadaRequest<z.ZodType>, answer: HttpAnswer): unknown {
    const body = answer.json()
    const extra = { request_id: null, http_status: answer.status, body }
    if (body === undefined) {
      throw new LazadaValidationError(`Lazada ${spec.apiPath} answered something that is not JSON`, extra)
    }
    const parsed = spec.schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new LazadaValidationError(
        `Lazada ${spec.apiPath} answered an unexpected shape at ${issuePath(issue.path) || "(root)"}: ${issue.message}`,
        { ...extra, code: "invalid_response" }
      )
    }
    return parsed.data
  }
}
