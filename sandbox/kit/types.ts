/**
 * Records every sandbox keeps whatever the platform: the call log, push deliveries, failed pushes
 * and injected faults. Field names are snake_case like the control API that serves them.
 */

/** The shop (or seller) a call or a push is about: numeric on some platforms, a string on others. */
export type ShopKey = number | string

/** One API call as the sandbox saw it; secrets in query/body are masked. */
export interface CallRecord {
  id: number
  time: number
  method: string
  path: string
  query: Record<string, string | string[]>
  body: unknown
  shop_id: ShopKey | null
  status: number
  /** The platform's error code of the answer, "" on success, or the injected fault kind. */
  error: string
  duration_ms: number
}

/** One delivery attempt of a push notification. */
export interface PushRecord {
  msg_id: string
  /** The platform's message type (Shopee: push code). */
  code: number | string
  shop_id: ShopKey
  url: string
  body: string
  sent_at: number
  /** 1 for the first delivery, 2 for the first re-delivery, ... */
  attempt: number
  /** HTTP status of the callback's answer; null when the request itself failed. */
  status: number | null
  ok: boolean
  error?: string
  duration_ms: number
}

/** A push whose first delivery failed, kept for the platform's "lost messages" API if it has one. */
export interface LostPushMessage {
  message_id: number
  shop_id: ShopKey
  code: number | string
  /** Unix seconds of the push. */
  timestamp: number
  /** The raw push body as it was sent. */
  data: string
  consumed: boolean
}

/** A failed push waiting for its next attempt on the platform's re-delivery schedule. */
export interface ScheduledRedelivery {
  msg_id: string
  code: number | string
  shop_id: ShopKey
  url: string
  body: string
  /** The attempt this will be (2 = first re-delivery). */
  attempt: number
  /** Sandbox clock, ms. */
  due_at: number
}

export const FAULT_KINDS = [
  "rate_limit",
  "server_error",
  "http_500",
  "http_503",
  "timeout",
  "permission_denied",
  "api_restricted",
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface Fault {
  id: number
  path?: string
  shop_id?: ShopKey
  kind: FaultKind
  remaining: number
  /** Matching calls still let through before the fault starts (0: it starts with the next one). */
  pass?: number
  /** Seconds sent in a Retry-After header with the faulty answer; unset = no header. */
  retry_after?: number
}

export interface SandboxLogger {
  info?: (message: string) => void
  warn?: (message: string) => void
  error?: (message: string) => void
}
