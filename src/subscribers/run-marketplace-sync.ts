import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { MarketplaceEvents } from "../modules/marketplace/events"
import { runSyncRun } from "../orchestration/sync-runs/sync-run"

/** Starts a requested backfill / manual sync in the background. */
export default async function runMarketplaceSync({ event, container }: SubscriberArgs<{ id: string }>) {
  await runSyncRun(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: MarketplaceEvents.SYNC_RUN_REQUESTED,
}
