import axios, { AxiosInstance, AxiosResponse } from "axios"
import { parseRetryAfter, PlatformError, PlatformErrorExtra, MarketplaceErrorKind } from "./errors"
import { parseJsonLossless } from "./json"
import { RateLimiter } from "./rate-limiter"
import { DEFAULT_RETRY_POLICY, retryDelay, RetryPolicy } from "./retry"

export type QueryValue = string | number | boolean | null | undefined | (string | number)[]

/** A request before (and after) the platform signs it. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  /** Absolute URL without the query string. */
  url: string
  query: Record<string, QueryValue>
  headers: Record<string, string>
  /** The body exactly as sent (signatures cover these bytes). */
  body?: string
}

/** What came back, before the platform reads it. */
export interface HttpAnswer {
  status: number
  headers: Record<string, string>
  content: Buffer
  content_type: string
  /** The Retry-After header in ms, when there was one. */
  retry_after_ms: number | null
  /** The body as JSON (big integers kept exact), or undefined when it is not JSON. Parsed once. */
  json(): unknown
}

export interface PlatformCall<TAuth, T> {
  /** Names the call in messages and logs ("/api/v2/order/get_order_list"); never a secret. */
  label: string
  request: Omit<HttpRequest, "query" | "headers"> & Partial<Pick<HttpRequest, "query" | "headers">>
  /** Whatever the platform's signer needs: an app key pair, a shop's token. */
  auth: TAuth
  /** The rate limiter's key: the connection for shop calls, the app for app-level calls. */
  limitKey: string
  /** Whether sending twice has the effect of sending once; see `retryDelay` for what that changes. */
  idempotent: boolean
  /** Reads a successful answer (the platform's error mapping has passed it); throws the platform's error if not. */
  read(answer: HttpAnswer): T
}

/** What a platform plugs into the client: its signature, its errors and its limits. */
export interface SignedHttpConfig<TAuth> {
  /** The platform's name for messages ("Shopee"). */
  platform: string
  /** Signs one attempt; called again before every retry, so timestamps in signatures stay fresh. */
  sign(request: HttpRequest, auth: TAuth, now: number): HttpRequest
  /**
   * The platform's error for an answer, or null when the answer is a success. Gets the answer with its JSON and
   * Retry-After at hand; a platform whose error body carries its own retry hint puts it in `retry_after_ms`.
   */
  mapError(answer: HttpAnswer, label: string): PlatformError | null
  /** Builds the platform's error class of a kind (network errors, a rate limit booked out locally). */
  createError(kind: MarketplaceErrorKind, message: string, extra: PlatformErrorExtra): PlatformError
  limiter: RateLimiter
  retry?: Partial<RetryPolicy>
  /** Timeout of one attempt, ms. */
  timeoutMs: number
  logger: { warn(msg: string): void; debug(msg: string): void }
  /** Test hooks: the clock, the sleep used for waits and the jitter source. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

// Errors raised before the request left this machine: repeating them cannot apply anything twice.
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

/** Query string with repeated keys for arrays; null and undefined left out. */
export function encodeQuery(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) {
      continue
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item))
    }
  }
  return params.toString()
}

export function urlOf(request: HttpRequest): string {
  const query = encodeQuery(request.query)
  return query ? `${request.url}?${query}` : request.url
}

/**
 * The one HTTP client of every provider: books a slot with the shop's rate limiter, lets the platform sign, sends
 * with axios, lets the platform map errors, and retries by the one policy (`retryDelay`) within a time budget.
 * A rate-limit answer also holds the shop's other callers back (every process, when the limiter is shared) for the
 * time the platform asked. Secrets stay out of messages: only the call's label and the platform's error appear.
 */
export class SignedHttp<TAuth> {
  private readonly axios: AxiosInstance
  private readonly policy: RetryPolicy
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number

  constructor(private readonly config: SignedHttpConfig<TAuth>) {
    this.axios = axios.create({
      responseType: "arraybuffer",
      validateStatus: () => true,
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    })
    this.policy = { ...DEFAULT_RETRY_POLICY, ...config.retry }
    this.now = config.now ?? (() => Date.now())
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.random = config.random ?? Math.random
  }

