import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { runSyncRun } from "../orchestration/sync-runs/sync-run"

/** Resumes sync runs whose worker died (stale heartbeat) and starts runs whose start event was lost. */
export default async function resumeMarketplaceSyncRunsJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const runs = await marketplace.listSyncRuns({ status: ["pending", "running"] }, { select: ["id"] })
  for (const run of runs) {
    await runSyncRun(container, run.id) // claims the run; a live worker keeps it
  }
}

export const config = {
  name: "resume-marketplace-sync-runs",
  schedule: "* * * * *",
}
