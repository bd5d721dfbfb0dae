import type { OrderStatus, ReturnStatus } from "../../src/providers/types"

/**
 * What the HTTP specs need of a marketplace sandbox, in the plugin's own vocabulary: ids are strings (the
 * plugin stores every external id as text), statuses are the plugin's, operations are named by what they do.
 * A driver turns these into its platform's sandbox calls, so one spec runs unchanged for every platform.
 */

/** A shop in the sandbox. */
export interface DriverShop {
  id: string
  name: string
  /**
   * Non-secret per-shop values the platform's grant gives (a TikTok Shop cipher), stored on the connection's
   * metadata as the OAuth flow would; absent where the platform has none.
   */
  metadata?: Record<string, unknown>
}

/** A token pair the sandbox issued for a shop, as the app's OAuth callback would receive it. */
export interface DriverTokens {
  access_token: string
  refresh_token: string
  expires_in_seconds: number
}

/** One sellable unit of a listing (a variation, or the listing itself when it has none). */
export interface DriverListingVariantInput {
  sku: string
  name?: string
  price: number
  stock: number
}

/** A listing to create: either a single unit (`sku`, `price`, `stock`) or several `variants`. */
export interface DriverListingInput {
  name: string
  sku?: string
  price?: number
  stock?: number
  /** The option the variants differ by (e.g. "Size"). */
  option?: string
  variants?: DriverListingVariantInput[]
}

export interface DriverListingVariant {
  /** The platform's id of the unit, as the plugin stores it (`external_model_id`). */
  id: string
  /** The SKU exactly as written in the shop (case and spaces kept). */
  sku: string
  stock: number
  price: number
}

export interface DriverListing {
  /** `external_item_id` in the plugin. */
  id: string
  name: string
  variants: DriverListingVariant[]
}

/** A request to create orders. */
export interface DriverOrderInput {
  count?: number
  /** The plugin status the order starts in (`paid` by default for prepaid orders). */
  status?: OrderStatus
  /** Lines by SKU as written in the shop; without them the sandbox picks in-stock SKUs. */
  items?: { sku: string; quantity: number }[]
  /** The same buyer id and name on several orders make a returning buyer. */
  buyer?: { id: string; name: string }
  /**
   * Paid online (true) rather than possibly cash on delivery: a cash-on-delivery order skips `unpaid` on some
   * platforms, so a spec that depends on the starting status asks for a prepaid one.
   */
  prepaid?: boolean
  /**
   * The sales channel the order comes through, for a platform that serves several (the provider's
   * `vocabulary.order_channels`, e.g. "tokopedia" on TikTok Shop); null: the platform's own. Left out, the shop's
   * usual one. Only drivers listed in `orderChannels` take it.
   */
  channel?: string | null
}

/** An opaque reference to one order line, for returns and for reading what a cancellation named. */
export interface DriverLineRef {
  listing_id: string
  variant_id: string
}

export interface DriverOrderLine extends DriverLineRef {
  sku: string
  quantity: number
}

/** An order as the sandbox holds it, in the plugin's vocabulary. */
export interface DriverOrder {
  id: string
  shop_id: string
  status: OrderStatus
  /** The platform's own status name, as the plugin stores it in `external_status`. */
  external_status: string
  /** The platform's buyer id (the plugin's placeholder e-mail is built from it). */
  buyer_id: string
  /** What the buyer pays in total, in the shop currency. */
  total: number
  /** Empty until the carrier assigns one. */
  tracking_number: string
  /** Unix seconds of the order's last change on the platform. */
  updated_at: number
  lines: DriverOrderLine[]
}

export interface DriverReturnInput {
  /** Lines with quantities; the whole order by default. */
  lines?: { line: DriverLineRef; quantity: number }[]
  /** `return_refund` (default: the goods come back) or `refund_only`. */
  solution?: "return_refund" | "refund_only"
  /** The status the return is in once created (`requested` by default). */
  status?: ReturnStatus
}

export interface DriverReturn {
  id: string
  order_id: string
  status: ReturnStatus
  external_status: string
  /** What the buyer gets back, in the shop currency. */
  refund_amount: number
  /** The seller's words when disputing, as the platform recorded them. */
  dispute_texts: string[]
  /** Unix seconds of the return's last change on the platform. */
  updated_at: number
}

