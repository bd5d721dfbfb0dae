import { z } from "@medusajs/framework/zod"
import { MedusaError } from "@medusajs/framework/utils"
import type { QueuePolicy } from "./queue"
import type { MarketplaceModuleOptions } from "./types"
import { DEFAULT_EVENT_RETRY_SCHEDULE, DEFAULT_PULL_OVERLAP_SECONDS } from "./types"

/**
 * The one place the plugin reads its environment. Every setting is a module option; the environment
 * variables the docs name are the defaults of those options (so existing deployments keep working), and
 * the built-in values come last. A value that does not parse is refused here, at boot, rather than
 * silently replaced.
 */

type Env = Record<string, string | undefined>

/** Each option and the environment variable that gives its default. */
const ENV_DEFAULTS = {
  encryptionKey: "MARKETPLACE_ENCRYPTION_KEY",
  previousEncryptionKeys: "MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS",
  publicUrl: "MARKETPLACE_PUBLIC_URL",
  flushDelayMs: "MARKETPLACE_FLUSH_DELAY_MS",
  flushQuietMs: "MARKETPLACE_FLUSH_QUIET_MS",
  flushBatchSize: "MARKETPLACE_FLUSH_BATCH_SIZE",
  taskMaxAttempts: "MARKETPLACE_TASK_MAX_ATTEMPTS",
  taskRetryBaseMs: "MARKETPLACE_TASK_RETRY_BASE_MS",
  taskRetryMaxMs: "MARKETPLACE_TASK_RETRY_MAX_MS",
  taskStaleMs: "MARKETPLACE_TASK_STALE_MS",
  eventStaleSeconds: "MARKETPLACE_EVENT_STALE_SECONDS",
  eventRetrySchedule: "MARKETPLACE_EVENT_RETRY_SCHEDULE",
  escrowRefetchDays: "MARKETPLACE_ESCROW_REFETCH_DAYS",
  eventRetentionDays: "MARKETPLACE_EVENT_RETENTION_DAYS",
  taskRetentionDays: "MARKETPLACE_TASK_RETENTION_DAYS",
  reconciliationDays: "MARKETPLACE_RECONCILIATION_DAYS",
  reconcileSchedule: "MARKETPLACE_RECONCILE_SCHEDULE",
} as const

const NUMERIC_LISTS = new Set<string>(["eventRetrySchedule"])

const NUMERIC = new Set<string>([
  "flushDelayMs",
  "flushQuietMs",
  "flushBatchSize",
  "taskMaxAttempts",
  "taskRetryBaseMs",
  "taskRetryMaxMs",
  "taskStaleMs",
  "eventStaleSeconds",
  "escrowRefetchDays",
  "eventRetentionDays",
  "taskRetentionDays",
  "reconciliationDays",
])

/** Seconds before each follow-up attempt of a fulfilment, by attempt (the last value repeats). */
export const DEFAULT_FOLLOW_UP_BACKOFF_SECONDS = [30, 60, 120, 300, 900, 1800, 3600]

const wholeAtLeast = (min: number) => z.number().int().min(min)
const cron = z
  .string()
  .trim()
  .refine((value) => [5, 6].includes(value.split(/\s+/).length), "a cron expression of 5 or 6 fields")

const settingsSchema = z.object({
  encryptionKey: z.string().optional(),
  previousEncryptionKeys: z.union([z.string(), z.array(z.string())]).optional(),
  publicUrl: z.string().url().nullable().default(null),
  eventRetrySchedule: z.array(z.number().int().positive()).min(1).default(DEFAULT_EVENT_RETRY_SCHEDULE),
  pullOverlapSeconds: wholeAtLeast(0).default(DEFAULT_PULL_OVERLAP_SECONDS),
  /** Seconds an inbox event may stay `processing` before another worker takes it over. */
  eventStaleSeconds: wholeAtLeast(1).default(120),
  /** Inbox events one drain claims at a time. */
  eventBatchSize: wholeAtLeast(1).default(50),
  /** Wait before the push of a listing that is busy (changed again while its push waits, or just pushed). */
  flushDelayMs: wholeAtLeast(0).default(1000),
  /** Wait before the push of a change to a quiet listing (nothing waiting or in flight, no change just before). */
  flushQuietMs: wholeAtLeast(0).default(250),
  flushBatchSize: wholeAtLeast(1).default(500),
  taskMaxAttempts: wholeAtLeast(1).default(5),
  taskRetryBaseMs: wholeAtLeast(0).default(2000),
  taskRetryMaxMs: wholeAtLeast(0).default(5 * 60_000),
  taskStaleMs: wholeAtLeast(0).default(5 * 60_000),
  /** Seconds before each follow-up attempt of a fulfilment, by attempt (the last value repeats). */
  followUpBackoffSeconds: z.array(z.number().int().positive()).min(1).default(DEFAULT_FOLLOW_UP_BACKOFF_SECONDS),
  followUpMaxAttempts: wholeAtLeast(1).default(24),
  /** Fulfilments one follow-up pass claims at a time; passes repeat until none is due or the budget ends. */
  followUpBatchSize: wholeAtLeast(1).default(50),
  /** Milliseconds one follow-up run may spend before it leaves the rest to the next run. */
  followUpBudgetMs: wholeAtLeast(1000).default(50_000),
  escrowRefetchDays: z.number().min(0).default(14),
  eventRetentionDays: z.number().positive().default(30),
  taskRetentionDays: z.number().positive().default(90),
  reconciliationDays: z
    .number()
    .positive()
    .default(7)
    .transform((days) => Math.min(days, 92)),
  reconcileSchedule: cron.default("0 3 * * *"),
})

