import { createHash } from "crypto"
import type { ProviderDependencies, ParsedWebhookEvent } from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeValidationError } from "./errors"
import { parseJsonLossless } from "../kit"
import { canonicalJson, eventsFromEnvelope } from "./push"

/** The lost push's data is the whole push envelope in the reference's sample, the inner data otherwise. */
function envelopeOf(message: { shop_id?: string | null; code: number; timestamp?: number | null; data: unknown }): unknown {
  let data = message.data
  if (typeof data === "string") {
    try {
      data = parseJsonLossless(data)
    } catch {
      // keep the string: it is the data as Shopee gave it
    }
  }
  const inner = data as Record<string, unknown> | null
  if (inner && typeof inner === "object" && typeof inner.code === "number" && "data" in inner) {
    return inner
  }
  return { shop_id: message.shop_id ?? undefined, code: message.code, timestamp: message.timestamp ?? undefined, data }
}

/**
 * v2.push.get_lost_push_message (public, partner level): the earliest 100 pushes of the last 3 days that our
 * endpoint missed. The ack token is `last_message_id` for v2.push.confirm_consumed_lost_push_message.
 */
export async function listMissedEvents(
  client: ShopeeClient,
  logger: ProviderDependencies["logger"]
): Promise<{ events: ParsedWebhookEvent[]; ack_token: string | null }> {
  const answer = await client.getLostPushMessage()
  const messages = answer.response.push_message_list ?? []
  const events = messages.flatMap((message) => {
    const envelope = envelopeOf(message)
    try {
      return eventsFromEnvelope(envelope)
    } catch (error) {
      // Kept as unsupported rather than dropped: acknowledging would lose it for good.
      logger.warn(`Shopee lost push with code ${message.code} is malformed: ${(error as Error).message}`)
      return [
        {
          idempotency_key: `sha256:${createHash("sha256").update(canonicalJson(envelope)).digest("hex")}`,
          external_shop_id: message.shop_id ?? null,
          type: "unsupported" as const,
          external_type: String(message.code),
          supported: false,
          occurred_at: new Date((message.timestamp ?? 0) * 1000),
          payload: envelope,
        },
      ]
    }
  })
  const last = answer.response.last_message_id
  return { events, ack_token: messages.length && last ? last : null }
}

export async function ackMissedEvents(client: ShopeeClient, ackToken: string): Promise<void> {
  if (!/^\d+$/.test(ackToken)) {
    throw new ShopeeValidationError(`Invalid Shopee lost-push ack token: ${ackToken}`)
  }
  await client.confirmConsumedLostPushMessage(ackToken)
}
