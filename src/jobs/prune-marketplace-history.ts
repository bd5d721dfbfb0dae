import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"

const DAY_MS = 86_400_000

/** Days from an environment variable, or the default when it is unset or not a positive number. */
export function retentionDays(value: string | undefined, fallback: number): number {
  const days = Number(value)
  return Number.isFinite(days) && days > 0 ? days : fallback
}

/**
 * Daily: deletes inbox events that are done or ignored after MARKETPLACE_EVENT_RETENTION_DAYS (30) and
 * outbound tasks that are done after MARKETPLACE_TASK_RETENTION_DAYS (90). What failed, died or waits is
 * kept until someone deals with it.
 */
export default async function pruneMarketplaceHistoryJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const now = Date.now()
  const eventDays = retentionDays(process.env.MARKETPLACE_EVENT_RETENTION_DAYS, 30)
  const taskDays = retentionDays(process.env.MARKETPLACE_TASK_RETENTION_DAYS, 90)
  const pruned = await marketplace.pruneHistory({
    eventsBefore: new Date(now - eventDays * DAY_MS),
    tasksBefore: new Date(now - taskDays * DAY_MS),
  })
  if (pruned.events || pruned.tasks) {
    logger.info(`Marketplace history pruned: ${pruned.events} inbox events, ${pruned.tasks} tasks`)
  }
}

export const config = {
  name: "prune-marketplace-history",
  schedule: "50 4 * * *",
}
