import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { resolveMarketplaceSettings } from "../modules/marketplace/options"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { reconcileListingsWorkflow } from "../workflows/listings/workflows/reconcile-listings"

/** Daily full comparison of every active shop with Medusa: only the differences are pushed. */
export default async function reconcileMarketplaceStockJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connections = await marketplace.listConnections({ status: "active" }, { select: ["id"] })
  for (const connection of connections) {
    try {
      await reconcileListingsWorkflow(container).run({ input: { connection_id: connection.id } })
    } catch (error) {
      logger.warn(`Marketplace reconcile of connection ${connection.id} failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

export const config = {
  name: "reconcile-marketplace-stock",
  // Medusa reads a job's schedule when the file loads, before any module exists: so this one setting comes
  // from its environment variable (MARKETPLACE_RECONCILE_SCHEDULE) through the options loader, not from the module.
  schedule: resolveMarketplaceSettings().reconcileSchedule,
}
