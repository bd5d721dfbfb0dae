import { createHash } from "crypto"
import type { z } from "@medusajs/framework/zod"
import { MarketplaceApiError } from "../errors"
import { parseJsonLossless } from "../kit"
import type { EventType, ParsedWebhookEvent, WebhookRequest, WebhookVerification } from "../types"
import { pushEnvelopeSchema, reverseOrderPushSchema, tokenExpiryPushSchema, tradeOrderPushSchema } from "./schemas"
import { lazadaPushSignature, sameSignature } from "./signing"

/**
 * Lazada Push Mechanism (docId 120168) and its message pages: `message_type` 0 trade order (one message per order
 * line), 10 reverse order, 8 authorization token expiring within 48 h. Everything else is kept as `unsupported`.
 */
export const LAZADA_PUSH_TYPES: Record<number, EventType> = {
  0: "order.status_changed",
  10: "return.updated",
  8: "shop.authorization_expiring",
}

/** Reverse-order statuses of a buyer's cancellation (reverse type CANCEL on the reverse-order message page). */
const BUYER_CANCELLATION = /^CANCEL_/i

function header(request: WebhookRequest, name: string): string | null {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() ? first.trim() : null
}

/**
 * Header `Authorization` = hex(HMAC-SHA256(app_secret, app_key + raw body)). No freshness check: Lazada sends the
 * same message again every 30 minutes up to 12 times; the core's replay window judges its age.
 */
export function verifyLazadaPush(request: WebhookRequest, appKey: string, appSecret: string): WebhookVerification {
  const signature = header(request, "authorization")
  if (!signature) return { valid: false, reason: "missing_signature" }
  return sameSignature(signature, lazadaPushSignature(appKey, appSecret, request.raw_body))
    ? { valid: true }
    : { valid: false, reason: "bad_signature" }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>
    return `{${Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(",")}}`
  }
  return JSON.stringify(value ?? null)
}

/**
 * Lazada gives a message no id. A re-delivery repeats the message's data (the envelope's `timestamp` may be the
 * sending time), so the key is a hash of the type, the seller and the data: the same change of the same order line
 * is one event however often it arrives.
 */
export function lazadaPushKey(messageType: number, sellerId: string | null, data: unknown): string {
  const material = `${messageType}|${sellerId ?? ""}|${canonicalJson(data)}`
  return `lazada:${messageType}:${createHash("sha256").update(material, "utf8").digest("hex")}`
}

/** The samples write the push time in milliseconds (one comment says seconds): a value below 10^11 is seconds. */
export function pushTime(value: number | null | undefined): Date | null {
  if (value === null || value === undefined || !Number.isFinite(value) || value <= 0) return null
  const ms = value < 1e11 ? value * 1000 : value
  return ms > 253402300799000 ? null : new Date(ms)
}

function malformed(message: string): MarketplaceApiError {
  return new MarketplaceApiError("validation", `Malformed Lazada push: ${message}`, { code: "malformed_push" })
}

function problemOf(schema: z.ZodType, data: unknown): string | null {
  const parsed = schema.safeParse(data)
  if (parsed.success) return null
  const issue = parsed.error.issues[0]
  return `data.${issue.path.map(String).join(".")}: ${issue.message}`
}

function sellerOf(value: string | null | undefined): string | null {
  // The token-expiry sample writes "null" for the envelope's seller.
  return value && value !== "null" && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null
}

export function eventsFromLazadaEnvelope(input: unknown): ParsedWebhookEvent[] {
  const parsed = pushEnvelopeSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw malformed(`${issue.path.map(String).join(".") || "body"}: ${issue.message}`)
  }
  const envelope = parsed.data
  const type = LAZADA_PUSH_TYPES[envelope.message_type] ?? "unsupported"
  const sentAt = pushTime(envelope.timestamp)
  const seller = sellerOf(envelope.seller_id)
  const base: ParsedWebhookEvent = {
    idempotency_key: lazadaPushKey(envelope.message_type, seller, envelope.data),
    external_shop_id: seller,
    type,
    external_type: String(envelope.message_type),
    supported: type !== "unsupported",
    occurred_at: sentAt ?? new Date(0),
    sent_at: sentAt,
    payload: input,
  }
  switch (type) {
    case "order.status_changed": {
      const problem = problemOf(tradeOrderPushSchema, envelope.data)
      if (problem) return [{ ...base, supported: false, malformed: problem }]
      const data = tradeOrderPushSchema.parse(envelope.data)
      const changed = data.status_update_time ? new Date(data.status_update_time * 1000) : null
      return [
        {
          ...base,
          external_order_id: data.trade_order_id,
          external_status: data.order_status,
          occurred_at: changed ?? base.occurred_at,
          order_updated_at: changed,
        },
      ]
    }
    case "return.updated": {
      const problem = problemOf(reverseOrderPushSchema, envelope.data)
      if (problem) return [{ ...base, supported: false, malformed: problem }]
      const data = reverseOrderPushSchema.parse(envelope.data)
      const changed = data.status_update_time ? new Date(data.status_update_time * 1000) : null
      if (BUYER_CANCELLATION.test(data.reverse_status)) {
        // A buyer's cancellation (CANCEL_INIT, CANCEL_SUCCESS, ...) is no return: it changes the order (its units'
        // need_cancel_confirm, then their cancellation), which is read again whatever its update time.
        if (!data.trade_order_id) return [{ ...base, supported: false, malformed: "a buyer cancellation names no trade_order_id" }]
        return [{ ...base, type: "order.status_changed", external_order_id: data.trade_order_id, occurred_at: changed ?? base.occurred_at }]
      }
      return [
        {
          ...base,
          external_order_id: data.trade_order_id ?? null,
          external_return_id: data.reverse_order_id,
          external_status: data.reverse_status,
          occurred_at: changed ?? base.occurred_at,
        },
      ]
    }
    case "shop.authorization_expiring": {
      const problem = problemOf(tokenExpiryPushSchema, envelope.data)
      if (problem) return [{ ...base, supported: false, malformed: problem }]
      const data = tokenExpiryPushSchema.parse(envelope.data)
      // The sample's envelope says "seller_id": "null": the seller is in the data.
      return [{ ...base, external_shop_id: seller ?? data.seller_id ?? null }]
    }
    default:
      return [base]
  }
}

/** A verified body -> events; throws kind `validation` when it is not a Lazada push at all. */
export function parseLazadaPush(request: WebhookRequest): ParsedWebhookEvent[] {
  let body: unknown
  try {
    body = parseJsonLossless(request.raw_body.toString("utf8"))
  } catch {
    throw malformed("the body is not JSON")
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw malformed("the body is not a JSON object")
  return eventsFromLazadaEnvelope(body)
}
