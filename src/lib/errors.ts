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
