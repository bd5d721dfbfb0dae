import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { reconcileListingsWorkflow } from "../../../../../../../workflows/listings/workflows/reconcile-listings"

/** POST /admin/marketplace/connections/:id/listings/reconcile: compare the shop with Medusa, push the differences. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await reconcileListingsWorkflow(req.scope).run({ input: { connection_id: req.params.id } })
  res.json({ summary: result })
}
