import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { MARKETPLACE_MODULE } from "../../../../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_UNAVAILABLE } from "../../../../../../lib/errors"
import { connectShopWorkflow } from "../../../../../../workflows/oauth/workflows/connect-shop"
import type { AuthorizeGrantStepOutput as ConnectShopWorkflowOutput } from "../../../../../../workflows/oauth/steps/authorize-grant"
import { fetchAuthorization } from "../../../authorizations/helpers"
import { defaultConnectionFields } from "../../../connections/query-config"
import type { AdminFinishAuthorizationType } from "../../validators"

/**
 * POST /admin/marketplace/oauth/:platform/callback with the marketplace's query parameters as received ->
 * `{ connection, authorization }`. A grant of one shop connects it (201 new, 200 reconnected); a grant of
 * several answers 200 with `connection: null` and `authorization.shops`, for the merchant to choose
 * (POST /admin/marketplace/authorizations/:id/connections).
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminFinishAuthorizationType>,
  res: MedusaResponse
) => {
  const platform = req.params.platform
  const provider = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).getProvider(platform)

  const params = req.validatedBody
  const state = provider.extractState?.(params) ?? params.state ?? null
  if (!state) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "The marketplace's answer has no state: start the connection again")
  }
  let result: ConnectShopWorkflowOutput
  try {
    ;({ result } = await connectShopWorkflow(req.scope).run({
      input: { platform, user_id: req.auth_context.actor_id, params: { ...params, state } },
    }))
  } catch (error) {
    // The marketplace failed while exchanging the code: a 502 with its words (not an opaque 500), which the
    // admin's OAuth page shows. Its refusals are already 400s.
    if ((error as { code?: string })?.code === MARKETPLACE_UNAVAILABLE) {
      res.status(502).json({ type: "marketplace_unavailable", message: (error as Error).message })
      return
    }
    throw error
  }
  const authorization = await fetchAuthorization(req.scope, result.authorization_id)
  const single = result.shops.length === 1 ? result.connections[0] : undefined
  if (!single) {
    res.status(200).json({ connection: null, authorization })
    return
  }
  const connection = await refetchEntity({
    entity: "connection",
    idOrFilter: single.id,
    scope: req.scope,
    fields: defaultConnectionFields,
  })
  res.status(single.created ? 201 : 200).json({ connection, authorization })
}
