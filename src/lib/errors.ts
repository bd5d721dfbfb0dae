/** Workflows reject with plain objects as often as with Errors: keep whichever message there is. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as { message: unknown }).message === "string") {
    return (e as { message: string }).message
  }
  return typeof e === "string" ? e : JSON.stringify(e)
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