/** A completed order's settlement, in the shop currency. */
export interface DriverSettlement {
  buyer_total: number
  /** What the seller gets before later adjustments. */
  net_payout: number
  /** What the seller gets after every adjustment. */
  net_payout_after_adjustments: number
  /** Fee amounts by the plugin's fee kinds (`commission`, `service`, `transaction`, `shipping_actual`, ...). */
  fees: Record<string, number>
  /** The fees the plugin sums into `escrow_fee_total`. */
  fee_total: number
}

/**
 * The shape of a platform's settlement API as the escrow specs see it, so one spec counts the calls of a batch
 * endpoint (Shopee) and of a per-order one (TikTok Shop) alike.
 */
export interface DriverSettlementApi {
  /** How many orders one settlement call names at most: 50 for a batch endpoint, 1 for a per-order one. */
  orders_per_call: number
  /**
   * The other shop calls (no `DriverOperation` of their own) an import makes per batch of 50 orders, besides order
   * detail and settlement: Shopee's tracking-number batch, TikTok Shop's statement walk for adjustments.
   */
  other_calls_per_batch: number
  /**
   * The other shop calls an import by id makes per order (none where the detail comes in batches): Lazada's GetOrder,
   * the only call giving an order's address and totals by id (a backfill has them from the list: `orderApi.list_carries_detail`).
   * 0 when not given.
   */
  other_calls_per_order?: number
  /** The field of the stored raw escrow (`escrow_raw`) that holds the order id. */
  raw_order_field: string
  /** The reason the plugin records for an adjustment made with `addSettlementAdjustment(..., { reason })`. */
  adjustmentReason(reason: string): string
}

/**
 * How a platform's order API is cut, for the benches that count an import's calls against the fewest its batch
 * limits allow (the platform's documented caps, read by the sandbox, not the provider's settings).
 */
/** Packages of orders on the sandbox (see `SandboxDriver.packages`). */
export interface DriverPackages {
  /**
   * Splits a paid order that has not left into packages, one per group of SKUs (every live unit of the SKU goes
   * in its group's package; the groups cover the order's SKUs); returns the package ids in group order.
   */
  split(orderId: string, groups: string[][]): string[]
  /**
   * Moves one package on, as the carrier would, with the platform's pushes: handed over (`shipped`, with its
   * tracking number) or `delivered`. The order's status follows as the platform derives it (partly shipped while
   * another package waits).
   */
  advance(orderId: string, packageId: string, stage: "shipped" | "delivered"): DriverOrder
  /** The order's packages as the platform holds them: id, the SKUs and units in each, tracking number. */
  list(orderId: string): { id: string; units: Record<string, number>; tracking_number: string | null }[]
  /**
   * Combines paid orders of one shop into one package (absent where the platform does not combine); returns the
   * package id.
   */
  combine?(orderIds: string[]): string
}

export interface DriverOrderApi {
  /** Orders one `list_orders` page holds at most. */
  list_page_size: number
  /** Orders one `get_order` call names at most. */
  detail_batch: number
  /**
   * Parcels one tracking-number call names at most, on a platform whose order detail does not carry the tracking
   * number (Shopee's get_mass_tracking_number: 50; that call is its `settlementApi.other_calls_per_batch`); absent
   * where the order carries it (then `other_calls_per_batch` comes with each settlement batch: TikTok Shop's
   * statement walk).
   */
  tracking_batch?: number
  /**
   * The list page carries what the per-order call gives (Lazada's GetOrders lists each order's header as GetOrder
   * does): a backfill or a pull makes none of `settlementApi.other_calls_per_order` (an import by id still does).
   */
  list_carries_detail?: boolean
}

/** A stock value the sandbox took for a SKU of a shop, and when it arrived (ms since the epoch). */
export interface DriverStockUpdate {
  /** The SKU as written in the shop. */
  sku: string
  stock: number
  received_at: number
}

/** A push delivery ready to post: the raw body and the headers that sign it. */
export interface DriverPush {
  body: string
  headers: Record<string, string>
}

/** A delivery the sandbox made to the app's webhook. */
export interface DriverDelivery {
  body: string
  status: number | null
  ok: boolean
}

/** The calls a spec counts or inspects, named by what they do. */
export type DriverOperation =
  | "get_order"
  | "list_orders"
  | "cancel_order"
  | "ship_order"
  | "update_stock"
  | "update_price"
  | "get_settlement"
  | "dispute_return"
  /** The OAuth code exchange (the callback's code for a token pair). */
  | "exchange_code"

