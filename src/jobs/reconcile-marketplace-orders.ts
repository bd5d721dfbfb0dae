import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { errorMessage } from "../lib/errors"
import { runScheduledReconciliation } from "../orchestration/reconciliation/reconciliation-schedule"

/** Daily: a reconciliation report per active connection over the last days, replacing yesterday's. */
export default async function reconcileMarketplaceOrdersJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const connections = await marketplace.listConnections({ status: "active" }, { select: ["id", "platform"] })
  for (const connection of connections.filter((c) => marketplace.hasProvider(c.platform))) {
    await runScheduledReconciliation(container, connection.id).catch((e) =>
      logger.warn(`Reconciliation of connection ${connection.id} failed: ${errorMessage(e)}`)
    )
  }
}

export const config = {
  name: "reconcile-marketplace-orders",
  schedule: "40 3 * * *",
}
