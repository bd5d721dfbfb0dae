import type { MiddlewareRoute } from "@medusajs/framework/http"

/** Webhooks keep their raw body (signatures are computed over the exact bytes) and are capped at 1 MB. */
export const marketplaceHookMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/hooks/marketplace/:platform",
    bodyParser: { preserveRawBody: true, sizeLimit: "1mb" },
  },
]
