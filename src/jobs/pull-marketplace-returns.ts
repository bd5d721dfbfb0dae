import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { errorMessage } from "../lib/errors"
import { isReturnPullDue, RETURNS_STREAM, runScheduledReturnPull } from "../orchestration/returns/return-pull"

/**
 * Incremental pull of returns and refunds: every active connection whose pull interval has elapsed lists
 * the returns updated since its returns cursor and imports them (the safety net under push code 29).
 */
export default async function pullMarketplaceReturnsJob(container: MedusaContainer) {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const connections = (await marketplace.listConnections({ status: "active" })).filter((c) => marketplace.hasProvider(c.platform))
  if (!connections.length) return
  const cursors = await marketplace.listCursors({ connection_id: connections.map((c) => c.id), stream: RETURNS_STREAM })
  for (const connection of connections) {
    const cursor = cursors.find((c) => c.connection_id === connection.id) ?? null
    if (!isReturnPullDue(connection, cursor)) continue
    await runScheduledReturnPull(container, connection.id).catch((e) =>
      logger.warn(`Marketplace returns pull of connection ${connection.id} failed: ${errorMessage(e)}`)
    )
  }
}

export const config = {
  name: "pull-marketplace-returns",
  schedule: "* * * * *",
}
