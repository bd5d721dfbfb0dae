import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retrieveReturnLink } from "../helpers"

/** GET /admin/marketplace/returns/:id: one marketplace return with its lines and its Medusa return. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ return: await retrieveReturnLink(req.scope, req.params.id, req.queryConfig.fields) })
}
