import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { syncConnectionEscrow } from "../orchestration/escrow/escrow-sync"
import { errorMessage } from "../lib/errors"

/**
 * Hourly: every active connection fetches the escrow of its completed orders that lack it or were completed
 * within the refetch window (MARKETPLACE_ESCROW_REFETCH_DAYS), in platform batches.
 */
export default async function syncMarketplaceEscrowJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const connections = await marketplace.listConnections({ status: "active" }, { select: ["id", "platform"] })
  for (const connection of connections.filter((c) => marketplace.hasProvider(c.platform))) {
    await syncConnectionEscrow(container, connection.id).catch((e) =>
      logger.warn(`Escrow sync of connection ${connection.id} failed: ${errorMessage(e)}`)
    )
  }
}

export const config = {
  name: "sync-marketplace-escrow",
  schedule: "17 * * * *",
}
