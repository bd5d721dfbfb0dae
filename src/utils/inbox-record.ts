import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import type { ParsedWebhookEvent } from "../providers/types"

/**
 * Commits parsed deliveries to the inbox, once per idempotency key. A delivery for a shop that is not
 * connected, or of a type the plugin does not handle, is kept as `ignored` (the platforms disable endpoints
 * that refuse too often, and what we acknowledged must stay visible). Returns the ids of new rows to process.
 */
export async function recordInboxEvents(
  marketplace: MarketplaceModuleService,
  platform: string,
  events: ParsedWebhookEvent[],
  connectionOfShop: Map<string, string | null>,
  rawBody: string | null
): Promise<string[]> {
  const toProcess: string[] = []
  for (const event of events) {
    const connectionId = event.external_shop_id ? connectionOfShop.get(event.external_shop_id) ?? null : null
    const ignoredBecause = !event.supported
      ? "Event type not supported"
      : event.external_shop_id && !connectionId
        ? `Shop ${event.external_shop_id} is not connected`
        : null
    const id = await marketplace.recordInboxEvent({
      platform,
      idempotency_key: event.idempotency_key,
      connection_id: connectionId,
      external_shop_id: event.external_shop_id,
      type: event.type,
      external_type: event.external_type,
      external_order_id: event.external_order_id ?? null,
      external_return_id: event.external_return_id ?? null,
      status: ignoredBecause ? "ignored" : "pending",
      last_error: ignoredBecause,
      payload: event.payload,
      raw_body: rawBody,
    })
    if (id && !ignoredBecause) {
      toProcess.push(id)
    }
  }
  return toProcess
}
