import type { ShopeeSandboxCore } from "./core"
import type { SandboxShop } from "./types"

/** What a route handler sees: the parsed request, and for shop APIs the authenticated shop. */
export interface ApiRequest {
  method: string
  path: string
  query: URLSearchParams
  body: Record<string, unknown>
  shop: SandboxShop | null
}

/**
 * A JSON answer's fields go next to `request_id`, `error: ""` and `message: ""`: most APIs put
 * their data under `response`, a few (token APIs, get_shop_info) at the top level, as documented.
 */
export type ApiAnswer =
  | { kind: "json"; fields: Record<string, unknown> }
  | { kind: "raw"; contentType: string; body: Buffer }

export interface ApiRoute {
  method: "GET" | "POST"
  path: string
  /** "public": partner_id + path + timestamp signature; "shop": also access_token + shop_id. */
  type: "public" | "shop"
  handle(req: ApiRequest, core: ShopeeSandboxCore): ApiAnswer | Promise<ApiAnswer>
}

export function ok(response?: unknown, warning?: unknown): ApiAnswer {
  const fields: Record<string, unknown> = {}
  if (warning !== undefined) fields.warning = warning
  if (response !== undefined) fields.response = response
  return { kind: "json", fields }
}

export function okTop(fields: Record<string, unknown>): ApiAnswer {
  return { kind: "json", fields }
}

/** The authenticated shop of a shop API call (the gateway guarantees it is there). */
export function shopOf(req: ApiRequest): SandboxShop {
  if (!req.shop) {
    throw new Error(`${req.path} is a shop API but no shop was authenticated`)
  }
  return req.shop
}
