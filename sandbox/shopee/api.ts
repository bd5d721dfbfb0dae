import type { ApiAnswer, ApiRequest as KitApiRequest, ApiRoute as KitApiRoute } from "../kit/platform"
import type { ShopeeSandboxCore } from "./core"
import type { SandboxShop } from "./types"

/** A route handler's request: `shop` is the authenticated shop of a shop API. */
export type ApiRequest = KitApiRequest<SandboxShop>

/** "public": partner_id + path + timestamp signature; "shop": also access_token + shop_id. */
export type ApiRoute = KitApiRoute<ShopeeSandboxCore, SandboxShop, "public" | "shop">

/**
 * Most APIs put their data under `response`, a few (token APIs, get_shop_info) at the top level, as
 * documented; the envelope adds `request_id`, `error: ""` and `message: ""`.
 */
export type { ApiAnswer }

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
