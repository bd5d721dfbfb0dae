import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { processInboxEvents } from "../orchestration/inbox/inbox-processor"

/** How long one run of the job may keep taking batches: it runs every minute. */
const RUN_BUDGET_MS = 45_000

/**
 * The inbox's safety net: retries failed events when due, takes over events a dead worker left in
 * `processing`, and anything whose wake-up event was lost. It takes batch after batch until nothing is due
 * (or its time is up), without the drain lock: claims are atomic, and a worker that died holding that lock
 * must not hold up the inbox until the lock expires.
 */
export default async function processMarketplaceInboxJob(container: MedusaContainer) {
  const started = Date.now()
  // The inbox queue's batch size (option eventBatchSize).
  const batch = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).queuePolicy("event").batchSize
  while (Date.now() - started < RUN_BUDGET_MS) {
    // A process that also answers HTTP claims fewer than `batch` at once (SHARED_PROCESS_PACE): go on until
    // a claim finds nothing.
    const { claimed } = await processInboxEvents(container, { limit: batch })
    if (!claimed) {
      return
    }
  }
}

export const config = {
  name: "process-marketplace-inbox",
  schedule: "* * * * *",
}