  async send<T>(call: PlatformCall<TAuth, T>): Promise<T> {
    const started = this.now()
    for (let attempt = 0; ; attempt++) {
      try {
        await this.book(call, started)
        return await this.once(call)
      } catch (error) {
        const delay = retryDelay(
          error,
          {
            attempt,
            elapsedMs: this.now() - started,
            attemptTimeoutMs: this.config.timeoutMs,
            idempotent: call.idempotent,
            random: this.random(),
          },
          this.policy
        )
        // The platform said "too many" for this shop: every caller of the shop (every process, with a shared store)
        // waits as long as this one will, and the burst allowance is spent.
        if (error instanceof PlatformError && error.kind === "rate_limit" && error.http_status !== null) {
          await this.config.limiter.block(call.limitKey, Math.max(delay ?? 0, error.retry_after_ms ?? 0))
        }
        if (delay === null) {
          throw error
        }
        const failed = error as PlatformError
        this.config.logger.warn(
          `${this.config.platform} ${call.label} failed (${failed.kind}${failed.code ? ` ${failed.code}` : ""}), ` +
            `retry ${attempt + 1}/${this.policy.maxRetries} in ${delay} ms`
        )
        await this.sleep(delay)
      }
    }
  }

  /** Waits for the shop's next slot, but never past the call's budget. */
  private async book(call: PlatformCall<TAuth, unknown>, started: number): Promise<void> {
    const left = this.policy.budgetMs - (this.now() - started) - this.config.timeoutMs
    const reservation = await this.config.limiter.acquire(call.limitKey, Math.max(0, left))
    if (!reservation.granted) {
      throw this.config.createError(
        "rate_limit",
        `${this.config.platform} ${call.label} not sent: the shop's call rate is booked for the next ${reservation.wait_ms} ms`,
        { retry_after_ms: reservation.wait_ms, never_sent: true }
      )
    }
  }

  private async once<T>(call: PlatformCall<TAuth, T>): Promise<T> {
    const unsigned: HttpRequest = { query: {}, headers: {}, ...call.request }
    const signed = this.config.sign(unsigned, call.auth, this.now())
    let response: AxiosResponse<ArrayBuffer>
    try {
      response = await this.axios.request<ArrayBuffer>({
        method: signed.method,
        url: urlOf(signed),
        data: signed.body,
        headers: signed.headers,
        timeout: this.config.timeoutMs,
      })
    } catch (error) {
      throw this.networkError(error, call)
    }
    const answer = this.answerOf(response)
    const failure = this.config.mapError(answer, call.label)
    if (failure) {
      throw failure
    }
    const result = call.read(answer)
    this.config.logger.debug(`${this.config.platform} ${signed.method} ${call.label} -> ${answer.status}`)
    return result
  }

  private answerOf(response: AxiosResponse<ArrayBuffer>): HttpAnswer {
    const headers: Record<string, string> = {}
    for (const [key, value] of Object.entries(response.headers ?? {})) {
      if (value !== undefined && value !== null) {
        headers[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value)
      }
    }
    const content = Buffer.from(response.data ?? new ArrayBuffer(0))
    let parsed: { value: unknown } | null = null
    return {
      status: response.status,
      headers,
      content,
      content_type: headers["content-type"] ?? "",
      retry_after_ms: parseRetryAfter(headers["retry-after"], this.now()),
      json: () => {
        if (!parsed) {
          try {
            parsed = { value: content.length ? parseJsonLossless(content.toString("utf8")) : {} }
          } catch {
            parsed = { value: undefined }
          }
        }
        return parsed.value
      },
    }
  }

  private networkError(error: unknown, call: PlatformCall<TAuth, unknown>): PlatformError {
    const code = axios.isAxiosError(error) ? error.code ?? null : null
    const neverSent = code !== null && NEVER_SENT.has(code)
    const outcomeUnknown = !neverSent && !call.idempotent
    const reason = code ?? (error instanceof Error ? error.message : "unknown error")
    return this.config.createError(
      "network",
      `${this.config.platform} ${call.label} got no answer (${reason})` +
        (outcomeUnknown ? "; the write may have been applied, not repeated: the next sync reconciles it" : ""),
      { code, never_sent: neverSent, cause: error instanceof Error ? new Error(error.message) : undefined }
    )
  }
}
