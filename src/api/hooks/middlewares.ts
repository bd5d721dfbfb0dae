import type { MiddlewareRoute } from "@medusajs/framework/http"

/**
 * No body parser on webhooks: the route reads the raw bytes itself (signatures are computed over the exact
 * bytes, whatever the content type), capped at 1 MB, and parses only what it verified.
 */
export const marketplaceHookMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/hooks/marketplace/:platform",
    bodyParser: false,
  },
]
