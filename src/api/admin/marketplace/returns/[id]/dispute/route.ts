import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { checkDisputeReason } from "../../../../../../providers/vocabulary"
import { actOnReturn } from "../../helpers"
import type { AdminDisputeReturnType } from "../../validators"

/**
 * POST /admin/marketplace/returns/:id/dispute { reason, text? }: the seller disputes the return on the
 * marketplace. The reason is checked against the provider's `vocabulary.dispute_reasons` first.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminDisputeReturnType>, res: MedusaResponse) => {
  const { reason, text } = req.validatedBody
  res.json(
    await actOnReturn(req.scope, req.params.id, "dispute", (provider, session, externalId) => {
      checkDisputeReason(provider, reason)
      return provider.disputeReturn(session, externalId, { reason, text })
    })
  )
}
