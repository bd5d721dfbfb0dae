import type { MedusaContainer } from "@medusajs/framework/types"
import { processInboxEvents } from "../orchestration/inbox/inbox-processor"

/** How long one run of the job may keep taking batches: it runs every minute. */
const RUN_BUDGET_MS = 45_000
const BATCH = 200

/**
 * The inbox's safety net: retries failed events when due, takes over events a dead worker left in
 * `processing`, and anything whose wake-up event was lost. It takes batch after batch until nothing is due
 * (or its time is up), without the drain lock: claims are atomic, and a worker that died holding that lock
 * must not hold up the inbox until the lock expires.
 */
export default async function processMarketplaceInboxJob(container: MedusaContainer) {
  const started = Date.now()
  while (Date.now() - started < RUN_BUDGET_MS) {
    const { claimed } = await processInboxEvents(container, { limit: BATCH })
    if (claimed < BATCH) {
      return
    }
  }
}

export const config = {
  name: "process-marketplace-inbox",
  schedule: "* * * * *",
}
