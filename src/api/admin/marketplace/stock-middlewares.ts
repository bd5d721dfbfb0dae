import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { listingHistoryQueryConfig, listListingsQueryConfig, retrieveListingQueryConfig } from "./listings/query-config"
import {
  AdminGetListingHistoryParams,
  AdminGetListingParams,
  AdminGetListingsParams,
  AdminLinkListingsBySku,
  AdminUpdateListing,
} from "./listings/validators"
import { listTasksQueryConfig, retrieveTaskQueryConfig } from "./tasks/query-config"
import { AdminGetTaskParams, AdminGetTasksParams } from "./tasks/validators"

/** Listings (SKU matching, manual links, push history) and the outbox of stock and price pushes. */
export const stockMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/marketplace/listings",
    middlewares: [validateAndTransformQuery(AdminGetListingsParams, listListingsQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/listings/:id",
    middlewares: [validateAndTransformQuery(AdminGetListingParams, retrieveListingQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/listings/:id",
    middlewares: [
      validateAndTransformBody(AdminUpdateListing),
      validateAndTransformQuery(AdminGetListingParams, retrieveListingQueryConfig),
    ],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/listings/:id/history",
    middlewares: [validateAndTransformQuery(AdminGetListingHistoryParams, listingHistoryQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/connections/:id/listings/link",
    middlewares: [validateAndTransformBody(AdminLinkListingsBySku)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/tasks",
    middlewares: [validateAndTransformQuery(AdminGetTasksParams, listTasksQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/tasks/:id",
    middlewares: [validateAndTransformQuery(AdminGetTaskParams, retrieveTaskQueryConfig)],
  },
]
