import { errorKindForStatus, HttpAnswer, MarketplaceErrorKind, PlatformError, PlatformErrorExtra } from "../kit"

/**
 * Shopee's own errors. Every call answers the envelope `{ request_id, error, message, warning?, response }` with
 * `error` empty on success; the classes below carry the error name and request id and are turned into
 * `MarketplaceApiError`s at the provider's edge (the kit's `atEdge`).
 */
export type ShopeeErrorExtra = PlatformErrorExtra

export abstract class ShopeeError extends PlatformError {}

/** Invalid or expired access / refresh token, unlinked or banned shop. */
export class ShopeeAuthError extends ShopeeError {
  readonly kind = "auth" as const
}
/** error_sign, invalid_partner_id: the partner id / key pair is wrong. */
export class ShopeeSignatureError extends ShopeeError {
  readonly kind = "signature" as const
}
/** error_rate_limit, HTTP 429, and error_limit (the daily cap, not retried in-process). */
export class ShopeeRateLimitError extends ShopeeError {
  readonly kind = "rate_limit" as const
  /** True for the daily cap: waiting seconds does not help. */
  readonly daily: boolean

  constructor(message: string, extra: ShopeeErrorExtra & { daily?: boolean } = {}) {
    super(message, extra)
    this.daily = extra.daily ?? false
  }

  /** The daily cap lifts at Shopee's day boundary, not in seconds: the core reschedules instead. */
  get retry_in_process(): boolean {
    return !this.daily
  }
}
export class ShopeeNotFoundError extends ShopeeError {
  readonly kind = "not_found" as const
}
/** error_param and friends, and answers whose shape does not match the documented one. */
export class ShopeeValidationError extends ShopeeError {
  readonly kind = "validation" as const
}
/** The object's state forbids the operation (cancel after shipping, edit stock during a promotion...). */
export class ShopeeNotAllowedError extends ShopeeError {
  readonly kind = "not_allowed" as const
}
/** 5xx, error_server, error_inner, error_system_busy. */
export class ShopeeServerError extends ShopeeError {
  readonly kind = "server" as const
}
/** No answer. `never_sent` when the request certainly never left (connection refused, DNS failure). */
export class ShopeeNetworkError extends ShopeeError {
  readonly kind = "network" as const
}

const AUTH_CODES = new Set([
  "error_auth",
  "invalid_access_token",
  "invalid_acceess_token", // sic: Shopee's spelling in the common error list
  "error_token",
  "invalid_code",
  "refresh_token_expired",
  "error_shop_refresh_token",
  "error_merchant_refresh_token",
  "shop_access_expired",
  "merchant_access_expired",
  "shop_no_linked",
  "partner_shop_no_link",
  "merchant_no_linked",
  "shop_banned",
])
const SIGNATURE_CODES = new Set(["error_sign", "invalid_partner_id", "error_partner_key_expired", "partner_frozen"])
const SERVER_CODES = new Set([
  "error_server",
  "error_inner",
  "error_network",
  "error_system_busy",
  "error_other",
  "error_exception",
  "error_unknown",
])
/**
 * Refusals of one call, not of the token: the app lacks the permission for this API, or Shopee restricts this
 * API for the shop. The other calls still work, so the shop must not go to re-authorization.
 */
const NOT_ALLOWED_CODES = new Set([
  "error_status",
  "error_permission",
  "error_perm",
  "error_busi",
  "error_limit",
  "error_api_call_restricted",
])

/**
 * Shopee overloads `error_auth` for business rules of the stock / item APIs ("Total stock must be more than
 * reserved stock", "Lack of location_id", "cnsc shop not upgraded, can not edit item") and for a permission
 * missing on one API ("No permission to call this api"): those are not token problems and must not send the
 * connection to re-authorization. Only an `error_auth` about the token, the shop's link or the partner id is.
 */
const BUSINESS_AUTH_MESSAGE = /stock|location|holiday|\bitem\b|model|\bdts\b|fbs|b2c|cnsc|promotion/i
const TOKEN_AUTH_MESSAGE = /token|shop_?id|partner_?id|expired|unlink|not linked|no linked|authori[sz]ation (has )?(expired|cancel|revoked)/i
const NOT_FOUND_MESSAGE = /not[ _]?(be )?found|not[ _]exist|doesn'?t exist|does not exist/i

