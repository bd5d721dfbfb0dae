import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { AdminGetStatsParams } from "./stats/validators"
import { AdminGetAnalyticsParams, AdminRefreshAnalytics } from "./analytics/validators"

/** What the admin screens read beyond the CRUD routes: the monitor's stats and the order panel. */
export const adminScreensMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/marketplace/stats",
    middlewares: [validateAndTransformQuery(AdminGetStatsParams, {})],
  },
  // --- analytics (channel comparison) ---
  {
    method: ["GET"],
    matcher: "/admin/marketplace/analytics",
    middlewares: [validateAndTransformQuery(AdminGetAnalyticsParams, {})],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/analytics/export",
    middlewares: [validateAndTransformQuery(AdminGetAnalyticsParams, {})],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/analytics/refresh",
    middlewares: [validateAndTransformBody(AdminRefreshAnalytics)],
  },
  // --- end analytics ---
  {
    method: ["GET"],
    matcher: "/admin/marketplace/orders/:order_id",
    middlewares: [validateAndTransformQuery(z.strictObject({}), {})],
  },
]
