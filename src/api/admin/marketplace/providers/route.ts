import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"

/**
 * GET /admin/marketplace/providers: the platforms this store has configured, for "Connect shop", each with its
 * vocabulary (cancel reasons, ship methods and their inputs, dispute reasons, return solutions, fee kinds).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const providers = marketplace.listProviders()
  res.json({ providers, count: providers.length })
}