/** One call the sandbox received. */
export interface DriverCall {
  operation: DriverOperation | null
  shop_id: string | null
  /** The order ids the call named, for calls that take a list of orders. */
  orders: string[]
  /** The platform's request as sent (query and body), for platform-specific assertions. */
  raw: unknown
}

/** What a stock update carried: one entry per variant in the call. */
export interface DriverStockCall {
  shop_id: string | null
  listing_id: string
  variant_ids: string[]
}

/** What a seller cancellation carried, in the plugin's vocabulary: a lower-case reason, and the lines it names (none for reasons that name no items). */
export interface DriverCancellation {
  reason: string
  lines: DriverLineRef[]
}

/**
 * `rate_limit`: the platform's rate-limit answer; `http_500` / `http_503`: a bare HTTP failure;
 * `server_error`: the platform's own "internal error" answer; `permission_denied`: the app may not call this
 * API; `api_restricted`: the platform restricts this API for the shop (both leave the token valid).
 */
export type DriverFaultKind = "rate_limit" | "http_500" | "http_503" | "server_error" | "permission_denied" | "api_restricted"

/**
 * The platform's sandbox in a process of its own (the marketplace is never inside the app's process), driven
 * over its control API: what bench/chaos.ts needs. Every call is an HTTP round trip, so every method is async.
 */
export interface RemoteSandbox {
  readonly url: string
  /** The sandbox CLI's process id. */
  readonly pid: number | undefined
  /** What medusa-config.ts reads to point the app's provider at this sandbox (partner credentials, base URL). */
  readonly appEnv: Record<string, string>
  stop(): Promise<void>
  createShop(input?: { name?: string }): Promise<DriverShop>
  issueTokens(shopId: string): Promise<DriverTokens>
  createListings(shopId: string, listings: DriverListingInput[]): Promise<void>
  /** One prepaid order in `status` (walked there silently, as DriverOrderInput says). */
  createOrder(shopId: string, input: { status?: OrderStatus; items: { sku: string; quantity: number }[] }): Promise<DriverOrder>
  /** Moves the order on the platform (no push is sent: the caller delivers it). */
  advanceOrder(orderId: string, status: OrderStatus): Promise<DriverOrder>
  order(orderId: string): Promise<DriverOrder>
  createReturn(orderId: string, input?: { solution?: "return_refund" | "refund_only" }): Promise<DriverReturn>
  advanceReturn(returnId: string, status: ReturnStatus): Promise<DriverReturn>
  return(returnId: string): Promise<DriverReturn>
  /** The next `count` calls of `operation` fail this way; `retry_after` seconds in a Retry-After header. */
  addFault(input: { operation: DriverOperation; kind: DriverFaultKind; count: number; retry_after?: number }): Promise<void>
  clearFaults(): Promise<void>
  /** A completed order's settlement, where the driver serves settlement over the control API (TikTok Shop). */
  settlement?(orderId: string): Promise<DriverSettlement>
  /** An adjustment after settlement, as `SandboxDriver.addSettlementAdjustment`. */
  addSettlementAdjustment?(orderId: string, input: { amount: number; reason: string }): Promise<void>
  /** As `SandboxDriver.withholdTracking` / `releaseTracking`, where the driver serves them over the control API (TikTok Shop). */
  withholdTracking?(calls: number): Promise<void>
  releaseTracking?(orderId: string): Promise<void>
}

