import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { marketplaceFulfillmentRegistration } from "../../../../lib/fulfillment-registration"

/**
 * GET /admin/marketplace/providers: the platforms this store has configured, for "Connect shop", each with its
 * vocabulary (cancel reasons, ship methods and their inputs, dispute reasons, return solutions, fee kinds); those
 * listed but left out for missing options (`unconfigured`, with the environment variables to set); and whether
 * the plugin's fulfillment provider is registered (`fulfillment`).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const providers = marketplace.listProviders()
  const unconfigured = marketplace.listUnconfiguredProviders()
  const fulfillment = await marketplaceFulfillmentRegistration(req.scope)
  res.json({ providers, count: providers.length, unconfigured, fulfillment })
}
