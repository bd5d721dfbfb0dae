/**
 * The one queue primitive behind the webhook inbox (`marketplace_event`), the push outbox
 * (`marketplace_task`) and the fulfilment follow-ups (`marketplace_fulfillment_follow_up`): due rows are claimed with `FOR UPDATE SKIP LOCKED` in the same statement that marks
 * them `processing` (two workers never get the same row), outcomes are settled by the queue's policy
 * (done, failed with the next attempt, dead after the last one), rows a dead worker left `processing` are
 * taken over, and settled rows are deleted after the retention period.
 */

/** How the next attempt is timed: a fixed schedule, or exponential from a base up to a max with jitter. */
export type Backoff =
  | {
      /** Delay before retry n (n = 1 is the retry after the first attempt). */
      scheduleMs: number[]
      /** Past the schedule's end, repeat its last delay instead of giving up (attempts still cap it). */
      repeatLast?: boolean
    }
  | { baseMs: number; maxMs: number; /** ± share of the delay, e.g. 0.2. */ jitter: number }

export type QueuePolicy = {
  /** Attempts before a row is dead. */
  maxAttempts: number
  backoff: Backoff
  /** A row `processing` for longer than this was left by a worker that died. */
  staleAfterMs: number
  /** Rows one claim takes at most. */
  batchSize: number
  /** Settled rows are deleted after this many days. */
  retentionDays: number
}

/** A queue table and what its rows look like to the primitive. */
export type QueueTable = {
  table: string
  /** The column claims are ordered by (oldest first). */
  orderBy: string
  /** Statuses whose rows the retention deletes, and when such a row was settled. */
  settledStatuses: string[]
  settledAt: string
  /** The column stamped when a row settles as done (and as dead, with `stampDead`). */
  completedAt: string
  stampDead: boolean
}

export const QUEUE_TABLES = {
  event: {
    table: "marketplace_event",
    orderBy: "received_at",
    settledStatuses: ["done", "ignored"],
    settledAt: "received_at",
    completedAt: "processed_at",
    stampDead: false,
  },
  task: {
    table: "marketplace_task",
    orderBy: "next_attempt_at",
    settledStatuses: ["done"],
    settledAt: "coalesce(completed_at, updated_at)",
    completedAt: "completed_at",
    stampDead: true,
  },
  follow_up: {
    table: "marketplace_fulfillment_follow_up",
    orderBy: "next_attempt_at",
    settledStatuses: ["done"],
    settledAt: "coalesce(completed_at, updated_at)",
    completedAt: "completed_at",
    stampDead: true,
  },
} as const satisfies Record<string, QueueTable>

export type QueueName = keyof typeof QUEUE_TABLES

/**
 * Milliseconds before the next attempt of a row that failed its `attempts`-th attempt, or null when that
 * was its last (it is dead). A Retry-After the platform asked for wins when it is longer.
 */
export function retryDelay(
  policy: Pick<QueuePolicy, "maxAttempts" | "backoff">,
  attempts: number,
  retryAfterMs?: number | null,
  random: () => number = Math.random
): number | null {
  if (attempts >= policy.maxAttempts) {
    return null
  }
  const backoff = policy.backoff
  let delay: number
  if ("scheduleMs" in backoff) {
    const index = Math.max(0, attempts - 1)
    const scheduled = backoff.scheduleMs[index] ?? (backoff.repeatLast ? backoff.scheduleMs[backoff.scheduleMs.length - 1] : undefined)
    if (scheduled === undefined) {
      return null
    }
    delay = scheduled
  } else {
    const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1))
    delay = Math.round(exp * (1 - backoff.jitter + random() * 2 * backoff.jitter))
  }
  return Math.max(delay, retryAfterMs ?? 0)
}

/** What a worker reports for a claimed row. */
export type QueueOutcome =
  | { id: string; ok: true }
  | {
      id: string
      ok: false
      /**
       * Not tried: what it needed was busy elsewhere (another process holds the order's lock). The row goes
       * back to `pending`, due after `delayMs`, and its claim does not count as an attempt (it never nears
       * `dead`); last_error is left as it was.
       */
      requeueMs: number
    }
  | {
      id: string
      ok: false
      /** The attempt that failed (the row's `attempts` after its claim). */
      attempts: number
      error: string
      retryAfterMs?: number | null
      /** Give up now, whatever the attempts left (a final error). */
      final?: boolean
    }

export type SettledRow =
  | { id: string; status: "done" }
  | { id: string; status: "pending"; next_attempt_at: Date }
  | { id: string; status: "failed"; next_attempt_at: Date; last_error: string }
  | { id: string; status: "dead"; next_attempt_at: null; last_error: string }

/** The status each outcome settles to under the policy. */
export function settleOutcomes(policy: QueuePolicy, outcomes: QueueOutcome[], now = Date.now()): SettledRow[] {
  return outcomes.map((outcome) => {
    if (outcome.ok) {
      return { id: outcome.id, status: "done" as const }
    }
    if ("requeueMs" in outcome) {
      return { id: outcome.id, status: "pending" as const, next_attempt_at: new Date(now + outcome.requeueMs) }
    }
    const delay = outcome.final ? null : retryDelay(policy, outcome.attempts, outcome.retryAfterMs)
    return delay === null
      ? { id: outcome.id, status: "dead" as const, next_attempt_at: null, last_error: outcome.error }
      : { id: outcome.id, status: "failed" as const, next_attempt_at: new Date(now + delay), last_error: outcome.error }
  })
}
