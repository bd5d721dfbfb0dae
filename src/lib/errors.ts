import { MedusaError } from "@medusajs/framework/utils"
import { MarketplaceApiError } from "../providers/errors"

/** Workflows reject with plain objects as often as with Errors: keep whichever message there is. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as { message: unknown }).message === "string") {
    return (e as { message: string }).message
  }
  return typeof e === "string" ? e : JSON.stringify(e)
}

/** The code of a MedusaError for a marketplace that failed or could not be reached: the route answers 502. */
export const MARKETPLACE_UNAVAILABLE = "marketplace_unavailable"

/**
 * A marketplace error met while serving an admin request, as a MedusaError with the platform's words: the
 * platform refusing our input (an invalid or used code, a shop it does not know) is a 400; the platform
 * failing, or not answering, or refusing our partner credentials, is marked MARKETPLACE_UNAVAILABLE so the
 * route answers 502 (the admin did nothing wrong). Anything else is returned as it is.
 */
export function marketplaceRequestError(error: unknown, action: string, hint = ""): unknown {
  if (!MarketplaceApiError.is(error)) return error
  const unavailable = error.kind === "server" || error.kind === "network" || error.kind === "rate_limit" || error.kind === "signature"
  return new MedusaError(
    unavailable ? MedusaError.Types.UNEXPECTED_STATE : MedusaError.Types.INVALID_DATA,
    `The marketplace ${unavailable ? "failed" : "refused"} to ${action}: ${error.message}${hint ? `. ${hint}` : ""}`,
    unavailable ? MARKETPLACE_UNAVAILABLE : undefined
  )
}

/** A marketplace refusal as a message the admin can show, with the platform's words after a colon. */
export function refusalMessage(action: string, externalOrderId: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error)
  return `The marketplace refused to ${action} order ${externalOrderId}: ${detail}`
}

/**
 * Whether an error is the Locking module saying a lock is held by someone else (every provider's wording:
 * in-memory, Redis, PostgreSQL): the work was not tried, so it is a reason to come back shortly, not a
 * failure.
 */
export function isLockContention(e: unknown): boolean {
  return /timed-out acquiring lock|failed to acquire lock for key|" is already locked\./i.test(errorMessage(e))
}
