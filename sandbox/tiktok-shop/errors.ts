import { PlatformApiError } from "../kit/errors"

/**
 * TikTok Shop's error answer: `{ code, message, request_id, data }` with a numeric code. The codes the docs
 * name (MARKETPLACE-APIS.md): 106001 bad sign, 105002 expired token, 36009002 too many requests. The others are
 * the sandbox's choice where the docs give none (see sandbox/README.md).
 */
export class TiktokApiError extends PlatformApiError {
  constructor(status: number, code: number, message: string, extra?: Record<string, unknown>) {
    super(status, String(code), message, extra)
  }
}

export const badSign = () => new TiktokApiError(401, 106001, "Invalid signature, please check your sign")
export const badAppKey = () => new TiktokApiError(401, 106002, "Invalid app_key")
export const badTimestamp = () => new TiktokApiError(401, 106004, "Invalid timestamp: outside the accepted window")
export const invalidToken = () => new TiktokApiError(401, 105001, "Invalid access token")
export const expiredToken = () => new TiktokApiError(401, 105002, "Access token is expired, please refresh it")
export const invalidParams = (message: string) => new TiktokApiError(400, 36009003, `Invalid params: ${message}`)
export const tooManyRequests = () => new TiktokApiError(429, 36009002, "Too many requests: over 50 per second for this shop")
export const notFound = (message: string) => new TiktokApiError(404, 36009005, message)
