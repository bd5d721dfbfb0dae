/** The event that makes a worker flush due push tasks; emitted with a short delay so changes coalesce. */
export const TASKS_FLUSH_EVENT = "marketplace.tasks.flush"

/** Task kinds this flush sends. */
export const PUSH_STOCK = "push_stock"
export const PUSH_PRICE = "push_price"
export const PUSH_KINDS = [PUSH_STOCK, PUSH_PRICE]

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value >= 0 ? value : fallback
}

/** How the outbox behaves; read from the environment so operators (and tests) can tune it. */
export const taskSettings = () => ({
  /** Wait this long after a change before flushing, so a burst of changes becomes one call. */
  flush_delay_ms: intFromEnv("MARKETPLACE_FLUSH_DELAY_MS", 1000),
  /** First retry after this long; doubles per attempt, with jitter. */
  retry_base_ms: intFromEnv("MARKETPLACE_TASK_RETRY_BASE_MS", 2000),
  retry_max_ms: intFromEnv("MARKETPLACE_TASK_RETRY_MAX_MS", 5 * 60_000),
  /** Attempts before a task is dead. */
  max_attempts: Math.max(1, intFromEnv("MARKETPLACE_TASK_MAX_ATTEMPTS", 5)),
  /** Tasks one flush takes at most. */
  batch_size: Math.max(1, intFromEnv("MARKETPLACE_FLUSH_BATCH_SIZE", 500)),
  /** A task processing longer than this was left by a dead worker and is retried. */
  stale_after_ms: intFromEnv("MARKETPLACE_TASK_STALE_MS", 5 * 60_000),
})

/** Exponential backoff with jitter; a platform's Retry-After wins when it asks for longer. */
export function retryDelayMs(attempts: number, retryAfterMs?: number | null): number {
  const { retry_base_ms, retry_max_ms } = taskSettings()
  const exp = Math.min(retry_max_ms, retry_base_ms * 2 ** Math.max(0, attempts - 1))
  const jittered = Math.round(exp * (0.8 + Math.random() * 0.4))
  return Math.max(jittered, retryAfterMs ?? 0)
}

/** The coalescing key of a push: one pending push per (kind, connection, listing). */
export const pushKey = (kind: string, connectionId: string, listingId: string) => `${kind}:${connectionId}:${listingId}`