export interface SandboxDriver {
  /** The platform id the plugin registers the provider under. */
  readonly platform: string
  readonly displayName: string
  /** The app's webhook route for this platform. */
  readonly webhookPath: string
  /**
   * How soon the platform wants a webhook answered, in ms, as it documents it (docs MARKETPLACE-APIS.md): Shopee and
   * TikTok Shop 3 s, Lazada 500 ms. A slower answer counts as a failed delivery there, to be re-sent.
   */
  readonly webhookDeadlineMs: number
  /**
   * How the plugin records the platform's order status pushes: their `external_type`, and part of their stored
   * payload that identifies the kind.
   */
  readonly orderStatusPushKind: { external_type: string; payload: Record<string, unknown> }
  /** The names of the order id, status and update time fields in the data of the platform's order status push. */
  readonly orderStatusPushFields: { order_id: string; status: string; update_time: string }
  /**
   * The plugin status in which the platform shows a return refunded: Shopee's `accepted` (the seller agreed and
   * Shopee refunds), TikTok Shop's `refunded` (there `accepted` is the seller's approval of a return whose goods
   * are still to come back).
   */
  readonly refundedReturnStatus: ReturnStatus
  /**
   * The status an order ends in when all goes well: `completed`, or `delivered` on a platform that has no completion
   * (Lazada: its orders end delivered, and Medusa's order stays open with its fulfilment delivered).
   */
  readonly finalStatus: "completed" | "delivered"
  /**
   * The pushes at least that name an order moved processed -> shipped -> delivered (default 4: Shopee's three
   * status pushes and its tracking number push; TikTok Shop has no tracking push, only its three status pushes).
   */
  readonly shipmentPushes?: number
  /**
   * The order channels (besides the platform's own) the driver's orders can come through with
   * `DriverOrderInput.channel`, e.g. ["tokopedia"] on TikTok Shop; absent where the platform has none.
   */
  readonly orderChannels?: string[]
  /** Part of the seller-centre link the admin shows for an order of the driver's shops. */
  readonly sellerCentreHost: string
  /** The name of the shipping option the plugin gives a connection to shop `shopName`. */
  shippingOptionName(shopName: string): string

  /** Starts the sandbox and points the app's provider at it (the env medusa-config.ts reads). */
  start(): Promise<void>
  stop(): Promise<void>
  /** Forgets every shop, listing, order, push and call. */
  reset(): void
  /** The base URL of the sandbox's API (the authorize page lives there). */
  readonly url: string

  // --- shops and authorization -------------------------------------------------------------

  /** `country`: ISO 3166-1 alpha-2 of the shop (its currency follows), "sg" unless given. */
  createShop(input?: { id?: string; name?: string; country?: string }): DriverShop
  issueTokens(shopId: string): DriverTokens
  /** Expires the shop's access tokens (and its refresh tokens when asked): the next call needs a refresh. */
  expireTokens(shopId: string, alsoRefreshTokens?: boolean): void
  /** How many times the shop's tokens were refreshed. */
  refreshCount(shopId: string): number
  /**
   * Follows the platform's authorization page like a merchant choosing `shopId` and returns the query of the
   * redirect back to the admin: what the admin posts to the OAuth callback.
   */
  authorize(authUrl: string, shopId: string): Promise<{ redirect: URL; params: Record<string, string> }>
  /** The start of the authorization URL the app's authorize route must hand out. */
  readonly authorizeUrlPrefix: string
  /**
   * The CSS selector of the link on the platform's authorization page that authorizes `shopId`: what a merchant
   * clicks in a browser (the browser suite).
   */
  authorizeLinkSelector(shopId: string): string
  /**
   * Where the authorization page sends the merchant back, for a platform that holds the redirect URL registered
   * with the app (TikTok Shop's Partner Center); a platform that takes it from the authorization URL ignores it.
   */
  setAppRedirectUrl(url: string): void
  /** Query parameters of a callback that misses what the platform sends. */
  incompleteCallback(): Record<string, string>

  // --- listings ------------------------------------------------------------------------------

  createListings(shopId: string, listings: DriverListingInput[]): DriverListing[]
  listings(shopId: string): DriverListing[]
  /** The variant whose SKU matches `sku` once trimmed and case-folded. */
  variant(shopId: string, sku: string): DriverListingVariant & { listing_id: string }
  setVariantStock(shopId: string, sku: string, stock: number): void

  // --- orders ---------------------------------------------------------------------------------

  createOrders(shopId: string, input?: DriverOrderInput): DriverOrder[]
  createOrder(shopId: string, input?: Omit<DriverOrderInput, "count">): DriverOrder
  order(orderId: string): DriverOrder
  /** Moves the order on the platform, with its push, as the buyer, the carrier or the platform would. */
  advanceOrder(orderId: string, status: OrderStatus): DriverOrder
  /** Sets the platform's status without a push or a new update time (an order drifted unseen). */
  driftOrder(orderId: string, status: OrderStatus): void
  /** The platform answers the order with a status outside its documented ones: an order the plugin cannot read. */
  makeUnreadable(orderId: string): void
  /** Moves the order's creation and last-change times (Unix seconds), without a push. */
  setOrderTimes(orderId: string, times: { created_at?: number; updated_at?: number }): void
  /** Makes the carrier withhold tracking numbers this many times after shipment is arranged. */
  withholdTracking(calls: number): void
  /** The carrier has the order's tracking number ready now. */
  releaseTracking(orderId: string): void
  /** The line of the order whose SKU is `sku`. */
  line(orderId: string, sku: string): DriverLineRef

