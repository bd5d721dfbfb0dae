import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { errorMessage } from "../lib/errors"
import { drainMissedEvents } from "../orchestration/inbox/missed-events"
import { isPullDue, runScheduledPull } from "../orchestration/orders/order-pull"

/**
 * Incremental pull: every active connection whose pull interval has elapsed lists the orders updated since
 * its cursor and imports them; then each platform's missed pushes are drained into the inbox.
 */
export default async function pullMarketplaceOrdersJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const connections = await marketplace.listConnections({ status: "active" })
  for (const connection of connections.filter((c) => isPullDue(c) && marketplace.hasProvider(c.platform))) {
    await runScheduledPull(container, connection.id).catch((e) =>
      logger.warn(`Marketplace pull of connection ${connection.id} failed: ${errorMessage(e)}`)
    )
  }
  for (const { id } of marketplace.listProviders()) {
    await drainMissedEvents(container, id).catch((e) =>
      logger.warn(`Draining missed ${id} pushes failed: ${errorMessage(e)}`)
    )
  }
}

export const config = {
  name: "pull-marketplace-orders",
  schedule: "* * * * *",
}
