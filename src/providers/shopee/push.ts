import { createHash, timingSafeEqual } from "crypto"
import { MarketplaceApiError } from "../errors"
import type { EventType, ParsedWebhookEvent, WebhookRequest, WebhookVerification } from "../types"
import { formatIssuePath } from "./http"
import { parseJsonLossless } from "../kit"
import { hmacSha256Hex } from "./signing"
import {
  orderStatusPushSchema,
  pushEnvelopeSchema,
  returnPushSchema,
  ShopeePushEnvelope,
  shopListPushSchema,
  trackingPushSchema,
} from "./schemas"
import type { z } from "@medusajs/framework/zod"

/** Push codes the plugin understands (Push Mechanism): everything else is kept as `unsupported`. */
const PUSH_TYPES: Record<number, EventType> = {
  1: "shop.authorized",
  2: "shop.deauthorized",
  3: "order.status_changed",
  4: "order.tracking_updated",
  12: "shop.authorization_expiring",
  29: "return.updated",
}

function header(request: WebhookRequest, name: string): string | null {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() ? first.trim() : null
}

/**
 * Push authorization: header `Authorization` = lowercase hex HMAC-SHA256(push key, callback URL + "|" + body).
 * The body is the raw bytes as received: a re-serialized JSON (other spacing or key order) does not verify.
 * No freshness check here: Shopee re-sends the same body after 300 s, 1800 s and 10800 s, so the age of a
 * message is judged by the core's replay window (`webhook_redelivery_horizon_seconds` in the limits).
 */
export function verifyPush(request: WebhookRequest, pushKey: string): WebhookVerification {
  const signature = header(request, "authorization")
  if (!signature) {
    return { valid: false, reason: "missing_signature" }
  }
  const base = Buffer.concat([Buffer.from(`${request.url}|`, "utf8"), request.raw_body])
  const expected = Buffer.from(hmacSha256Hex(pushKey, base), "utf8")
  const given = Buffer.from(signature, "utf8")
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: "bad_signature" }
  }
  return { valid: true }
}

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`
  }
  if (value && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(",")}}`
  }
  return JSON.stringify(value ?? null)
}

/** msg_id when Shopee sends one; otherwise a hash of what identifies the message, stable across re-deliveries. */
export function pushIdempotencyKey(envelope: ShopeePushEnvelope): string {
  if (envelope.msg_id) {
    return envelope.msg_id
  }
  const material = `${envelope.code}|${envelope.shop_id ?? ""}|${envelope.timestamp ?? ""}|${canonicalJson(envelope.data)}`
  return `sha256:${createHash("sha256").update(material, "utf8").digest("hex")}`
}

function malformed(message: string): MarketplaceApiError {
  return new MarketplaceApiError("validation", `Malformed Shopee push: ${message}`, { code: "malformed_push" })
}

/** A data field that does not fit its type's schema, as "data.<path>: <problem>"; null when it fits. */
function dataProblem(schema: z.ZodType, data: unknown): string | null {
  const parsed = schema.safeParse(data)
  if (parsed.success) return null
  const issue = parsed.error.issues[0]
  return `data${issue.path.length ? "." : ""}${formatIssuePath(issue.path)}: ${issue.message}`
}

/** Shop ids a partner-level message names: the envelope's shop_id, or the data's shop_id / shop_id_list. */
function shopIdsOf(envelope: ShopeePushEnvelope): string[] | string {
  const parsed = shopListPushSchema.safeParse(envelope.data && typeof envelope.data === "object" ? envelope.data : {})
  if (!parsed.success) {
    return dataProblem(shopListPushSchema, envelope.data) as string
  }
  if (parsed.data.shop_id_list?.length) {
    return parsed.data.shop_id_list
  }
  if (envelope.shop_id) {
    return [envelope.shop_id]
  }
  return parsed.data.shop_id ? [parsed.data.shop_id] : []
}

/**
 * One push envelope (already JSON-parsed) -> normalized events. An envelope that does not parse is not a
 * Shopee message (thrown, kind `validation`); a message whose data does not fit its code is returned with
 * `malformed` set, so that the core keeps it (raw) without processing it.
 */
export function eventsFromEnvelope(input: unknown): ParsedWebhookEvent[] {
  const parsed = pushEnvelopeSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw malformed(`${formatIssuePath(issue.path) || "body"}: ${issue.message}`)
  }
  const envelope = parsed.data
  const key = pushIdempotencyKey(envelope)
  const type = PUSH_TYPES[envelope.code] ?? "unsupported"
  const sentAt = envelope.timestamp != null ? new Date(envelope.timestamp * 1000) : null
  const base: ParsedWebhookEvent = {
    idempotency_key: key,
    external_shop_id: envelope.shop_id ?? null,
    type,
    external_type: String(envelope.code),
    supported: type !== "unsupported",
    occurred_at: sentAt ?? new Date(0),
    sent_at: sentAt,
    payload: input,
  }
  const unmappable = (problem: string): ParsedWebhookEvent[] => [{ ...base, supported: false, malformed: problem }]

  switch (type) {
    case "order.status_changed": {
      const problem = dataProblem(orderStatusPushSchema, envelope.data)
      if (problem) return unmappable(problem)
      const data = orderStatusPushSchema.parse(envelope.data)
      const updatedAt = data.update_time ? new Date(data.update_time * 1000) : null
      return [
        {
          ...base,
          external_order_id: data.ordersn,
          external_status: data.status,
          occurred_at: updatedAt ?? base.occurred_at,
          // Code 3's update_time is the order's update_time at the change (get_order_detail's clock).
          order_updated_at: updatedAt,
        },
      ]
    }
    case "order.tracking_updated": {
      const problem = dataProblem(trackingPushSchema, envelope.data)
      if (problem) return unmappable(problem)
      return [{ ...base, external_order_id: trackingPushSchema.parse(envelope.data).ordersn }]
    }
    case "return.updated": {
      const problem = dataProblem(returnPushSchema, envelope.data)
      if (problem) return unmappable(problem)
      const data = returnPushSchema.parse(envelope.data)
      return [{ ...base, external_order_id: data.order_sn ?? null, external_return_id: data.return_sn }]
    }
    case "shop.authorized":
    case "shop.deauthorized":
    case "shop.authorization_expiring": {
      // Partner-level messages may list several shops (a main account): one event per shop.
      const shops = shopIdsOf(envelope)
      if (typeof shops === "string") return unmappable(shops)
      if (shops.length <= 1) {
        return [{ ...base, external_shop_id: shops[0] ?? null }]
      }
      return shops.map((shopId) => ({ ...base, external_shop_id: shopId, idempotency_key: `${key}:${shopId}` }))
    }
    default:
      return [base]
  }
}

/** Parses a verified push body; throws `MarketplaceApiError` kind `validation` when it is not a push message. */
export function parsePush(request: WebhookRequest): ParsedWebhookEvent[] {
  let body: unknown
  try {
    body = parseJsonLossless(request.raw_body.toString("utf8"))
  } catch {
    throw malformed("the body is not JSON")
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw malformed("the body is not a JSON object")
  }
  return eventsFromEnvelope(body)
}
