import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../lib/errors"
import { releaseLock, tryAcquireLock } from "../lib/locks"
import { refreshStaleAnalytics } from "../orchestration/analytics/stale-analytics"

/**
 * Every minute: the analytics days marked stale by imports, escrow and returns are computed again, each once
 * for all its changes. One process at a time does it (the others skip that minute); the analytics routes
 * also compute the days they read before reading them.
 */
export default async function refreshMarketplaceAnalyticsJob(container: MedusaContainer) {
  const lock = await tryAcquireLock(container, "marketplace:analytics:refresh", 600)
  if (!lock) return
  try {
    await refreshStaleAnalytics(container)
  } catch (error) {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Marketplace analytics refresh failed: ${errorMessage(error)}`)
  } finally {
    await releaseLock(container, lock)
  }
}

export const config = {
  name: "refresh-marketplace-analytics",
  schedule: "* * * * *",
}