  /**
   * Orders shipped as several packages, where the platform has them (absent where the driver cannot split an
   * order): what the platform or the seller does in Seller Center, done on the sandbox's state with the platform's
   * pushes.
   */
  readonly packages?: DriverPackages

  // --- returns --------------------------------------------------------------------------------

  createReturn(orderId: string, input?: DriverReturnInput): DriverReturn
  advanceReturn(returnId: string, status: ReturnStatus): DriverReturn
  return(returnId: string): DriverReturn

  // --- settlement -----------------------------------------------------------------------------

  settlement(orderId: string): DriverSettlement
  addSettlementAdjustment(orderId: string, input: { amount: number; reason: string }): void
  /** How the platform's settlement API is cut, for the specs that count its calls or read what it stored. */
  readonly settlementApi: DriverSettlementApi
  /** How the platform's order list and detail are cut, for the benches that count an import's calls. */
  readonly orderApi: DriverOrderApi

  // --- pushes ---------------------------------------------------------------------------------

  /** Sends the platform's own pushes to `url` from now on (null: stop). */
  setPushTarget(url: string | null): void
  /** Waits until every push sent so far got its answer. */
  flushPushes(): Promise<void>
  deliveries(): DriverDelivery[]
  /** How many pushes the app failed to take (what a platform keeps for a later pull, where it has one). */
  undeliveredCount(): number
  /**
   * A signed order status push, as the platform would send it to `hookUrl`: the order's change at `time`, sent at
   * `sentAt` (Unix seconds, the envelope's send time; `time` when not given). The webhook route refuses a delivery
   * sent outside the platform's re-delivery window as a replay, so a push meant to be processed is sent now.
   */
  orderStatusPush(hookUrl: string, input: { shopId: string; orderId: string; status: OrderStatus; time: number; sentAt?: number }): DriverPush
  /** A signed return status push. */
  returnStatusPush(hookUrl: string, input: { shopId: string; orderId: string; returnId: string; status: ReturnStatus; time: number }): DriverPush
  /** A signed push saying the seller revoked the shop's authorization, sent at `time` (Unix seconds). */
  deauthorizationPush(hookUrl: string, input: { shopId: string; time: number }): DriverPush
  /** A signed order status push that names no shop. */
  shoplessPush(hookUrl: string, input: { orderId: string; time: number }): DriverPush
  /** A signed push of a kind the plugin does not handle. */
  unsupportedPush(hookUrl: string, input: { shopId: string; time: number }): DriverPush
  /**
   * `body` signed as the platform signs a push to `hookUrl`, whatever it holds, with the sandbox's own signing
   * code (never the provider's): for fuzzing the webhook route with arbitrary raw bodies.
   */
  sign(hookUrl: string, body: string): DriverPush
  /** A signed push for the shop, larger than `bytes` (for the size limit). */
  oversizedPush(hookUrl: string, input: { shopId: string; bytes: number }): DriverPush
  /** Variations of `push` that must be refused: missing, empty, wrong, partial signatures, tampered bodies. */
  badlySignedPushes(hookUrl: string, push: DriverPush): DriverPush[]

  // --- faults, calls, history -----------------------------------------------------------------

  /** The next `count` calls of `operation` (after the first `after`, default 0, pass) fail this way. */
  addFault(input: { operation: DriverOperation; kind: DriverFaultKind; count: number; after?: number }): void
  clearFaults(): void
  calls(operation?: DriverOperation): DriverCall[]
  resetCalls(): void
  stockCalls(filter?: { shopId?: string; listingId?: string }): DriverStockCall[]
  /**
   * Every stock value the sandbox accepted for the shop's SKUs, oldest first, with its arrival time: from the
   * sandbox's own record of stock updates (values it refused are left out).
   */
  stockUpdates(shopId: string): DriverStockUpdate[]
  cancellations(): DriverCancellation[]

  // --- the sandbox as a process of its own ------------------------------------------------------

  /**
   * Starts another sandbox of this platform as a process of its own (the sandbox CLI, output to `logFile`),
   * independent of start()/stop(). The caller stops it.
   */
  startProcess(options: { port: number; logFile: string; seed?: number }): Promise<RemoteSandbox>
}
