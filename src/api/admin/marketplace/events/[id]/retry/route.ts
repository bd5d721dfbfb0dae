import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryEventsWorkflow } from "../../../../../../workflows/inbox/workflows/retry-events"

/** POST /admin/marketplace/events/:id/retry: processes a failed or dead event again, now. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await retryEventsWorkflow(req.scope).run({ input: { ids: [req.params.id], strict: true } })
  res.status(202).json(result)
}
