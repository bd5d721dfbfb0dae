import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchAuthorization } from "../helpers"

/** GET /admin/marketplace/authorizations/:id: a grant and the shops it covers; never a token. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json({ authorization: await fetchAuthorization(req.scope, req.params.id) })
}
