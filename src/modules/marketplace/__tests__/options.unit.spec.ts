import { queuePolicies, resolveMarketplaceSettings } from "../options"
import { retryDelay, settleOutcomes } from "../queue"

describe("marketplace module settings", () => {
  it("uses the built-in defaults when neither an option nor an environment variable is set", () => {
    const settings = resolveMarketplaceSettings({}, {})
    expect(settings).toMatchObject({
      publicUrl: null,
      eventRetrySchedule: [60, 300, 900, 3600, 10800],
      pullOverlapSeconds: 600,
      flushDelayMs: 1000,
      flushQuietMs: 250,
      flushBatchSize: 500,
      taskMaxAttempts: 5,
      taskRetryBaseMs: 2000,
      taskRetryMaxMs: 300_000,
      taskStaleMs: 300_000,
      escrowRefetchDays: 14,
      eventRetentionDays: 30,
      taskRetentionDays: 90,
      reconciliationDays: 7,
      reconcileSchedule: "0 3 * * *",
    })
  })

  it("takes the documented environment variables as the defaults of the options", () => {
    const settings = resolveMarketplaceSettings(
      {},
      {
        MARKETPLACE_ENCRYPTION_KEY: "key-from-env",
        MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS: "a,b",
        MARKETPLACE_PUBLIC_URL: "https://shop.example.com",
        MARKETPLACE_FLUSH_DELAY_MS: "0",
        MARKETPLACE_FLUSH_QUIET_MS: "40",
        MARKETPLACE_FLUSH_BATCH_SIZE: "20",
        MARKETPLACE_TASK_MAX_ATTEMPTS: "2",
        MARKETPLACE_TASK_RETRY_BASE_MS: "50",
        MARKETPLACE_TASK_RETRY_MAX_MS: "400",
        MARKETPLACE_TASK_STALE_MS: "1000",
        MARKETPLACE_EVENT_STALE_SECONDS: "45",
        MARKETPLACE_EVENT_RETRY_SCHEDULE: "5, 10,30",
        MARKETPLACE_ESCROW_REFETCH_DAYS: "0",
        MARKETPLACE_EVENT_RETENTION_DAYS: "7",
        MARKETPLACE_TASK_RETENTION_DAYS: "45",
        MARKETPLACE_RECONCILIATION_DAYS: "200",
        MARKETPLACE_RECONCILE_SCHEDULE: "15 2 * * *",
      }
    )
    expect(settings).toMatchObject({
      encryptionKey: "key-from-env",
      previousEncryptionKeys: "a,b",
      publicUrl: "https://shop.example.com",
      flushDelayMs: 0,
      flushQuietMs: 40,
      flushBatchSize: 20,
      taskMaxAttempts: 2,
      taskRetryBaseMs: 50,
      taskRetryMaxMs: 400,
      taskStaleMs: 1000,
      eventStaleSeconds: 45,
      eventRetrySchedule: [5, 10, 30],
      escrowRefetchDays: 0,
      eventRetentionDays: 7,
      taskRetentionDays: 45,
      // A reconciliation never looks back further than 92 days.
      reconciliationDays: 92,
      reconcileSchedule: "15 2 * * *",
    })
    // An empty variable is unset.
    expect(resolveMarketplaceSettings({}, { MARKETPLACE_EVENT_RETENTION_DAYS: "" }).eventRetentionDays).toBe(30)
    // The quiet delay is whole milliseconds, 0 or more, like the flush delay.
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_FLUSH_QUIET_MS: "-1" })).toThrow(/MARKETPLACE_FLUSH_QUIET_MS.*flushQuietMs/)
    expect(() => resolveMarketplaceSettings({ flushQuietMs: 2.5 }, {})).toThrow(/flushQuietMs/)
    // A schedule that is not whole positive seconds is refused, naming the variable.
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_EVENT_RETRY_SCHEDULE: "5,soon" })).toThrow(/eventRetrySchedule/)
  })

  it("prefers an option given in medusa-config over its environment variable", () => {
    const settings = resolveMarketplaceSettings(
      { taskMaxAttempts: 9, publicUrl: "https://option.example.com" },
      { MARKETPLACE_TASK_MAX_ATTEMPTS: "2", MARKETPLACE_PUBLIC_URL: "https://env.example.com" }
    )
    expect(settings.taskMaxAttempts).toBe(9)
    expect(settings.publicUrl).toBe("https://option.example.com")
    // An option passed through from an unset variable ("") falls back to the environment default.
    expect(resolveMarketplaceSettings({ publicUrl: "" }, { MARKETPLACE_PUBLIC_URL: "https://env.example.com" }).publicUrl).toBe(
      "https://env.example.com"
    )
  })

  it("refuses a bad value at boot, naming the variable or option it came from", () => {
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_TASK_MAX_ATTEMPTS: "many" })).toThrow(
      /MARKETPLACE_TASK_MAX_ATTEMPTS \(default of option taskMaxAttempts\)/
    )
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_EVENT_RETENTION_DAYS: "0" })).toThrow(
      /MARKETPLACE_EVENT_RETENTION_DAYS/
    )
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_TASK_RETENTION_DAYS: "soon" })).toThrow(
      /MARKETPLACE_TASK_RETENTION_DAYS/
    )
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_FLUSH_BATCH_SIZE: "0" })).toThrow(/MARKETPLACE_FLUSH_BATCH_SIZE/)
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_TASK_RETRY_BASE_MS: "-5" })).toThrow(
      /MARKETPLACE_TASK_RETRY_BASE_MS/
    )
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_RECONCILE_SCHEDULE: "daily" })).toThrow(
      /MARKETPLACE_RECONCILE_SCHEDULE/
    )
    expect(() => resolveMarketplaceSettings({}, { MARKETPLACE_PUBLIC_URL: "not a url" })).toThrow(/MARKETPLACE_PUBLIC_URL/)
    expect(() => resolveMarketplaceSettings({ eventRetrySchedule: [] }, {})).toThrow(/option eventRetrySchedule/)
    expect(() => resolveMarketplaceSettings({ pullOverlapSeconds: -1 }, {})).toThrow(/option pullOverlapSeconds/)
  })
})

