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

/** Network failures, 5xx and rate limits may succeed on a later attempt; nothing else will. */
export function isRetryableKind(kind: MarketplaceErrorKind): boolean {
  return RETRYABLE.has(kind)
}

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

  get retryable(): boolean {
    return isRetryableKind(this.kind)
  }

  static is(error: unknown): error is MarketplaceApiError {
    return error instanceof MarketplaceApiError
  }
}

export interface PlatformErrorExtra {
  code?: string | null
  request_id?: string | null
  http_status?: number | null
  retry_after_ms?: number | null
  /** The parsed answer, when there was one (batch calls put per-unit failures in it). */
  body?: unknown
  /**
   * Only for `network` errors: the request certainly never left this machine (connection refused, DNS failure),
   * so repeating it cannot apply anything twice.
   */
  never_sent?: boolean
  cause?: unknown
}

/**
 * The base of a platform's own error classes (ShopeeAuthError, ...). They stay inside the provider, carry what the
 * platform said, and become `MarketplaceApiError`s at the provider's edge (`toMarketplaceError`). The kit's HTTP
 * client decides retries from these fields alone.
 */
export abstract class PlatformError extends Error {
  abstract readonly kind: MarketplaceErrorKind
  readonly code: string | null
  readonly request_id: string | null
  readonly http_status: number | null
  readonly retry_after_ms: number | null
  readonly body: unknown
  readonly never_sent: boolean

  constructor(message: string, extra: PlatformErrorExtra = {}) {
    super(message)
    this.name = new.target.name
    this.code = extra.code ?? null
    this.request_id = extra.request_id ?? null
    this.http_status = extra.http_status ?? null
    this.retry_after_ms = extra.retry_after_ms ?? null
    this.body = extra.body
    this.never_sent = extra.never_sent ?? false
    if (extra.cause !== undefined) {
      ;(this as { cause?: unknown }).cause = extra.cause
    }
  }

  /**
   * Whether waiting a little and sending again may help. A platform overrides it for errors of a retryable kind
   * that waiting seconds cannot cure (a daily call quota): those go to the core, which reschedules.
   */
  get retry_in_process(): boolean {
    return isRetryableKind(this.kind)
  }
}

/**
 * The generic reading of an HTTP status, for answers whose body names no platform error: 429 is a rate limit,
 * 401/403 an auth problem, 404 not found, other 4xx a refused request, 5xx the platform's fault. Null below 400.
 */
export function errorKindForStatus(status: number): MarketplaceErrorKind | null {
  if (status === 429) {
    return "rate_limit"
  }
  if (status >= 500) {
    return "server"
  }
  if (status === 401 || status === 403) {
    return "auth"
  }
  if (status === 404) {
    return "not_found"
  }
  return status >= 400 ? "validation" : null
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds ("2", "0.5") or an HTTP date, measured from `now`.
 * Null when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: unknown, now: number): number | null {
  const value = Array.isArray(header) ? header[0] : header
  if (typeof value !== "string" || !value.trim()) {
    return null
  }
  const text = value.trim()
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    return Math.max(0, Math.ceil(Number(text) * 1000))
  }
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** The provider's edge: platform errors become `MarketplaceApiError`s; anything else passes through. */
export function toMarketplaceError(error: unknown): unknown {
  if (!(error instanceof PlatformError)) {
    return error
  }
  return new MarketplaceApiError(error.kind, error.message, {
    code: error.code,
    request_id: error.request_id,
    http_status: error.http_status,
    retry_after_ms: error.retry_after_ms,
    cause: error,
  })
}

/** Runs a provider operation and maps platform errors at the edge. */
export async function atEdge<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw toMarketplaceError(error)
  }
}

/** The code a provider gives the validation error of an answer it could not read (schema or mapping). */
export const UNREADABLE_ANSWER_CODE = "invalid_response"

/** Whether an error is the platform's answer being unreadable, rather than the platform refusing the call. */
export function isUnreadableAnswer(error: unknown): boolean {
  return error instanceof MarketplaceApiError && error.kind === "validation" && error.code === UNREADABLE_ANSWER_CODE
}
