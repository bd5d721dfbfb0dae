import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { MarketplaceEvents } from "../modules/marketplace/events"
import { drainInbox } from "../orchestration/inbox/inbox-processor"

/** Processes webhook deliveries right after the webhook route committed them (in batches under load). */
export default async function processMarketplaceInbox({ container }: SubscriberArgs<Record<string, never>>) {
  await drainInbox(container)
}

export const config: SubscriberConfig = {
  event: MarketplaceEvents.INBOX_RECEIVED,
}
