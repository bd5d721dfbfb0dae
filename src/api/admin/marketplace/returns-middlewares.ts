import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { listReturnLinksQueryConfig, retrieveReturnLinkQueryConfig } from "./returns/query-config"
import { AdminAcceptReturn, AdminDisputeReturn, AdminGetReturnLinkParams, AdminGetReturnLinksParams } from "./returns/validators"

/** Marketplace returns: list, retrieve, accept and dispute on the marketplace. */
export const returnsMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/admin/marketplace/returns",
    middlewares: [validateAndTransformQuery(AdminGetReturnLinksParams, listReturnLinksQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/marketplace/returns/:id",
    middlewares: [validateAndTransformQuery(AdminGetReturnLinkParams, retrieveReturnLinkQueryConfig)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/returns/:id/accept",
    middlewares: [validateAndTransformBody(AdminAcceptReturn)],
  },
  {
    method: ["POST"],
    matcher: "/admin/marketplace/returns/:id/dispute",
    middlewares: [validateAndTransformBody(AdminDisputeReturn)],
  },
]
