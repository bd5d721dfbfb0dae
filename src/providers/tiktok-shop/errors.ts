import { errorKindForStatus, type HttpAnswer, type MarketplaceErrorKind, PlatformError, type PlatformErrorExtra } from "../kit"

/**
 * TikTok Shop's own errors. Every call answers `{ code, message, request_id, data }` with `code` 0 on success;
 * the classes carry the code and request id and become `MarketplaceApiError`s at the provider's edge.
 */
export abstract class TiktokShopError extends PlatformError {}
/** Invalid or expired access / refresh token, a revoked authorization. */
export class TiktokShopAuthError extends TiktokShopError {
  readonly kind = "auth" as const
}
/** A bad `sign`, an unknown app key, a timestamp outside the accepted window. */
export class TiktokShopSignatureError extends TiktokShopError {
  readonly kind = "signature" as const
}
/** Over 50 requests per second per API per (app, shop): HTTP 429 or code 36009002. */
export class TiktokShopRateLimitError extends TiktokShopError {
  readonly kind = "rate_limit" as const
}
export class TiktokShopNotFoundError extends TiktokShopError {
  readonly kind = "not_found" as const
}
/** Invalid parameters, and answers whose shape does not match the documented one. */
export class TiktokShopValidationError extends TiktokShopError {
  readonly kind = "validation" as const
}
/** A missing scope, or the object's state forbids the operation. */
export class TiktokShopNotAllowedError extends TiktokShopError {
  readonly kind = "not_allowed" as const
}
/** 5xx, 503 under platform protection, internal error codes. */
export class TiktokShopServerError extends TiktokShopError {
  readonly kind = "server" as const
}
export class TiktokShopNetworkError extends TiktokShopError {
  readonly kind = "network" as const
}

const CLASSES = {
  auth: TiktokShopAuthError,
  signature: TiktokShopSignatureError,
  rate_limit: TiktokShopRateLimitError,
  not_found: TiktokShopNotFoundError,
  validation: TiktokShopValidationError,
  not_allowed: TiktokShopNotAllowedError,
  server: TiktokShopServerError,
  network: TiktokShopNetworkError,
} satisfies Record<MarketplaceErrorKind, new (message: string, extra?: PlatformErrorExtra) => TiktokShopError>

export function createTiktokShopError(kind: MarketplaceErrorKind, message: string, extra: PlatformErrorExtra = {}): TiktokShopError {
  return new CLASSES[kind](message, extra)
}

/**
 * Codes of the common error list ("Common error codes"): 105xxx are token errors (105001 invalid, 105002
 * expired), 106xxx signature / app errors (106001 bad sign), 36009002 the rate limit. A missing scope
 * (105005) only refuses one API: `not_allowed`, not a re-authorization.
 */
const CODE_KINDS: Record<string, MarketplaceErrorKind> = {
  "105001": "auth",
  "105002": "auth",
  "105003": "auth",
  "105004": "auth",
  "105005": "not_allowed",
  "105006": "auth",
  "106001": "signature",
  "106002": "signature",
  "106003": "signature",
  "106004": "signature",
  "36009002": "rate_limit",
  // Return and refund decisions ("Approve Return", "Reject Return"): the return's state forbids them.
  "25001003": "not_allowed",
  "25001044": "not_allowed",
  "25011010": "not_allowed",
  "25011012": "not_allowed",
  "25011013": "not_allowed",
  "25011032": "not_allowed",
  "25011035": "not_allowed",
  "25020004": "not_allowed",
  "25020005": "not_allowed",
  "25020009": "not_allowed",
  "25020010": "not_allowed",
  "25020011": "not_allowed",
  "25020012": "not_allowed",
  "25007006": "not_found",
  // "Cancel Order": the order's state or market refuses the cancellation.
  "25001011": "not_allowed",
  "25001021": "not_allowed",
  "25001028": "not_allowed",
  "25001045": "not_allowed",
  "25001046": "not_allowed",
  "25001051": "not_allowed",
  "25005010": "not_allowed",
  // "Ship Package" / "Get Package Shipping Document": the package's state refuses the operation.
  "21011003": "not_allowed",
  "21011040": "not_allowed",
  "21011041": "not_allowed",
  "21006021": "not_allowed",
  "21008099": "not_allowed",
  "21011020": "not_allowed",
  "21011027": "not_allowed",
  "21008044": "not_allowed",
  "21011007": "not_allowed",
  "21008025": "not_allowed",
  "21008017": "not_allowed",
  "21008043": "not_allowed",
  "21023046": "not_allowed",
  "21023059": "not_allowed",
  "21042102": "not_allowed",
  "21011028": "not_found",
  // Documents still being generated: try again later.
  "11034037": "server",
  "11034023": "server",
}

export function kindOfCode(code: string, status: number): MarketplaceErrorKind {
  if (CODE_KINDS[code]) return CODE_KINDS[code]
  if (status === 429) return "rate_limit"
  if (status >= 500) return "server"
  if (status === 404) return "not_found"
  // A refusal of this one API (scope, restriction) with the token still good.
  if (status === 403) return "not_allowed"
  return "validation"
}

/** The platform's envelope first, the HTTP status last. */
export function tiktokShopErrorOf(answer: HttpAnswer, label: string): TiktokShopError | null {
  const body = answer.json() as { code?: unknown; message?: unknown; request_id?: unknown } | undefined
  const code = body && body.code !== undefined && body.code !== null ? String(body.code) : null
  const extra: PlatformErrorExtra = {
    code,
    request_id: typeof body?.request_id === "string" ? body.request_id : null,
    http_status: answer.status,
    retry_after_ms: answer.retry_after_ms,
    body,
  }
  if (code && code !== "0") {
    const kind = kindOfCode(code, answer.status)
    return createTiktokShopError(kind, `TikTok Shop ${label} failed: ${code}: ${String(body?.message ?? "")}`, extra)
  }
  const kind = errorKindForStatus(answer.status)
  return kind ? createTiktokShopError(kind, `TikTok Shop ${label} failed: HTTP ${answer.status}`, extra) : null
}
