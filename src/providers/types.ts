/**
 * The contract between the plugin's core and a marketplace provider.
 *
 * The core (module, workflows, routes, jobs) only ever speaks these types. Everything platform-specific
 * (signing, hosts, payload shapes, status names, batch sizes) stays inside one provider folder, which turns
 * its platform's payloads into these shapes. Money is always an exact decimal string such as "1234.50":
 * never a float.
 */

/** An exact decimal amount in the order's currency, as a string ("1234.5", "0", "-3.20"). */
export type Money = string

/**
 * One plugin-wide order status set. Each provider maps its platform's statuses into it.
 * - `unpaid`: placed, not paid yet (not imported unless the connection imports unpaid orders)
 * - `paid`: paid, waiting for the seller to arrange shipment
 * - `processed`: shipment arranged / packed, waiting for the carrier
 * - `shipped`: handed to the carrier
 * - `delivered`: delivered to the buyer, not yet completed on the marketplace
 * - `completed`: final, settlement can happen
 * - `cancel_requested`: the buyer asked to cancel, the seller may still act
 * - `cancelled`: cancelled before completion
 * - `in_return`: a return / refund is in progress
 */
export const ORDER_STATUSES = [
  "unpaid",
  "paid",
  "processed",
  "shipped",
  "delivered",
  "completed",
  "cancel_requested",
  "cancelled",
  "in_return",
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Return statuses of the plugin's vocabulary. */
export const RETURN_STATUSES = [
  "requested",
  "accepted",
  "processing",
  "disputed",
  "refunded",
  "cancelled",
  "closed",
] as const
export type ReturnStatus = (typeof RETURN_STATUSES)[number]

/** An access token pair as the platform issued it, with absolute expiry times. */
export interface TokenSet {
  access_token: string
  refresh_token: string
  /** When the access token stops working. */
  access_token_expires_at: Date
  /** When the refresh token stops working, when the platform says. */
  refresh_token_expires_at?: Date | null
}

/** What the core hands a provider for every shop-scoped call: a connected shop with a valid token. */
export interface ShopSession {
  /** The plugin's connection id, used for per-connection rate limiting. */
  connection_id: string
  /** The marketplace's id of the shop. */
  shop_id: string
  /** The shop's region as the platform names it (e.g. "SG", "MY"), when known. */
  region?: string | null
  /** A per-connection API host (sandbox or region), overriding the provider's default. */
  api_base_url?: string | null
  access_token: string
  /** Provider-specific, non-secret values stored with the connection (e.g. a shop cipher). */
  metadata?: Record<string, unknown> | null
}

/** The shop a successful authorization returns. */
export interface AuthorizedShop {
  shop_id: string
  name?: string | null
  region?: string | null
  currency_code?: string | null
  tokens: TokenSet
  metadata?: Record<string, unknown> | null
}

export interface AuthorizationUrlInput {
  /** Where the marketplace sends the merchant back to. */
  redirect_url: string
  /** The plugin's single-use state. Providers of platforms without a state parameter carry it in the redirect URL. */
  state: string
}

export interface ExchangeCodeInput {
  /** The callback's query parameters as received (code, shop_id, state, ...). */
  params: Record<string, string>
  redirect_url: string
}

export interface RefreshTokenInput {
  shop_id: string
  refresh_token: string
  metadata?: Record<string, unknown> | null
}

/** Normalized webhook / push event types. Anything else is `unsupported` and kept, never an error. */
export const EVENT_TYPES = [
  "order.status_changed",
  "order.tracking_updated",
  "return.updated",
  "shop.authorized",
  "shop.deauthorized",
  "shop.authorization_expiring",
  "unsupported",
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** What the webhook route hands a provider: the raw request as received. */
export interface WebhookRequest {
  /** The body bytes exactly as received; signatures are computed over these. */
  raw_body: Buffer
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>
  /** The full public URL the platform posted to (some platforms sign it). */
  url: string
}

export type WebhookVerification =
  | { valid: true }
  | { valid: false; reason: "missing_signature" | "bad_signature" | "stale" | "malformed" }

/** One push message normalized. */
export interface ParsedWebhookEvent {
  /** Unique per message on this platform: the platform's message id or a hash of what identifies it. */
  idempotency_key: string
  /** The shop the message is about, when it names one. */
  external_shop_id: string | null
  type: EventType
  /** The platform's own type / code, kept for display and debugging. */
  external_type: string
  supported: boolean
  occurred_at: Date
  external_order_id?: string | null
  external_return_id?: string | null
  /** The status the message claims (a hint: the order detail is the truth). */
  external_status?: string | null
  /**
   * The order's own update time as the message reports it (the time of the change, on the clock of the
   * order detail's update time), when the message gives one. A message whose time is not after the update
   * time of the order already imported carries nothing new: the order is not fetched again for it.
   */
  order_updated_at?: Date | null
  /** The message's payload as parsed JSON. */
  payload: unknown
}

export interface Address {
  name: string | null
  phone: string | null
  /** The address lines as given by the platform (possibly masked). */
  address_1: string | null
  address_2: string | null
  city: string | null
  district: string | null
  province: string | null
  postal_code: string | null
  /** ISO 3166-1 alpha-2, lower case. */
  country_code: string | null
  /** The platform's one-line full address, when it gives one. */
  full_address: string | null
}

export interface MarketplaceOrderItem {
  /** Unique within the order (platform line id, or item+model+index). */
  line_id: string
  external_item_id: string
  /** The model / SKU id; "0" or the item id for items without variations, as the provider decides. */
  external_model_id: string
  sku: string | null
  title: string
  variant_title: string | null
  quantity: number
  /** What the buyer pays per unit before order-level vouchers. */
  unit_price: Money
  /** The list price per unit, when the platform gives it. */
  original_unit_price: Money | null
  image_url?: string | null
}

export interface MarketplacePackage {
  external_id: string
  status: string | null
  carrier: string | null
  tracking_number: string | null
  /** Lines in this package; empty when the platform does not say (then: the whole order). */
  items: { line_id: string; quantity: number }[]
}

export interface MarketplaceOrder {
  external_id: string
  status: OrderStatus
  /** The platform's own status string. */
  external_status: string
  /** ISO 4217, lower case. */
  currency_code: string
  /** ISO 3166-1 alpha-2 of the shop / order, lower case, when known. */
  country_code: string | null
  created_at: Date
  /** The platform's last-update time: the anti-regression key. */
  updated_at: Date
  paid_at: Date | null
  buyer: {
    external_id: string | null
    username: string | null
    email: string | null
    phone: string | null
  }
  shipping_address: Address | null
  items: MarketplaceOrderItem[]
  shipping: {
    method_name: string | null
    carrier: string | null
    /** What the buyer paid for shipping (estimated when the platform gives nothing better). */
    amount: Money
  }
  /** Order-level discounts paid by the seller (seller vouchers etc.), as a positive amount. */
  discount_total: Money
  /** What the buyer pays in all, as the platform states it. */
  total: Money
  packages: MarketplacePackage[]
  payment_method: string | null
  note: string | null
  cancel_reason: string | null
  /** The platform's detail payload, kept for debugging. */
  raw: unknown
}

/** A lightweight reference from a list call. */
export interface OrderRef {
  external_id: string
  updated_at?: Date | null
  external_status?: string | null
}

export interface ListChangedOrdersInput {
  /** Inclusive. The core never asks for a window longer than `limits.order_list_window_seconds`. */
  updated_from: Date
  /** Exclusive or inclusive as the platform does; the core overlaps windows anyway. */
  updated_to: Date
  /** The page token returned by the previous page of the same window. */
  page_token?: string | null
  /** Ask for unpaid orders too. */
  include_unpaid?: boolean
}

export interface Page<T> {
  items: T[]
  /** Null when this was the last page. */
  next_page_token: string | null
}

export const FEE_KINDS = [
  "commission",
  "service",
  "transaction",
  "shipping_paid_by_buyer",
  "shipping_actual",
  "shipping_rebate",
  "shipping_seller_paid",
  "seller_voucher",
  "platform_voucher",
  "coins",
  "tax",
  "other",
] as const
export type FeeKind = (typeof FEE_KINDS)[number]

export interface MarketplaceEscrow {
  external_order_id: string
  currency_code: string
  /** What the buyer paid in all. */
  buyer_total: Money
  /** Each fee / contribution by kind; fees the seller pays are positive. */
  fees: Partial<Record<FeeKind, Money>>
  adjustments: { reason: string | null; amount: Money; at: Date | null }[]
  /** What the marketplace pays the seller, after adjustments. */
  net_payout: Money
  payout_at: Date | null
  raw: unknown
}

export type ShipMethod = "pickup" | "dropoff" | "non_integrated"

export interface ShipOrderInput {
  external_order_id: string
  package_id?: string | null
  method?: ShipMethod
  /** Method-specific choices (address id, pickup time id, branch id, tracking number...). */
  details?: Record<string, unknown>
}

export interface ShippingParameters {
  methods: ShipMethod[]
  /** The platform's raw choices for each method (addresses, time slots, branches). */
  raw: unknown
}

export interface ShipmentInfo {
  external_order_id: string
  package_id: string | null
  tracking_number: string | null
  carrier: string | null
  tracking_url?: string | null
}

export interface ShippingDocument {
  content: Buffer
  content_type: string
  file_name: string
}

export interface CancelOrderInput {
  external_order_id: string
  reason: "out_of_stock" | "customer_request" | "undeliverable_area" | "other"
  /** For out-of-stock: the lines that are out of stock. */
  items?: { external_item_id: string; external_model_id: string }[]
}

export interface MarketplaceReturnItem {
  external_item_id: string
  external_model_id: string
  sku: string | null
  quantity: number
  refund_amount: Money | null
}

export interface MarketplaceReturn {
  external_id: string
  external_order_id: string
  status: ReturnStatus
  external_status: string
  /** "return_refund" (goods come back) or "refund_only". */
  solution: "return_refund" | "refund_only"
  reason: string | null
  currency_code: string
  refund_amount: Money
  items: MarketplaceReturnItem[]
  created_at: Date
  updated_at: Date
  raw: unknown
}

/** One sellable unit on the marketplace (item + model, or product + SKU). */
export interface MarketplaceListing {
  external_item_id: string
  /** "0" for items without variations (Shopee's convention), or the SKU id. */
  external_model_id: string
  sku: string | null
  title: string
  variant_title: string | null
  price: Money | null
  currency_code: string | null
  stock: number | null
  status: string | null
}

export interface StockUpdate {
  external_item_id: string
  external_model_id: string
  quantity: number
  /** The platform's location / warehouse id, when the shop has several. */
  external_location_id?: string | null
}

export interface PriceUpdate {
  external_item_id: string
  external_model_id: string
  price: Money
}

/** The outcome of one unit in a batched push. */
export interface PushResult {
  external_item_id: string
  external_model_id: string
  ok: boolean
  /** A failure the next attempt may fix (network, rate limit, 5xx). */
  retryable?: boolean
  error?: string | null
}

/** Batch and window sizes the core must respect. */
export interface ProviderLimits {
  /** Longest time window one order list call may cover. */
  order_list_window_seconds: number
  order_list_page_size: number
  order_detail_batch: number
  escrow_batch: number
  /** Units per stock or price call (they must share one item on some platforms). */
  stock_batch: number
  price_batch: number
  /** Refresh the access token when it expires within this many seconds. */
  token_refresh_margin_seconds: number
}

/**
 * A marketplace provider. One instance per configured platform, shared by every connection of that
 * platform. Methods that take a `ShopSession` are shop-scoped; the core gives them a fresh token.
 * Errors are `MarketplaceApiError`s (see ./errors).
 */
export interface MarketplaceProvider {
  /** The platform id ("shopee", "tiktok", "lazada") and the path segment of its webhook route. */
  readonly id: string
  /** A human name for the admin ("Shopee"). */
  readonly display_name: string
  readonly limits: ProviderLimits

  getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }>
  /** The state the callback carries, for platforms that put it somewhere other than `state`. */
  extractState?(params: Record<string, string>): string | null
  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizedShop>
  refreshToken(input: RefreshTokenInput): Promise<TokenSet>

  verifyWebhook(request: WebhookRequest): WebhookVerification
  /** Turn a verified body into one or more events; throws `MarketplaceApiError` kind `validation` when malformed. */
  parseWebhook(request: WebhookRequest): ParsedWebhookEvent[]
  /** Pushes the platform kept because our endpoint missed them (Shopee's lost pushes). */
  listMissedEvents?(): Promise<{ events: ParsedWebhookEvent[]; ack_token: string | null }>
  ackMissedEvents?(ack_token: string): Promise<void>

  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>>
  /** At most `limits.order_detail_batch` ids. Orders the platform does not know are left out. */
  getOrders(session: ShopSession, external_ids: string[]): Promise<MarketplaceOrder[]>
  /** At most `limits.escrow_batch` ids. */
  getEscrows(session: ShopSession, external_order_ids: string[]): Promise<MarketplaceEscrow[]>

  getShippingParameters(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShippingParameters>
  shipOrder(session: ShopSession, input: ShipOrderInput): Promise<void>
  getShipment(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShipmentInfo>
  getShippingDocument(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShippingDocument | null>
  cancelOrder(session: ShopSession, input: CancelOrderInput): Promise<void>

  listReturns(session: ShopSession, input: { updated_from: Date; updated_to: Date; page_token?: string | null }): Promise<Page<MarketplaceReturn>>
  getReturn(session: ShopSession, external_return_id: string): Promise<MarketplaceReturn>
  acceptReturn(session: ShopSession, external_return_id: string): Promise<void>
  disputeReturn(session: ShopSession, external_return_id: string, input: { reason: string; text?: string }): Promise<void>

  listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>>
  pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]>
  pushPrice(session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]>

  /** A link to the order in the platform's seller centre, for the admin. */
  orderUrl?(session: Pick<ShopSession, "shop_id" | "region">, external_order_id: string): string | null
}

/**
 * A provider class. A provider package default-exports `ModuleProvider(MARKETPLACE_MODULE, { services: [Class] })`
 * as Medusa's own module providers do; the class is constructed like them: `new Provider(deps, options)`.
 */
export interface MarketplaceProviderConstructor<TOptions = Record<string, unknown>> {
  new (deps: ProviderDependencies, options: TOptions): MarketplaceProvider
  /** The platform id, as Medusa requires of every module provider ("shopee"). */
  readonly identifier: string
  /** Checks options once at start-up; throws with a clear message. */
  validateOptions?(options: Record<string, unknown>): void
  /** The platform's name for people ("Shopee"), for messages about a provider that is not registered. */
  readonly displayName?: string
  /**
   * The options without which the provider cannot work at all, with the environment variables that usually
   * fill them. When any is absent the provider is left out with a warning instead of stopping the app, so a
   * store can be installed before its marketplace account is approved; options that are present are still
   * validated.
   */
  readonly requiredOptions?: readonly RequiredProviderOption[]
}

export interface RequiredProviderOption {
  option: string
  env?: string
}

/** A provider listed in the module options but left out because required options are absent. */
export interface UnconfiguredProvider {
  id: string
  display_name: string
  missing_options: string[]
  missing_env: string[]
  message: string
}

export interface ProviderDependencies {
  logger: {
    info(msg: string): void
    warn(msg: string): void
    error(msg: string): void
    debug(msg: string): void
  }
}

/** One entry of the module option `providers`. */
export interface ProviderRegistration {
  /** A module path or package whose default export is `ModuleProvider(MARKETPLACE_MODULE, { services })`. */
  resolve: string | MarketplaceProviderConstructor
  /** The platform id; defaults to the provider's own id. */
  id?: string
  options?: Record<string, unknown>
}
