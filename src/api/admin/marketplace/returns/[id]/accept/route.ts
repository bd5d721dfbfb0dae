import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actOnReturn } from "../../helpers"
import type { AdminAcceptReturnType } from "../../validators"

/** POST /admin/marketplace/returns/:id/accept: the seller accepts the return / refund on the marketplace. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminAcceptReturnType>, res: MedusaResponse) => {
  res.json(await actOnReturn(req.scope, req.params.id, "accept", (provider, session, externalId) => provider.acceptReturn(session, externalId)))
}
