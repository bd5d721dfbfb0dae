import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MARKETPLACE_MODULE } from "../../../../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../../../../modules/marketplace/services/marketplace-module-service"
import { connectShopWorkflow } from "../../../../../../workflows/oauth/workflows/connect-shop"
import { defaultConnectionFields } from "../../../connections/query-config"
import type { AdminFinishAuthorizationType } from "../../validators"

/** POST /admin/marketplace/oauth/:platform/callback { state, code, ... } -> { connection } */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminFinishAuthorizationType>,
  res: MedusaResponse
) => {
  const platform = req.params.platform
  req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).getProvider(platform)

  const { params: extra, ...known } = req.validatedBody
  const params = Object.fromEntries(
    Object.entries({ ...extra, ...known }).filter((entry): entry is [string, string] => entry[1] !== undefined)
  ) as Record<string, string> & { state: string }
  const { result } = await connectShopWorkflow(req.scope).run({
    input: { platform, user_id: req.auth_context.actor_id, params },
  })
  const connection = await refetchEntity({
    entity: "connection",
    idOrFilter: result.connection_id,
    scope: req.scope,
    fields: defaultConnectionFields,
  })
  res.status(result.created ? 201 : 200).json({ connection })
}
