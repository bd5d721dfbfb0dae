import { PlatformError } from "./errors"

/** How a platform call is retried. One policy for every platform; the numbers are the provider's options. */
export interface RetryPolicy {
  /** Extra attempts after the first. */
  maxRetries: number
  /** Base of the exponential backoff: attempt n waits a random time in [0, baseMs * 2^n) ("full jitter"). */
  baseMs: number
  /** Longest single wait. A platform asking for longer (Retry-After) gets the error handed to the core instead. */
  maxMs: number
  /**
   * Shortest wait after a rate limit. Without it, full jitter may send the next attempt a few milliseconds after the
   * platform said "too many", which only earns another refusal.
   */
  rateLimitFloorMs: number
  /** Longest time a caller is held by one call, attempts, waits and request timeouts together. */
  budgetMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseMs: 500,
  maxMs: 30_000,
  rateLimitFloorMs: 1_000,
  budgetMs: 45_000,
}

export interface RetryContext {
  /** 0 for the first retry. */
  attempt: number
  /** Time since the call started, ms. */
  elapsedMs: number
  /** Longest a next attempt may take (the request timeout), ms; kept inside the budget. */
  attemptTimeoutMs: number
  /** Whether sending the request twice has the effect of sending it once (reads, absolute "set" writes). */
  idempotent: boolean
  /** A number in [0, 1): the jitter source. */
  random: number
}

/**
 * The wait before the next attempt, or null when the error is final for this call. The rule:
 * - only network errors, 5xx and rate limits are retried (`PlatformError.retry_in_process`; a platform turns it off
 *   for waits that seconds cannot cure, such as a daily quota);
 * - a request that is not idempotent is retried only when it certainly never reached the platform (connection
 *   refused, DNS failure: `never_sent`). A timeout, a reset, a 5xx or even a rate-limit answer to a write leave its
 *   outcome to the platform, and no platform gives us an idempotency key: repeating it could ship, cancel or refund
 *   twice, or burn a single-use code. The caller gets the error and the next sync reconciles;
 * - exponential backoff with full jitter; at least `rateLimitFloorMs` after a rate limit; at least the platform's
 *   own `retry_after_ms` (its Retry-After header or body hint); a platform asking for more than `maxMs`, or a wait
 *   that would overrun the budget, ends the call so the core can reschedule it.
 */
export function retryDelay(error: unknown, context: RetryContext, policy: RetryPolicy): number | null {
  if (!(error instanceof PlatformError) || !error.retry_in_process || context.attempt >= policy.maxRetries) {
    return null
  }
  if (!context.idempotent && !error.never_sent) {
    return null
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** context.attempt)
  let delay = Math.floor(context.random * ceiling)
  if (error.kind === "rate_limit") {
    delay = Math.max(delay, policy.rateLimitFloorMs)
  }
  if (error.retry_after_ms !== null) {
    if (error.retry_after_ms > policy.maxMs) {
      return null
    }
    delay = Math.max(delay, error.retry_after_ms)
  }
  if (context.elapsedMs + delay + context.attemptTimeoutMs > policy.budgetMs) {
    return null
  }
  return delay
}