export type MarketplaceSettings = z.infer<typeof settingsSchema>

/** Thrown when an option (or the environment variable behind it) holds a value the plugin cannot use. */
export class MarketplaceOptionsError extends MedusaError {
  constructor(message: string) {
    super(MedusaError.Types.INVALID_ARGUMENT, message)
  }
}

function fromEnv(key: keyof typeof ENV_DEFAULTS, env: Env): unknown {
  const raw = env[ENV_DEFAULTS[key]]
  if (raw === undefined || raw.trim() === "") {
    return undefined
  }
  if (NUMERIC_LISTS.has(key)) {
    // "60,300,900": seconds, comma-separated
    return raw.split(",").map((part) => Number(part.trim()))
  }
  return NUMERIC.has(key) ? Number(raw) : raw
}

/**
 * The module's settings: each option as given in medusa-config, else its environment variable, else the
 * built-in default. Refuses a bad value with the option and the variable it came from.
 */
export function resolveMarketplaceSettings(
  options: MarketplaceModuleOptions | undefined = {},
  env: Env = process.env
): MarketplaceSettings {
  const given = (options ?? {}) as Record<string, unknown>
  const input: Record<string, unknown> = {}
  const origin: Record<string, string> = {}
  for (const key of Object.keys(settingsSchema.shape)) {
    // medusa-config usually passes `process.env.X` straight through: an empty value means "not set".
    if (given[key] !== undefined && !(typeof given[key] === "string" && (given[key] as string).trim() === "")) {
      input[key] = given[key]
      origin[key] = `option ${key}`
      continue
    }
    if (key in ENV_DEFAULTS) {
      const value = fromEnv(key as keyof typeof ENV_DEFAULTS, env)
      if (value !== undefined) {
        input[key] = value
        origin[key] = `${ENV_DEFAULTS[key as keyof typeof ENV_DEFAULTS]} (default of option ${key})`
      }
    }
  }
  const parsed = settingsSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "")
      return `${origin[key] ?? `option ${key}`}: ${issue.message}`
    })
    throw new MarketplaceOptionsError(`Invalid marketplace module settings: ${problems.join("; ")}`)
  }
  return parsed.data
}

const SECOND = 1000
const DAY_SECONDS = 86_400

/**
 * Seconds added to a platform's re-delivery horizon before a webhook counts as a replay: clock skew between
 * the platform and us, and deliveries queued on the platform's side.
 */
export const REPLAY_MARGIN_SECONDS = 3600

/**
 * How old a webhook may be (by the platform's send time) and still be processed: the provider's re-delivery
 * horizon plus the margin. Null when the provider declares no horizon (no window).
 */
export function replayWindowSeconds(horizonSeconds: number | null | undefined): number | null {
  return horizonSeconds && horizonSeconds > 0 ? horizonSeconds + REPLAY_MARGIN_SECONDS : null
}

/**
 * Refuses an event retention shorter than a provider's replay window: a dedupe row deleted while the platform
 * may still re-deliver its message would let the copy be processed again.
 */
export function assertRetentionCoversReplayWindows(
  settings: Pick<MarketplaceSettings, "eventRetentionDays">,
  providers: { id: string; webhook_redelivery_horizon_seconds?: number | null }[]
): void {
  for (const provider of providers) {
    const window = replayWindowSeconds(provider.webhook_redelivery_horizon_seconds)
    if (window && settings.eventRetentionDays * DAY_SECONDS < window) {
      throw new MarketplaceOptionsError(
        `Invalid marketplace module settings: eventRetentionDays (${settings.eventRetentionDays}) keeps inbox ` +
          `rows for less than the "${provider.id}" webhooks' replay window (${window} s = the platform's ` +
          `re-delivery horizon + ${REPLAY_MARGIN_SECONDS} s): re-delivered messages would be processed twice. ` +
          `Set it to at least ${Math.ceil((window / DAY_SECONDS) * 100) / 100}.`
      )
    }
  }
}

/** The queue policies the settings describe: one per queue the module keeps. */
export function queuePolicies(settings: MarketplaceSettings): Record<"event" | "task" | "follow_up", QueuePolicy> {
  return {
    event: {
      maxAttempts: settings.eventRetrySchedule.length + 1,
      backoff: { scheduleMs: settings.eventRetrySchedule.map((s) => s * SECOND) },
      staleAfterMs: settings.eventStaleSeconds * SECOND,
      batchSize: settings.eventBatchSize,
      retentionDays: settings.eventRetentionDays,
    },
    task: {
      maxAttempts: settings.taskMaxAttempts,
      backoff: { baseMs: settings.taskRetryBaseMs, maxMs: settings.taskRetryMaxMs, jitter: 0.2 },
      staleAfterMs: settings.taskStaleMs,
      batchSize: settings.flushBatchSize,
      retentionDays: settings.taskRetentionDays,
    },
    follow_up: {
      maxAttempts: settings.followUpMaxAttempts,
      backoff: { scheduleMs: settings.followUpBackoffSeconds.map((s) => s * SECOND), repeatLast: true },
      staleAfterMs: 180 * SECOND,
      batchSize: settings.followUpBatchSize,
      retentionDays: settings.taskRetentionDays,
    },
  }
}
