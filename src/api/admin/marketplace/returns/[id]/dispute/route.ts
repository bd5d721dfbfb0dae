import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actOnReturn } from "../../helpers"
import type { AdminDisputeReturnType } from "../../validators"

/** POST /admin/marketplace/returns/:id/dispute { reason, text? }: the seller disputes the return on the marketplace. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminDisputeReturnType>, res: MedusaResponse) => {
  const { reason, text } = req.validatedBody
  res.json(
    await actOnReturn(req.scope, req.params.id, "dispute", (provider, session, externalId) =>
      provider.disputeReturn(session, externalId, { reason, text })
    )
  )
}