describe("queue policies", () => {
  it("retries the inbox on its schedule and then gives up", () => {
    const policy = queuePolicies(resolveMarketplaceSettings({ eventRetrySchedule: [60, 300] }, {})).event
    expect(retryDelay(policy, 1)).toBe(60_000)
    expect(retryDelay(policy, 2)).toBe(300_000)
    expect(retryDelay(policy, 3)).toBeNull()
  })

  it("backs the outbox off exponentially with jitter up to its max, honours Retry-After, then gives up", () => {
    const policy = queuePolicies(
      resolveMarketplaceSettings({ taskRetryBaseMs: 1000, taskRetryMaxMs: 3000, taskMaxAttempts: 4 }, {})
    ).task
    expect(retryDelay(policy, 1, null, () => 0.5)).toBe(1000)
    expect(retryDelay(policy, 2, null, () => 0.5)).toBe(2000)
    expect(retryDelay(policy, 3, null, () => 0.5)).toBe(3000)
    expect(retryDelay(policy, 1, null, () => 0)).toBe(800)
    expect(retryDelay(policy, 1, null, () => 1)).toBe(1200)
    expect(retryDelay(policy, 1, 10_000, () => 0.5)).toBe(10_000)
    expect(retryDelay(policy, 4)).toBeNull()
  })

  it("repeats the follow-ups' last delay until their attempts run out", () => {
    const policy = queuePolicies(
      resolveMarketplaceSettings({ followUpBackoffSeconds: [30, 60], followUpMaxAttempts: 5 }, {})
    ).follow_up
    expect(retryDelay(policy, 1)).toBe(30_000)
    expect(retryDelay(policy, 4)).toBe(60_000)
    expect(retryDelay(policy, 5)).toBeNull()
  })

  it("settles outcomes as done, failed with the next attempt, dead, or requeued (not an attempt)", () => {
    const policy = queuePolicies(resolveMarketplaceSettings({ eventRetrySchedule: [60] }, {})).event
    const now = Date.UTC(2026, 0, 1)
    expect(
      settleOutcomes(
        policy,
        [
          { id: "a", ok: true },
          { id: "b", ok: false, attempts: 1, error: "boom" },
          { id: "c", ok: false, attempts: 2, error: "boom" },
          { id: "d", ok: false, attempts: 1, error: "refused", final: true },
          { id: "e", ok: false, requeueMs: 300 },
        ],
        now
      )
    ).toEqual([
      { id: "a", status: "done" },
      { id: "b", status: "failed", next_attempt_at: new Date(now + 60_000), last_error: "boom" },
      { id: "c", status: "dead", next_attempt_at: null, last_error: "boom" },
      { id: "d", status: "dead", next_attempt_at: null, last_error: "refused" },
      { id: "e", status: "pending", next_attempt_at: new Date(now + 300) },
    ])
  })
})
