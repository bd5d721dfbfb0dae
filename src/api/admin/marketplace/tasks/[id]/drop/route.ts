import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { dropHeldTaskWorkflow } from "../../../../../../workflows/tasks/workflows/drop-held-task"

/** POST /admin/marketplace/tasks/:id/drop: drop a price change the guard held (never sent). */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await dropHeldTaskWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ task: result })
}
