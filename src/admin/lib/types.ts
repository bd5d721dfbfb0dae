/** What the marketplace admin API answers (see src/api/admin/marketplace). No secret is ever part of it. */

export type ConnectionStatus = "active" | "needs_reauth" | "disabled"

export type StockRules = { buffer?: number; percentage?: number; max?: number }

export type ConnectionSettings = {
  import_unpaid?: boolean
  pull_interval_minutes?: number
  stock_rules?: StockRules
  sync_stock?: boolean
  sync_price?: boolean
  price_change_guard?: number
  /** One of the provider's ship methods that may be a connection's default (its vocabulary). */
  ship_method?: string
  /** Order channel (the provider's `order_channels`) -> sales channel id; replaced as a whole when saved. */
  channel_sales_channels?: Record<string, string>
}

export type Connection = {
  id: string
  platform: string
  external_shop_id: string
  name: string | null
  shop_region: string | null
  currency_code: string | null
  status: ConnectionStatus
  authorized_at: string | null
  /** The grant whose tokens the shop uses; its expiry times are every shop of the grant's. */
  authorization?: {
    id: string
    status: "active" | "needs_reauth"
    access_token_expires_at: string | null
    refresh_token_expires_at: string | null
  } | null
  last_pull_at: string | null
  last_error: string | null
  settings: ConnectionSettings | null
  created_at: string
  sales_channel?: { id: string; name: string } | null
  stock_location?: { id: string; name: string } | null
  /** Stock locations counted into the platform's warehouses (null warehouse: the shop); none: the stock location. */
  warehouses?: ConnectionWarehouse[] | null
  region?: { id: string; name: string; currency_code: string } | null
  orders_today?: number
  failed_events?: number
  failed_tasks?: number
  failures?: number
}

/** A word of a provider's vocabulary: the id the API takes, the label the admin shows. */
export type VocabularyEntry = { id: string; label: string; description?: string }

/** The words a platform uses (cancel reasons, ship methods...), as GET /admin/marketplace/providers declares them. */
export type ProviderVocabulary = {
  cancel_reasons: (VocabularyEntry & { names_items: boolean })[]
  default_cancel_reason: string
  ship_methods: (VocabularyEntry & { connection_default: boolean; inputs: (VocabularyEntry & { required: boolean })[] })[]
  dispute_reasons: { entries: VocabularyEntry[]; pattern: string | null; hint: string }
  return_solutions: (VocabularyEntry & { restock: boolean })[]
  fee_kinds: (VocabularyEntry & { seller_pays: boolean; group: string })[]
  single_model_id: string | null
  order_channels: VocabularyEntry[]
}

export type Provider = { id: string; display_name: string; vocabulary: ProviderVocabulary }

export type ConnectionWarehouse = { stock_location_id: string; external_warehouse_id: string | null }

/** One shop a marketplace authorization covers, with its connection once it has one. */
export type GrantedShop = {
  shop_id: string
  name: string | null
  region: string | null
  currency_code: string | null
  connection_id: string | null
}

/** One seller authorization (grant): never its tokens. */
export type Authorization = {
  id: string
  platform: string
  status: "active" | "needs_reauth"
  access_token_expires_at: string | null
  shops: GrantedShop[]
}

export type UnconfiguredProvider = {
  id: string
  display_name: string
  missing_options: string[]
  missing_env: string[]
  message: string
}

export type ProvidersResponse = {
  providers: Provider[]
  count: number
  unconfigured: UnconfiguredProvider[]
  fulfillment: { registered: boolean; provider_id: string; message: string | null }
}

export type SyncRunStatus = "pending" | "running" | "completed" | "failed" | "cancelled"

export type SyncRun = {
  id: string
  connection_id: string
  kind: string
  status: SyncRunStatus
  range_from: string | null
  range_to: string | null
  seen: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  failed: number
  progress: number
  cancel_requested: boolean
  error: string | null
  started_at: string | null
  finished_at: string | null
  created_at: string
}

export type EventStatus = "pending" | "processing" | "done" | "failed" | "dead" | "ignored"

export type MarketplaceEvent = {
  id: string
  platform: string
  connection_id: string | null
  external_shop_id: string | null
  type: string
  external_type: string | null
  external_order_id: string | null
  external_return_id: string | null
  /** The channel its order came through (e.g. "tokopedia"); null for the platform's own orders. */
  channel?: string | null
  status: EventStatus
  attempts: number
  next_attempt_at: string | null
  processed_at: string | null
  last_error: string | null
  received_at: string
  payload?: unknown
  raw_body?: string | null
}

export type TaskStatus = "pending" | "processing" | "done" | "failed" | "dead" | "held"

export type Task = {
  id: string
  kind: string
  connection_id: string
  listing_id: string | null
  status: TaskStatus
  attempts: number
  next_attempt_at: string | null
  completed_at: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}

export type HourlyBucket = {
  hour: string
  events_received: number
  events_processed: number
  events_failed: number
  orders_imported: number
}

export type StatsCounters = {
  events_received: number
  events_processed: number
  events_failed: number
  events_dead: number
  orders_imported: number
  tasks_pending: number
  tasks_failed: number
}

export type Stats = {
  since: string
  hours: number
  counters: StatsCounters
  hourly: HourlyBucket[]
}

