import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { type InboxConnectionRef, recordInboxEvents } from "./inbox-record"

/**
 * Drains a platform's lost-push list (pushes our endpoint missed) into the inbox, page by page,
 * acknowledging each page once it is stored. Stored under the same idempotency keys as live pushes, so a
 * push that did arrive is not processed twice. Returns how many lost messages were drained.
 */
export async function drainMissedEvents(container: MedusaContainer, platform: string): Promise<number> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const provider = marketplace.getProvider(platform)
  if (!provider.listMissedEvents || !provider.ackMissedEvents) {
    return 0
  }
  let drained = 0
  let toProcess = 0
  for (let page = 0; page < 50; page++) {
    const { events, ack_token } = await provider.listMissedEvents()
    if (!events.length) break
    const shopIds = [...new Set(events.map((e) => e.external_shop_id).filter((s): s is string => !!s))]
    const connections = await marketplace.listConnections(
      { platform, external_shop_id: shopIds },
      { select: ["id", "external_shop_id", "status"] }
    )
    const byShop = new Map<string, InboxConnectionRef | null>(
      connections.map((c) => [c.external_shop_id, { id: c.id, status: c.status }])
    )
    toProcess += (await recordInboxEvents(marketplace, platform, events, byShop, null)).length
    drained += events.length
    if (!ack_token) break
    await provider.ackMissedEvents(ack_token)
  }
  if (toProcess) {
    await container.resolve(Modules.EVENT_BUS).emit({ name: MarketplaceEvents.INBOX_RECEIVED, data: {} })
  }
  return drained
}
