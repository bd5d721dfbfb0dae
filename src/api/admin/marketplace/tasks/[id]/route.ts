import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/** GET /admin/marketplace/tasks/:id */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const task = await refetchEntity({ entity: "task", idOrFilter: req.params.id, scope: req.scope, fields: req.queryConfig.fields })
  if (!task) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Task with id: ${req.params.id} was not found`)
  }
  res.json({ task })
}
