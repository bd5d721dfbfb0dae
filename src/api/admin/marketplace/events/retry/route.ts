import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryEventsWorkflow } from "../../../../../workflows/inbox/workflows/retry-events"
import type { AdminRetryEventsType } from "../validators"

/** POST /admin/marketplace/events/retry { ids? | status?, connection_id? }: retries many at once. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRetryEventsType>, res: MedusaResponse) => {
  const { result } = await retryEventsWorkflow(req.scope).run({ input: { ...req.validatedBody, strict: false } })
  res.status(202).json(result)
}
