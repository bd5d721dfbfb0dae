import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { toCsv } from "../../../../../lib/csv"
import { analyticsFor, type AnalyticsView } from "../channels"
import type { AdminGetAnalyticsParamsType } from "../validators"

const FIGURES = [
  "orders",
  "cancellations",
  "cancellation_rate",
  "returns",
  "return_rate",
  "gross_sales",
  "refunds",
  "average_order_value",
  "fee_total",
  "net_payout",
  "settled_orders",
] as const

/** One row per shop and day, then one per shop (`date` = "total"); fee kinds as `fee_<kind>` columns. */
export function analyticsCsv(view: AnalyticsView): string {
  const kinds = [...new Set(view.channels.flatMap((c) => Object.keys(c.fees)))].sort()
  const header = ["date", "platform", "shop", "shop_id", "connection_id", "currency_code", ...FIGURES, ...kinds.map((k) => `fee_${k}`)]
  const rows = view.channels.flatMap((c) => {
    const shop = [c.platform, c.name ?? "", c.external_shop_id, c.connection_id, c.currency_code ?? ""]
    const line = (date: string, figures: (typeof c)["totals"], fees: Record<string, number>) => [
      date,
      ...shop,
      ...FIGURES.map((f) => figures[f]),
      ...kinds.map((k) => fees[k] ?? 0),
    ]
    return [...c.series.map((d) => line(d.date, d, d.fees)), line("total", c.totals, c.fees)]
  })
  return toCsv(header, rows)
}

/** GET /admin/marketplace/analytics/export?...: the analytics of the same query, as a CSV download. */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAnalyticsParamsType>, res: MedusaResponse) => {
  const query = req.validatedQuery as AdminGetAnalyticsParamsType
  const view = await analyticsFor(req.scope, query)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="marketplace-analytics-${query.from}-${query.to}.csv"`)
  res.status(200).send(analyticsCsv(view))
}
