import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { listConnectionsQueryConfig, retrieveConnectionQueryConfig } from "./connections/query-config"
import {
  AdminGetConnectionParams,
  AdminGetConnectionsParams,
  AdminUpdateConnection,
} from "./connections/validators"
import { listEventsQueryConfig, retrieveEventQueryConfig } from "./events/query-config"
import { AdminGetEventParams, AdminGetEventsParams, AdminRetryEvents } from "./events/validators"
import { AdminConnectGrantShops, AdminFinishAuthorization, AdminStartAuthorization } from "./oauth/validators"
import { listSyncRunsQueryConfig, retrieveSyncRunQueryConfig } from "./sync-runs/query-config"
import { AdminGetSyncRunParams, AdminGetSyncRunsParams, AdminStartSync } from "./sync-runs/validators"

export const adminMarketplaceMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/marketplace/connections/:id/sync",
    middlewares: [validateAndTransformBody(AdminStartSync)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/sync-runs",
    middlewares: [validateAndTransformQuery(AdminGetSyncRunsParams, listSyncRunsQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/sync-runs/:id",
    middlewares: [validateAndTransformQuery(AdminGetSyncRunParams, retrieveSyncRunQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/events",
    middlewares: [validateAndTransformQuery(AdminGetEventsParams, listEventsQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/events/:id",
    middlewares: [validateAndTransformQuery(AdminGetEventParams, retrieveEventQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/events/retry",
    middlewares: [validateAndTransformBody(AdminRetryEvents)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/connections",
    middlewares: [validateAndTransformQuery(AdminGetConnectionsParams, listConnectionsQueryConfig)],
  },
  {
    method: ["GET", "DELETE"],
    matcher: "/admin/marketplace/connections/:id",
    middlewares: [validateAndTransformQuery(AdminGetConnectionParams, retrieveConnectionQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/oauth/:platform/authorize",
    middlewares: [validateAndTransformBody(AdminStartAuthorization)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/oauth/:platform/callback",
    middlewares: [validateAndTransformBody(AdminFinishAuthorization)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/authorizations/:id/connections",
    middlewares: [validateAndTransformBody(AdminConnectGrantShops)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/connections/:id",
    middlewares: [
      validateAndTransformBody(AdminUpdateConnection),
      validateAndTransformQuery(AdminGetConnectionParams, retrieveConnectionQueryConfig),
    ],
  },
]
