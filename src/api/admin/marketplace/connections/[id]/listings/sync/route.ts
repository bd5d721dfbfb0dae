import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { syncListingsWorkflow } from "../../../../../../../workflows/listings/workflows/sync-listings"

/** POST /admin/marketplace/connections/:id/listings/sync: pull the shop's items and match them by SKU. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await syncListingsWorkflow(req.scope).run({ input: { connection_id: req.params.id } })
  res.json({ summary: result })
}
