import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { analyticsFor } from "./channels"
import type { AdminGetAnalyticsParamsType } from "./validators"

/**
 * GET /admin/marketplace/analytics?from=&to=&connection_id[]=&platform[]=&granularity=day: per shop and per UTC
 * day of the range, orders, cancellations and returns (count and rate), gross sales, refunds, average order
 * value, fees (total and by kind), net payout; the same summed per currency; and the top products.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAnalyticsParamsType>, res: MedusaResponse) => {
  res.json({ analytics: await analyticsFor(req.scope, req.validatedQuery as AdminGetAnalyticsParamsType) })
}
