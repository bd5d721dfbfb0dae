import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"

/**
 * Daily: deletes inbox events that are done or ignored after the event retention (option
 * eventRetentionDays, 30 days) and outbound tasks that are done after the task retention (option
 * taskRetentionDays, 90 days), and fulfilment follow-ups that are done after the task retention. What failed, died or waits is kept until someone deals with it.
 */
export default async function pruneMarketplaceHistoryJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const pruned = await marketplace.pruneHistory()
  const followUps = await marketplace.pruneQueue("follow_up")
  if (pruned.events || pruned.tasks || followUps) {
    logger.info(`Marketplace history pruned: ${pruned.events} inbox events, ${pruned.tasks} tasks, ${followUps} fulfilment follow-ups`)
  }
}

export const config = {
  name: "prune-marketplace-history",
  schedule: "50 4 * * *",
}
