import { timingSafeEqual } from "crypto"
import { z } from "@medusajs/framework/zod"
import { MarketplaceApiError } from "../errors"
import { parseJsonLossless } from "../kit"
import type { EventType, ParsedWebhookEvent, WebhookRequest, WebhookVerification } from "../types"
import { signTiktokWebhook } from "./signing"

/** Webhook types the plugin understands ("Webhooks overview"); everything else is stored as `unsupported`. */
export const WEBHOOK_TYPES: Record<number, EventType> = {
  1: "order.status_changed",
  4: "order.tracking_updated",
  6: "shop.deauthorized",
  7: "shop.authorization_expiring",
  11: "order.status_changed",
  12: "return.updated",
}

// Bounded, printable text: push input is hostile until proven otherwise.
const zText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\u0000-\u001f\u007f]+$/)
const zId = z.union([zText, z.number().int().nonnegative()]).transform(String)
const zUnix = z.number().int().nonnegative().max(253402300799)

const envelopeSchema = z.looseObject({
  type: z.number().int().nonnegative(),
  tts_notification_id: zId,
  shop_id: zId.nullish(),
  timestamp: zUnix,
  data: z.unknown(),
})

const orderStatusData = z.looseObject({ order_id: zId, order_status: zText, update_time: zUnix.nullish() })
const packageData = z.looseObject({
  order_id: zId.nullish(),
  package_id: zId.nullish(),
  sc_type: zText.nullish(),
  update_time: zUnix.nullish(),
  package_list: z
    .array(z.looseObject({ package_id: zId.nullish(), order_id_list: z.array(zId).max(100).nullish() }))
    .max(100)
    .nullish(),
})
const cancellationData = z.looseObject({ order_id: zId, cancel_status: zText.nullish(), update_time: zUnix.nullish() })
const returnData = z.looseObject({ order_id: zId.nullish(), return_id: zId, return_status: zText.nullish(), update_time: zUnix.nullish() })

function header(request: WebhookRequest, name: string): string | null {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() ? first.trim() : null
}

/**
 * `Authorization` = lower-case hex HMAC-SHA256(app_secret, app_key + raw body), over the bytes as received.
 * No freshness check here: re-deliveries repeat the body (up to 12 h later), so age is the core's replay window.
 */
export function verifyTiktokWebhook(request: WebhookRequest, appKey: string, appSecret: string): WebhookVerification {
  const signature = header(request, "authorization")
  if (!signature) {
    return { valid: false, reason: "missing_signature" }
  }
  const expected = Buffer.from(signTiktokWebhook(appKey, appSecret, request.raw_body), "utf8")
  const given = Buffer.from(signature.toLowerCase(), "utf8")
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: "bad_signature" }
  }
  return { valid: true }
}

function malformedBody(message: string): MarketplaceApiError {
  return new MarketplaceApiError("validation", `Malformed TikTok Shop webhook: ${message}`, { code: "malformed_push" })
}

function problem(schema: z.ZodType, data: unknown): string | null {
  const parsed = schema.safeParse(data)
  if (parsed.success) return null
  const issue = parsed.error.issues[0]
  return `data${issue.path.length ? "." : ""}${issue.path.map(String).join(".")}: ${issue.message}`
}

const date = (unix: number | null | undefined) => (unix ? new Date(unix * 1000) : null)

/** The order webhook says CANCEL where the order API says CANCELLED. */
export function normalizeOrderStatus(status: string): string {
  const upper = status.toUpperCase()
  return upper === "CANCEL" ? "CANCELLED" : upper
}

/**
 * One webhook body -> events. A body that is not a TikTok Shop webhook throws (kind `validation`); a known type
 * whose data does not fit is returned `malformed` (kept, not processed). A package update names every order the
 * package carries (combined packages): one event per order.
 */
export function parseTiktokWebhook(request: WebhookRequest): ParsedWebhookEvent[] {
  let body: unknown
  try {
    body = parseJsonLossless(request.raw_body.toString("utf8"))
  } catch {
    throw malformedBody("the body is not JSON")
  }
  const parsed = envelopeSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw malformedBody(`${issue.path.map(String).join(".") || "body"}: ${issue.message}`)
  }
  const envelope = parsed.data
  const type = WEBHOOK_TYPES[envelope.type] ?? "unsupported"
  const sentAt = new Date(envelope.timestamp * 1000)
  const base: ParsedWebhookEvent = {
    idempotency_key: envelope.tts_notification_id,
    external_shop_id: envelope.shop_id ?? null,
    type,
    external_type: String(envelope.type),
    supported: type !== "unsupported",
    occurred_at: sentAt,
    sent_at: sentAt,
    payload: body,
  }
  const data = envelope.data
  switch (envelope.type) {
    case 1: {
      const bad = problem(orderStatusData, data)
      if (bad) return [{ ...base, malformed: bad }]
      const d = orderStatusData.parse(data)
      const updated = date(d.update_time)
      return [
        {
          ...base,
          occurred_at: updated ?? sentAt,
          external_order_id: d.order_id,
          external_status: normalizeOrderStatus(d.order_status),
          order_updated_at: updated,
        },
      ]
    }
    case 4: {
      const bad = problem(packageData, data)
      if (bad) return [{ ...base, malformed: bad }]
      const d = packageData.parse(data)
      const orders = new Set<string>()
      if (d.order_id) orders.add(d.order_id)
      for (const p of d.package_list ?? []) for (const id of p.order_id_list ?? []) orders.add(id)
      if (!orders.size) return [{ ...base, malformed: "data: names no order" }]
      const ids = [...orders]
      return ids.map((orderId) => ({
        ...base,
        // One notification, several orders: each order's event is its own row.
        idempotency_key: ids.length === 1 ? base.idempotency_key : `${base.idempotency_key}:${orderId}`,
        occurred_at: date(d.update_time) ?? sentAt,
        external_order_id: orderId,
      }))
    }
    case 11: {
      const bad = problem(cancellationData, data)
      if (bad) return [{ ...base, malformed: bad }]
      const d = cancellationData.parse(data)
      // A cancellation's status is not the order's: the order is read again, whatever its update time.
      return [{ ...base, occurred_at: date(d.update_time) ?? sentAt, external_order_id: d.order_id }]
    }
    case 12: {
      const bad = problem(returnData, data)
      if (bad) return [{ ...base, malformed: bad }]
      const d = returnData.parse(data)
      return [
        {
          ...base,
          occurred_at: date(d.update_time) ?? sentAt,
          external_order_id: d.order_id ?? null,
          external_return_id: d.return_id,
          external_status: d.return_status ?? null,
        },
      ]
    }
    case 6:
    case 7:
      if (!envelope.shop_id) return [{ ...base, malformed: "shop_id: required for an authorization message" }]
      return [base]
    default:
      return [base]
  }
}