export type Listing = {
  id: string
  connection_id: string
  external_item_id: string
  external_model_id: string
  sku: string | null
  title: string | null
  variant_title: string | null
  match_status: "matched" | "unmatched" | "ambiguous"
  match_method: "sku" | "manual" | null
  external_price: string | number | null
  external_stock: number | null
  last_pushed_stock: number | null
  last_pushed_price: string | number | null
  last_pushed_at: string | null
  connection?: { id: string; name: string | null; platform: string; status: ConnectionStatus; currency_code: string | null } | null
}

export type Escrow = {
  buyer_total: string | null
  fees: Record<string, string>
  /** Labelled as the platform's provider declares its fee kinds. */
  fee_lines: { kind: string; label: string; group: string; amount: string; seller_pays: boolean }[]
  fee_total: string | null
  adjustments: { reason: string | null; amount: string; at: string | null }[]
  net_payout: string | null
  currency_code: string
  payout_at: string | null
  synced_at: string
}

export type MarketplaceOrder = {
  id: string
  order_id: string
  platform: string
  platform_name: string
  /** The channel the order came through when the platform serves several, and its declared label. */
  channel: string | null
  channel_label: string | null
  external_order_id: string
  external_status: string
  status: string
  external_updated_at: string
  external_created_at: string | null
  currency_code: string
  total: string | null
  has_unmatched_items: boolean
  last_error: string | null
  connection: { id: string; platform: string; name: string | null; shop_region: string | null; status: ConnectionStatus }
  seller_centre_url: string | null
  unmatched_items: { id: string; title: string; sku: string | null; quantity: number }[]
  escrow: Escrow | null
}

export type Page<K extends string, T> = { [key in K]: T[] } & { count: number; offset: number; limit: number }

// ---- Screens: listings, held price changes, returns, reconciliation reports ----

/** A listing with the variant it is linked to (the listings screen). */
export type LinkedListing = Listing & { product_variant?: { id: string; sku: string | null; title: string | null } | null }

/** A push task with what the merchant needs to judge it: a held price change keeps `result.price` and `previous`. */
export type HeldTask = Task & {
  payload: Record<string, unknown> | null
  result: { price?: string; previous?: string | null; change?: number; guard?: number; held_at?: string } | null
}

export type ReturnStatus = "requested" | "accepted" | "processing" | "disputed" | "refunded" | "cancelled" | "closed"

export type MarketplaceReturn = {
  id: string
  connection_id: string
  order_link_id: string | null
  external_return_id: string
  external_order_id: string
  external_status: string
  status: ReturnStatus
  solution: string | null
  reason: string | null
  currency_code: string | null
  refund_amount: string | number | null
  refunded_amount: string | number | null
  external_updated_at: string | null
  note: string | null
  last_error: string | null
  created_at: string
  updated_at: string
  items?: { external_item_id?: string; external_model_id?: string; sku?: string | null; quantity?: number; refund_amount?: string | number | null }[] | null
  return?: {
    id: string
    status: string
    received_at?: string | null
    canceled_at?: string | null
    items?: { item_id: string; quantity: number; received_quantity: number; damaged_quantity: number }[]
  } | null
  order_link?: { order?: { id: string; display_id: number } | null } | null
}

export type ReturnActionResult = { return: MarketplaceReturn; import: { action: string; error: string | null } }

export type ReconciliationRow = {
  kind: string
  external_order_id: string
  order_link_id: string | null
  order_id: string | null
  marketplace_status: string | null
  link_status: string | null
  order_status: string | null
  marketplace_total: string | null
  link_total: string | null
  order_total: string | null
  detail: string
}

export type ReconciliationReport = {
  id: string
  connection_id: string
  trigger: "manual" | "scheduled"
  status: "running" | "completed" | "failed"
  range_from: string
  range_to: string
  summary: Record<string, number | string> | null
  fee_totals: Record<string, string> | null
  payout_by_day: Record<string, string> | null
  currency_code: string | null
  error: string | null
  completed_at: string | null
  created_at: string
  rows?: ReconciliationRow[]
}
// --- analytics (GET /admin/marketplace/analytics) ---

/** The figures of one shop, one day or one currency; amounts in the shop's currency. */
export type AnalyticsFigures = {
  orders: number
  cancellations: number
  cancellation_rate: number
  returns: number
  return_rate: number
  gross_sales: number
  refunds: number
  average_order_value: number
  fee_total: number
  net_payout: number
  settled_orders: number
}

export type AnalyticsDay = AnalyticsFigures & { date: string; fees: Record<string, number> }

export type AnalyticsChannel = {
  connection_id: string
  platform: string
  name: string | null
  external_shop_id: string
  currency_code: string | null
  totals: AnalyticsFigures
  fees: Record<string, number>
  series: AnalyticsDay[]
}

export type AnalyticsTopProduct = {
  variant_id: string | null
  product_id: string | null
  sku: string | null
  title: string
  currency_code: string
  quantity: number
  sales: number
  orders: number
}

export type Analytics = {
  from: string
  to: string
  granularity: "day"
  channels: AnalyticsChannel[]
  totals: (AnalyticsFigures & { currency_code: string; fees: Record<string, number> })[]
  top_products: AnalyticsTopProduct[]
}

// --- end analytics ---
