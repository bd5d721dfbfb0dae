import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MARKETPLACE_MODULE } from "../../../../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../../../../modules/marketplace/services/marketplace-module-service"
import { startAuthorizationWorkflow } from "../../../../../../workflows/oauth/workflows/start-authorization"
import type { AdminStartAuthorizationType } from "../../validators"

/** POST /admin/marketplace/oauth/:platform/authorize -> { url, expires_at } */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminStartAuthorizationType>,
  res: MedusaResponse
) => {
  const platform = req.params.platform
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  marketplace.getProvider(platform) // 404 for a platform that is not configured

  const origin = marketplace.getPublicUrl() ?? `${req.protocol}://${req.get("host")}`
  const redirect_url =
    req.validatedBody.redirect_url ?? `${origin.replace(/\/$/, "")}/app/marketplaces/oauth/${platform}`

  const { result } = await startAuthorizationWorkflow(req.scope).run({
    input: { platform, user_id: req.auth_context.actor_id, redirect_url },
  })
  res.json(result)
}
