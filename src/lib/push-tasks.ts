/** The event that makes a worker flush due push tasks; emitted with a short delay so changes coalesce. */
export const TASKS_FLUSH_EVENT = "marketplace.tasks.flush"

/** Task kinds this flush sends. */
export const PUSH_STOCK = "push_stock"
export const PUSH_PRICE = "push_price"
export const PUSH_KINDS = [PUSH_STOCK, PUSH_PRICE]

/** A flush request that waits the configured debounce (option flushDelayMs) so a burst of changes becomes one call. */
export const DEBOUNCE = "debounce" as const

/** The coalescing key of a push: one pending push per (kind, connection, listing). */
export const pushKey = (kind: string, connectionId: string, listingId: string) => `${kind}:${connectionId}:${listingId}`
