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
  /**
   * When the platform sent the message (its envelope's timestamp), for the replay window; null when the message
   * carries none.
   */
  sent_at?: Date | null
  /**
   * Why a verified message of the platform could not be mapped (its data misses a field the type needs, a field
   * has the wrong type...): such a message is stored raw and recorded as ignored, never processed.
   */
  malformed?: string | null
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

/** Pushes the platform kept because our endpoint missed them, and the token that acknowledges them. */
export interface MissedEvents {
  events: ParsedWebhookEvent[]
  ack_token: string | null
}

/**
 * Capability `webhooks`: the platform's push notifications. Verification runs over the raw body before
 * anything is stored; parsing never calls the platform (a push is a hint, the order detail is the truth).
 */
export interface MarketplaceWebhooks {
  verifyWebhook(request: WebhookRequest): WebhookVerification
  /**
   * Turn a verified body into one or more events; throws `MarketplaceApiError` kind `validation` when the body is
   * not a message of the platform at all (not JSON, no envelope). A message whose envelope parses but whose data
   * does not map is returned with `malformed` set, so it is kept.
   */
  parseWebhook(request: WebhookRequest): ParsedWebhookEvent[]
  /**
   * Pushes the platform kept because our endpoint missed them (Shopee's lost pushes). Platforms without such a
   * list answer none (the base provider's default); the scheduled pull covers them.
   */
  listMissedEvents(): Promise<MissedEvents>
  ackMissedEvents(ack_token: string): Promise<void>
}
