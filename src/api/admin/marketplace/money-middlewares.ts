import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import {
  listReconciliationReportsQueryConfig,
  retrieveReconciliationReportQueryConfig,
} from "./reconciliation-reports/query-config"
import {
  AdminGetReconciliationReportParams,
  AdminGetReconciliationReportsParams,
  AdminReconcile,
} from "./reconciliation-reports/validators"

/** Reconciliation reports (escrow vs orders) and the monitor's stats. */
export const moneyMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/marketplace/connections/:id/reconcile",
    middlewares: [validateAndTransformBody(AdminReconcile)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/reconciliation-reports",
    middlewares: [
      validateAndTransformQuery(AdminGetReconciliationReportsParams, listReconciliationReportsQueryConfig),
    ],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/reconciliation-reports/:id",
    middlewares: [
      validateAndTransformQuery(AdminGetReconciliationReportParams, retrieveReconciliationReportQueryConfig),
    ],
  },
]
