import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requeueTaskWorkflow } from "../../../../../../workflows/tasks/workflows/requeue-task"

/** POST /admin/marketplace/tasks/:id/confirm: send a price change the guard held. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await requeueTaskWorkflow(req.scope).run({ input: { id: req.params.id, mode: "confirm" } })
  res.json({ task: result })
}
