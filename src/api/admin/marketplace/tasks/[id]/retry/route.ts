import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requeueTaskWorkflow } from "../../../../../../workflows/tasks/workflows/requeue-task"

/** POST /admin/marketplace/tasks/:id/retry: send a failed or dead push again now. */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const { result } = await requeueTaskWorkflow(req.scope).run({ input: { id: req.params.id, mode: "retry" } })
  res.json({ task: result })
}
