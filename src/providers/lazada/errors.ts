import { errorKindForStatus, type HttpAnswer, type MarketplaceErrorKind, PlatformError, type PlatformErrorExtra } from "../kit"

/**
 * Lazada's own errors. Every answer carries `code` ("0" on success) and `request_id`; an error adds `type`
 * (ISV, ISP, SYSTEM) and `message`. The classes are turned into `MarketplaceApiError`s at the provider's edge.
 */
export abstract class LazadaError extends PlatformError {}
export class LazadaAuthError extends LazadaError {
  readonly kind = "auth" as const
}
export class LazadaSignatureError extends LazadaError {
  readonly kind = "signature" as const
}
export class LazadaRateLimitError extends LazadaError {
  readonly kind = "rate_limit" as const
}
export class LazadaNotFoundError extends LazadaError {
  readonly kind = "not_found" as const
}
export class LazadaValidationError extends LazadaError {
  readonly kind = "validation" as const
}
export class LazadaNotAllowedError extends LazadaError {
  readonly kind = "not_allowed" as const
}
export class LazadaServerError extends LazadaError {
  readonly kind = "server" as const
}
export class LazadaNetworkError extends LazadaError {
  readonly kind = "network" as const
}

const CLASSES = {
  auth: LazadaAuthError,
  signature: LazadaSignatureError,
  rate_limit: LazadaRateLimitError,
  not_found: LazadaNotFoundError,
  validation: LazadaValidationError,
  not_allowed: LazadaNotAllowedError,
  server: LazadaServerError,
  network: LazadaNetworkError,
} satisfies Record<MarketplaceErrorKind, new (message: string, extra?: PlatformErrorExtra) => LazadaError>

export function createLazadaError(kind: MarketplaceErrorKind, message: string, extra: PlatformErrorExtra = {}): LazadaError {
  return new CLASSES[kind](message, extra)
}

/** Common error codes (API reference, "Common error codes") by kind; API-specific codes default to validation. */
const KINDS: Record<string, MarketplaceErrorKind> = {
  // The token, the refresh token or the code is refused: the authorization must be renewed.
  IllegalAccessToken: "auth",
  IllegalRefreshToken: "auth",
  InvalidCode: "auth",
  AUTH_TYPE_UNSUPPORTED: "auth",
  // The app key / secret pair or the signature is wrong.
  IncompleteSignature: "signature",
  InvalidSignature: "signature",
  InvalidAppKey: "signature",
  InvalidTimestamp: "signature",
  // Calls per second for the seller or the app (a ban of about one second).
  ApiCallLimit: "rate_limit",
  AppCallLimit: "rate_limit",
  // One API refused, the token is fine.
  InsufficientPermission: "not_allowed",
  AppWhiteIpLimit: "not_allowed",
  AccessDenied: "not_allowed",
  SellerNotVerified: "not_allowed",
  // Lazada's side failed.
  ServiceTimeout: "server",
  InternalError: "server",
  ServiceUnavailable: "server",
  // GetOrder: E016 invalid order id; GetMultipleOrderItems: E039 no orders were found.
  "16": "not_found",
  "39": "not_found",
  // The seller's cancellation (OrderCancelValidate, InitReverseOrderCancel): E0122 invalid trade order, E0124 the
  // line is another seller's; E0123 invalid trade order lines (units that can no longer be cancelled); E0106 ROC
  // internal error.
  "122": "not_found",
  "124": "not_found",
  "123": "not_allowed",
  "106": "server",
  // Reverse orders (GetReverseOrderDetail, ReverseOrderReturnUpdate, ReverseOrderOnlyRefundDecide): E0112 no reverse
  // order found, E0125 invalid reverse id, E0127 another seller's line -> not found; E0114 the reverse order does not
  // support this action (its state), E0111 / E0133 one line at a time -> not allowed.
  "112": "not_found",
  "125": "not_found",
  "127": "not_found",
  "114": "not_allowed",
  "111": "not_allowed",
  "133": "not_allowed",
}

export function classifyLazadaError(code: string, httpStatus: number | null): MarketplaceErrorKind {
  const kind = KINDS[code]
  if (kind) return kind
  if (httpStatus !== null && httpStatus >= 500) return "server"
  return "validation"
}

/**
 * The kit's error mapping: the envelope's `code` first (Lazada answers its errors with HTTP 200), the HTTP status
 * last. Null on success.
 */
export function lazadaErrorOf(answer: HttpAnswer, label: string): LazadaError | null {
  const body = answer.json()
  const envelope = (body && typeof body === "object" ? body : {}) as Record<string, unknown>
  const code = envelope.code === undefined || envelope.code === null ? "" : String(envelope.code).trim()
  const message = typeof envelope.message === "string" ? envelope.message : ""
  const extra: PlatformErrorExtra = {
    code: code || null,
    request_id: typeof envelope.request_id === "string" ? envelope.request_id : null,
    http_status: answer.status,
    retry_after_ms: answer.retry_after_ms,
    body,
  }
  if (code && code !== "0") {
    const kind = classifyLazadaError(code, answer.status)
    return createLazadaError(kind, `Lazada ${label} failed: ${code}${message ? `: ${message}` : ""}`, extra)
  }
  const kind = errorKindForStatus(answer.status)
  return kind ? createLazadaError(kind, `Lazada ${label} failed: HTTP ${answer.status}`, extra) : null
}
