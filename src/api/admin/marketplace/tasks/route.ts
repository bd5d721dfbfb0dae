import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import type { AdminGetTasksParamsType } from "./validators"

/** GET /admin/marketplace/tasks: the outbox (pushes waiting, sent, failed, dead, held). */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetTasksParamsType>, res: MedusaResponse) => {
  const { data: tasks, metadata } = await refetchEntities({
    entity: "task",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ tasks, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
