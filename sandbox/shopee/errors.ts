import { randomHex32 } from "../kit/ids"
import { PlatformApiError } from "../kit/errors"
import type { PlatformEnvelope, PlatformErrors } from "../kit/platform"

/**
 * Shopee error answers. The error names and messages are the ones listed in the docs
 * ("common_error_list" of every API page and each API's own error list).
 *
 * HTTP status codes: the Shopee docs publish error names, not HTTP codes. The sandbox chooses:
 *   400 - error_param and every business error (error_not_found, order.*, logistics.*, ...)
 *   403 - authentication: error_sign, error_auth, invalid_partner_id, invalid token, refresh errors
 *   404 - an /api/v2 path the sandbox does not serve (body: error_param "Permission denied ...",
 *         the documented common error for a wrong path)
 *   429 - error_rate_limit (clients back off on error_rate_limit and on HTTP 429)
 *   500 - error_server
 * Clients should key on the `error` field; the status only has to be plausible and stable.
 */
export class ShopeeApiError extends PlatformApiError {
  constructor(status: number, error: string, message: string, /** Extra top-level fields, e.g. a `response` with a batch's failure list. */ extra?: Record<string, unknown>) {
    super(status, error, message, extra)
  }

  /** Shopee's name for the error code. */
  get error(): string {
    return this.code
  }
}

export const paramError = (detail: string): ShopeeApiError =>
  new ShopeeApiError(400, "error_param", detail)

/** "Wrong parameters, detail: {msg}." is the documented template for error_param. */
export const wrongParam = (detail: string): ShopeeApiError =>
  paramError(`Wrong parameters, detail: ${detail}.`)

export const businessError = (
  error: string,
  message: string,
  extra?: Record<string, unknown>
): ShopeeApiError => new ShopeeApiError(400, error, message, extra)

export const authError = (error: string, message: string): ShopeeApiError =>
  new ShopeeApiError(403, error, message)

export const orderNotFound = (): ShopeeApiError =>
  businessError("error_not_found", "Wrong parameters, detail: the order is not found.")

export const RATE_LIMIT_MESSAGE =
  "Too many requests. You have reached the rate limit. Please try again later."

const SERVER_ERROR_MESSAGE = "System error. Please try again later."

/** Shopee's answers to failures the kit detects around a route. */
export const shopeeErrors: PlatformErrors = {
  unknownPath: () => new ShopeeApiError(404, "error_param", "Permission denied. This API is currently offline or the request path is incorrect."),
  wrongMethod: (path, methods) => paramError(`Wrong HTTP method: ${path} takes ${methods.join(" or ")}.`),
  badBody: () => paramError("The request body is not a valid json format"),
  rateLimited: () => new ShopeeApiError(429, "error_rate_limit", RATE_LIMIT_MESSAGE),
  serverError: () => new ShopeeApiError(500, "error_server", SERVER_ERROR_MESSAGE),
  // Shopee answers a missing API permission with error_auth and a restricted API with its own name; neither
  // is about the token.
  permissionDenied: () => authError("error_auth", "No permission to call this api. Please apply for the permission in the console."),
  apiRestricted: () => authError("error_api_call_restricted", "The API call is restricted for this shop."),
}

/** Every answer carries `request_id`, `error` and `message`; data sits beside them. */
export const shopeeEnvelope: PlatformEnvelope = {
  requestId: randomHex32,
  ok: (requestId, fields) => ({ request_id: requestId, error: "", message: "", ...fields }),
  error: (requestId, err) => ({ request_id: requestId, error: err.code, message: err.message, ...err.extra }),
}
