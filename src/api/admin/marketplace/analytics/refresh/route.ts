import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type MarketplaceModuleService from "../../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../../modules/marketplace/types"
import { refreshAnalyticsWorkflow } from "../../../../../workflows/analytics/workflows/refresh-analytics"
import type { AdminRefreshAnalyticsType } from "../validators"

/**
 * POST /admin/marketplace/analytics/refresh { from, to, connection_id? }: computes the analytics of those UTC
 * days again from the orders (every shop by default) -> { refreshed: { days } } (shop-days computed).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRefreshAnalyticsType>, res: MedusaResponse) => {
  const body = req.validatedBody
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connections = await marketplace.listConnections(body.connection_id?.length ? { id: body.connection_id } : {}, {
    select: ["id"],
  })
  const { result } = await refreshAnalyticsWorkflow(req.scope).run({
    input: { connection_ids: connections.map((c) => c.id), from: body.from, to: body.to },
  })
  res.json({ refreshed: result })
}
