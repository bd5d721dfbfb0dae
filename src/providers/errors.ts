/**
 * The error every provider throws at its edge. Providers keep their own, finer classes inside their
 * folder and map them to one of these kinds, so the core can decide without knowing the platform:
 * - `auth`: the token is invalid or expired and a refresh did not help -> the connection needs re-authorization
 * - `signature`: our request signature was refused (a configuration problem: wrong partner key)
 * - `rate_limit`: too many requests; retry later (honour `retry_after_ms`)
 * - `not_found`: the order, item, return... does not exist on the platform
 * - `validation`: the platform refused the request's content, or answered a shape we do not understand
 * - `not_allowed`: the operation is not allowed in the object's current state (e.g. cancel after shipping)
 * - `server`: 5xx or the platform's own internal error
 * - `network`: no answer (timeout, connection refused, reset)
 */
export type MarketplaceErrorKind =
  | "auth"
  | "signature"
  | "rate_limit"
  | "not_found"
  | "validation"
  | "not_allowed"
  | "server"
  | "network"

const RETRYABLE: ReadonlySet<MarketplaceErrorKind> = new Set(["rate_limit", "server", "network"])

export class MarketplaceApiError extends Error {
  readonly kind: MarketplaceErrorKind
  /** The platform's own error code / name ("error_auth", "106001"). */
  readonly code: string | null
  /** The platform's request id, for support tickets. */
  readonly request_id: string | null
  readonly http_status: number | null
  readonly retry_after_ms: number | null

  constructor(
    kind: MarketplaceErrorKind,
    message: string,
    extra: {
      code?: string | null
      request_id?: string | null
      http_status?: number | null
      retry_after_ms?: number | null
      cause?: unknown
    } = {}
  ) {
    super(message)
    this.name = "MarketplaceApiError"
    this.kind = kind
    this.code = extra.code ?? null
    this.request_id = extra.request_id ?? null
    this.http_status = extra.http_status ?? null
    this.retry_after_ms = extra.retry_after_ms ?? null
    if (extra.cause !== undefined) {
      ;(this as { cause?: unknown }).cause = extra.cause
    }
  }

  /** Network failures, 5xx and rate limits may succeed on a later attempt; nothing else will. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind)
  }

  static is(error: unknown): error is MarketplaceApiError {
    return error instanceof MarketplaceApiError
  }
}
