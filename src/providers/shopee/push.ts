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
 * No freshness window: Shopee re-sends the same message after 300 s, 1800 s and 10800 s.
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

function parseData<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw malformed(`data${issue.path.length ? "." : ""}${formatIssuePath(issue.path)}: ${issue.message}`)
  }
  return parsed.data
}

/** Shop ids a partner-level message names: the envelope's shop_id, or the data's shop_id / shop_id_list. */
function shopIdsOf(envelope: ShopeePushEnvelope): string[] {
  const data = (envelope.data && typeof envelope.data === "object" ? envelope.data : {}) as Record<string, unknown>
  const list = Array.isArray(data.shop_id_list) ? data.shop_id_list.map(String) : []
  if (list.length) {
    return list
  }
  if (envelope.shop_id) {
    return [envelope.shop_id]
  }
  return data.shop_id != null ? [String(data.shop_id)] : []
}

/** One push envelope (already JSON-parsed) -> normalized events. */
export function eventsFromEnvelope(input: unknown): ParsedWebhookEvent[] {
  const parsed = pushEnvelopeSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw malformed(`${formatIssuePath(issue.path) || "body"}: ${issue.message}`)
  }
  const envelope = parsed.data
  const key = pushIdempotencyKey(envelope)
  const type = PUSH_TYPES[envelope.code] ?? "unsupported"
  const occurredAt = new Date((envelope.timestamp ?? 0) * 1000)
  const base = {
    idempotency_key: key,
    external_shop_id: envelope.shop_id ?? null,
    type,
    external_type: String(envelope.code),
    supported: type !== "unsupported",
    occurred_at: occurredAt,
    payload: input,
  }

  switch (type) {
    case "order.status_changed": {
      const data = parseData(orderStatusPushSchema, envelope.data)
      return [
        {
          ...base,
          external_order_id: data.ordersn,
          external_status: data.status,
          occurred_at: data.update_time ? new Date(data.update_time * 1000) : occurredAt,
          // Code 3's update_time is the order's update_time at the change (get_order_detail's clock).
          order_updated_at: data.update_time ? new Date(data.update_time * 1000) : null,
        },
      ]
    }
    case "order.tracking_updated": {
      const data = parseData(trackingPushSchema, envelope.data)
      return [{ ...base, external_order_id: data.ordersn }]
    }
    case "return.updated": {
      const data = parseData(returnPushSchema, envelope.data)
      return [{ ...base, external_order_id: data.order_sn ?? null, external_return_id: data.return_sn }]
    }
    case "shop.authorized":
    case "shop.deauthorized":
    case "shop.authorization_expiring": {
      // Partner-level messages may list several shops (a main account): one event per shop.
      const shops = shopIdsOf(envelope)
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