/** The error name without Shopee's module prefix ("logistics.error_param" -> "error_param"). */
export function baseErrorCode(code: string): string {
  const trimmed = code.trim()
  const dot = trimmed.lastIndexOf(".")
  return (dot >= 0 ? trimmed.slice(dot + 1) : trimmed).trim()
}

/**
 * `error_limit` is the daily API call cap ("...has reached the daily API call limit"), but `order.error_limit`
 * means "Can not cancel this order": only the common, call-limit one is a rate limit.
 */
export function isDailyCap(code: string, message: string): boolean {
  return baseErrorCode(code).toLowerCase() === "error_limit" && !code.includes(".") && /call|daily/i.test(message)
}

/** Maps Shopee's error name (and message, where Shopee overloads names) to a plugin error kind. */
export function classifyShopeeError(code: string, message: string, httpStatus: number | null): MarketplaceErrorKind {
  const name = baseErrorCode(code).toLowerCase()
  if (httpStatus === 429 || name === "error_rate_limit" || isDailyCap(code, message)) {
    return "rate_limit"
  }
  if (SIGNATURE_CODES.has(name)) {
    return "signature"
  }
  if (AUTH_CODES.has(name) || (/access[_ ]?token/i.test(message) && /invalid|expired/i.test(message))) {
    if (name === "error_auth" && (BUSINESS_AUTH_MESSAGE.test(message) || !TOKEN_AUTH_MESSAGE.test(message))) {
      return "not_allowed"
    }
    return "auth"
  }
  if (SERVER_CODES.has(name)) {
    return "server"
  }
  if (name.includes("not_found") || name.includes("not_exist") || NOT_FOUND_MESSAGE.test(message)) {
    return "not_found"
  }
  if (
    NOT_ALLOWED_CODES.has(name) ||
    /not_allow|already|cannot|cannt|can_not|illegal|uneditable|in_promotion|holiday/.test(name)
  ) {
    return "not_allowed"
  }
  if (httpStatus !== null && httpStatus >= 500) {
    return "server"
  }
  return "validation"
}

const CLASSES: Record<MarketplaceErrorKind, new (message: string, extra?: ShopeeErrorExtra) => ShopeeError> = {
  auth: ShopeeAuthError,
  signature: ShopeeSignatureError,
  rate_limit: ShopeeRateLimitError,
  not_found: ShopeeNotFoundError,
  validation: ShopeeValidationError,
  not_allowed: ShopeeNotAllowedError,
  server: ShopeeServerError,
  network: ShopeeNetworkError,
}

export function createShopeeError(kind: MarketplaceErrorKind, message: string, extra: ShopeeErrorExtra = {}): ShopeeError {
  if (kind === "rate_limit") {
    const daily = extra.code ? isDailyCap(extra.code, message) : false
    return new ShopeeRateLimitError(message, { ...extra, daily })
  }
  return new CLASSES[kind](message, extra)
}

const SUCCESS_ERROR_VALUES = new Set(["", "-"])

/**
 * Shopee's error mapping for the kit's HTTP client: the envelope's `error` name first (Shopee answers many errors
 * with HTTP 200, and some with 403 whose name says more than the status), then the status alone. Null on success.
 */
export function shopeeErrorOf(answer: HttpAnswer, label: string): ShopeeError | null {
  const body = answer.json()
  const envelope = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
  const code = typeof envelope.error === "string" ? envelope.error.trim() : ""
  const message = typeof envelope.message === "string" ? envelope.message : ""
  const requestId = typeof envelope.request_id === "string" ? envelope.request_id : null
  const extra: ShopeeErrorExtra = {
    code: code || null,
    request_id: requestId,
    http_status: answer.status,
    retry_after_ms: answer.retry_after_ms,
    body,
  }
  if (code && !SUCCESS_ERROR_VALUES.has(code)) {
    const kind = classifyShopeeError(code, message, answer.status)
    return createShopeeError(kind, `Shopee ${label} failed: ${code}${message ? `: ${message}` : ""}`, extra)
  }
  const kind = errorKindForStatus(answer.status)
  return kind ? createShopeeError(kind, `Shopee ${label} failed: HTTP ${answer.status}`, extra) : null
}
