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

// Return and refund errors, as "Approve Return" / "Reject Return" list them.
export const returnNotFound = (id: string) => new TiktokApiError(404, 25007006, `Order not found: no return ${id} in this shop`)
export const decisionNotMatch = (decision: string, type: string) => new TiktokApiError(400, 25020004, `decision not match reverse type: ${decision} on a ${type} request`)
export const cannotApprove = (status: string) => new TiktokApiError(400, 25011012, `reverse status cannot approve application: the return is ${status}`)
export const cannotApproveReceive = (status: string) => new TiktokApiError(400, 25011013, `reverse status cannot approve receive: the return is ${status}`)
export const alreadyCancelled = () => new TiktokApiError(400, 25020009, "reverse already cancelled")
export const alreadyApproved = () => new TiktokApiError(400, 25020010, "Aftersales has been approved and cannot be rejected.")
export const cannotRejectReceive = (status: string) => new TiktokApiError(400, 25020012, `status can't reject receive: the return is ${status}`)
export const unknownRejectReason = () => new TiktokApiError(400, 25001014, "Unknown return reason. Please ensure you are passing a valid return reason.")
export const transferredToPlatform = () => new TiktokApiError(400, 25011010, "request has been transferred to platform operator")
