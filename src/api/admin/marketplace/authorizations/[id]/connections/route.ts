import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import { connectGrantShopsWorkflow } from "../../../../../../workflows/oauth/workflows/connect-grant-shops"
import { defaultConnectionFields } from "../../../connections/query-config"
import type { AdminConnectGrantShopsType } from "../../../oauth/validators"
import { fetchAuthorization } from "../../helpers"

/**
 * POST /admin/marketplace/authorizations/:id/connections { shop_ids } -> { connections, authorization }:
 * connects the shops of a grant the merchant chose (a shop connected before keeps its connection).
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminConnectGrantShopsType>,
  res: MedusaResponse
) => {
  const { result } = await connectGrantShopsWorkflow(req.scope).run({
    input: { authorization_id: req.params.id, shop_ids: req.validatedBody.shop_ids },
  })
  const { data: connections } = await refetchEntities({
    entity: "connection",
    idOrFilter: { id: result.connections.map((c) => c.id) },
    scope: req.scope,
    fields: defaultConnectionFields,
  })
  const created = result.connections.some((c) => c.created)
  res.status(created ? 201 : 200).json({
    connections,
    authorization: await fetchAuthorization(req.scope, req.params.id),
  })
}
