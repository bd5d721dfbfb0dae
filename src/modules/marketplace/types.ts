import type { ProviderRegistration } from "../../providers/types"

export const MARKETPLACE_MODULE = "marketplace"

/** Options of the marketplace module (medusa-config.ts). */
export interface MarketplaceModuleOptions {
  /** 32 random bytes, base64: seals tokens at rest. Env: MARKETPLACE_ENCRYPTION_KEY. Required. */
  encryptionKey?: string
  /** Earlier keys (comma-separated or an array), read only to decrypt while rotating. */
  previousEncryptionKeys?: string | string[]
  /** The public URL of this Medusa server, used in webhook and OAuth callback URLs. */
  publicUrl?: string
  /** Seconds between attempts of a failed inbox event; after the last one it is `dead`. Default 1 min, 5 min, 15 min, 1 h, 3 h. */
  eventRetrySchedule?: number[]
  /** Look-back overlap of scheduled pulls, in seconds (default 600). */
  pullOverlapSeconds?: number
  /**
   * Redis shared by the app's processes (a `redis://` URL; usually the app's REDIS_URL). When set, the providers'
   * per-shop rate limits are counted in Redis, so N server and worker processes together keep to one shop's limit;
   * without it each process counts its own calls.
   */
  redisUrl?: string
  /** The marketplace providers: `[{ resolve, id, options }]`. */
  providers?: ProviderRegistration[]
  // Queues and schedules. Each defaults to its environment variable (named in docs/configuration.md), then
  // to the value given here; a value that does not parse stops the boot (see options.ts).
  /** Seconds an inbox event may stay `processing` since its worker's last heartbeat before another worker takes it over (default 120). Env: MARKETPLACE_EVENT_STALE_SECONDS. */
  eventStaleSeconds?: number
  /** Inbox events claimed per batch (default 200). */
  eventBatchSize?: number
  /** Debounce of a stock or price push, ms (default 1000). Env: MARKETPLACE_FLUSH_DELAY_MS. */
  flushDelayMs?: number
  /**
   * Wait before pushing a change to a quiet listing, ms (default 250): no push of it waiting, failed or in
   * flight, and no change to it within this time. A busy listing waits flushDelayMs. Env: MARKETPLACE_FLUSH_QUIET_MS.
   */
  flushQuietMs?: number
  /** Push tasks one flush claims at most (default 500). Env: MARKETPLACE_FLUSH_BATCH_SIZE. */
  flushBatchSize?: number
  /** Attempts of a push task before it is dead (default 5). Env: MARKETPLACE_TASK_MAX_ATTEMPTS. */
  taskMaxAttempts?: number
  /** First retry of a push task, ms; doubles per attempt with ±20% jitter (default 2000). Env: MARKETPLACE_TASK_RETRY_BASE_MS. */
  taskRetryBaseMs?: number
  /** Longest retry delay of a push task, ms (default 300000). Env: MARKETPLACE_TASK_RETRY_MAX_MS. */
  taskRetryMaxMs?: number
  /** A push task `processing` longer than this, ms, is retried (default 300000). Env: MARKETPLACE_TASK_STALE_MS. */
  taskStaleMs?: number
  /** Seconds before each follow-up attempt of a marketplace fulfilment (default 30 s ... 1 h; the last repeats). */
  followUpBackoffSeconds?: number[]
  /** Follow-up attempts before the fulfilment waits for a manual retry (default 24). */
  followUpMaxAttempts?: number
  /** Fulfilments claimed per follow-up batch (default 50). */
  followUpBatchSize?: number
  /** Time one follow-up run may take before it leaves the rest to the next run, ms (default 50000). */
  followUpBudgetMs?: number
  /** Days after completion during which escrow is fetched again (default 14). Env: MARKETPLACE_ESCROW_REFETCH_DAYS. */
  escrowRefetchDays?: number
  /** Days done and ignored inbox events are kept (default 30). Env: MARKETPLACE_EVENT_RETENTION_DAYS. */
  eventRetentionDays?: number
  /** Days done push tasks are kept (default 90). Env: MARKETPLACE_TASK_RETENTION_DAYS. */
  taskRetentionDays?: number
  /** Days a scheduled reconciliation looks back (default 7, at most 92). Env: MARKETPLACE_RECONCILIATION_DAYS. */
  reconciliationDays?: number
}

/** Per-connection stock rules: what is pushed is available stock after these. */
export interface StockRules {
  /** Keep this many units back from the marketplace. */
  buffer?: number
  /** Push only this share of the available stock, 0-100. */
  percentage?: number
  /** Never push more than this. */
  max?: number
}

/** Merchant settings of one connection (the `settings` JSON column). */
export interface ConnectionSettings {
  /** Import unpaid orders too (default false: wait until paid). */
  import_unpaid?: boolean
  /** Minutes between scheduled pulls (default 1). */
  pull_interval_minutes?: number
  stock_rules?: StockRules
  /** Push stock changes to this shop (default true). */
  sync_stock?: boolean
  /** Push price changes to this shop (default true). */
  sync_price?: boolean
  /** A price change larger than this share (0.5 = 50%) is held for confirmation. */
  price_change_guard?: number
  /** How shipments are handed over: one of the provider's ship methods that may be a connection's default. */
  ship_method?: string
  /**
   * Orders that came through one of the provider's declared order channels (`vocabulary.order_channels`, e.g.
   * "tokopedia") go to this sales channel instead of the connection's: `{ tokopedia: "sc_..." }`. Replaces the
   * stored map when given; `{}` sends every order to the connection's sales channel again.
   */
  channel_sales_channels?: Record<string, string>
}

export const DEFAULT_EVENT_RETRY_SCHEDULE = [60, 300, 900, 3600, 10800]
export const DEFAULT_PULL_OVERLAP_SECONDS = 600

/** One shop a grant covers, as stored on the authorization (`shops`): never a secret. */
export interface GrantedShop {
  shop_id: string
  name: string | null
  region: string | null
  currency_code: string | null
  /** Non-secret values the provider needs for the shop's calls (e.g. a shop cipher). */
  metadata: Record<string, unknown> | null
}

/** A granted shop and the connection it has, if any. */
export interface GrantedShopState extends GrantedShop {
  connection_id: string | null
}

/** A connection as it was before an authorization changed it, to restore on compensation. */
export interface PreviousConnection {
  id: string
  authorization_id: string | null
  name: string | null
  shop_region: string | null
  currency_code: string | null
  metadata: Record<string, unknown> | null
  status: "active" | "needs_reauth" | "disabled"
  last_error: string | null
  authorized_at: Date | null
}

/** What undoes a stored grant or a choice of shops (no token: the marketplace may have retired the old pair). */
export interface GrantUndo {
  created_authorization_id: string | null
  created_connection_ids: string[]
  previous_connections: PreviousConnection[]
}
