import type { SandboxCore } from "./core"
import type { PlatformApiError } from "./errors"
import type { ShopKey } from "./types"

/** What a control route answers: JSON, or a redirect for an OAuth confirm step. */
export interface ControlAnswer {
  status: number
  body?: unknown
  /** For an OAuth confirm step, which answers a redirect. */
  location?: string
}

export interface ControlRequest {
  params: string[]
  body: unknown
  query: URLSearchParams
}

export interface ControlRoute<Core = SandboxCore> {
  method: string
  pattern: RegExp
  handle(req: ControlRequest, core: Core): ControlAnswer | Promise<ControlAnswer>
}


/**
 * What a platform plugs into the kit. The kit runs the HTTP server, reads and logs every call, injects
 * faults, applies the steady rate limit, serves the generic control API and delivers pushes; the
 * platform brings what only it knows: its gateway (signatures, timestamps, tokens), its error shapes,
 * its API routes and payload views, its control routes (shops, listings, orders, returns) and its
 * push envelope, signature and re-delivery schedule (see PushProfile).
 */
export interface SandboxPlatform<Core extends SandboxCore = SandboxCore, Principal = unknown, Auth extends string = string> {
  /** The value of `--platform`, e.g. "shopee". */
  id: string
  /** Human name, e.g. "Shopee Open Platform v2". */
  title: string
  /** Every API path starts with it, e.g. "/api/v2/"; everything else under /sandbox is the control API. */
  apiPrefix: string
  /**
   * Further path roots served by the API door, for a platform whose API spans several roots or hosts (an auth
   * host beside the API host, a seller-facing authorization page); the sandbox serves them all on one port.
   */
  extraApiPrefixes?: readonly string[]
  routes: readonly ApiRoute<Core, Principal, Auth>[]
  gateway: PlatformGateway<Core, Principal, Auth>
  errors: PlatformErrors
  envelope: PlatformEnvelope
  /** The platform's control routes; the kit adds its own (calls, pushes, faults, rate limit, reset). */
  control: readonly ControlRoute<Core>[]
  /** One line per platform control route, for GET /sandbox and the CLI banner. */
  controlSummary: readonly string[]
  /** Query and body parameters masked in the call log (signatures, tokens, codes). */
  secretParams: readonly string[]
  /** Extra fields of GET /sandbox, e.g. the partner id. */
  describe?(core: Core): Record<string, unknown>
}

/** What a route handler sees: the parsed request and, for authenticated routes, who is calling. */
export interface ApiRequest<Principal = unknown> {
  method: string
  path: string
  query: URLSearchParams
  body: Record<string, unknown>
  /** The authenticated shop (or seller), null for public routes. */
  shop: Principal | null
  /** The captures of the route's `pattern`, for a path with parameters (empty otherwise). */
  params?: string[]
}

/**
 * A JSON answer's fields go into the platform's success envelope (Shopee: next to `request_id`,
 * `error: ""` and `message: ""`); a raw answer (HTML page, PDF) is sent as it is.
 */
export type ApiAnswer =
  | { kind: "json"; fields: Record<string, unknown> }
  | { kind: "raw"; contentType: string; body: Buffer }

export interface ApiRoute<Core = SandboxCore, Principal = unknown, Auth extends string = string> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  path: string
  /**
   * For a path with parameters (`/products/{product_id}/inventory/update`): the whole path must match it, and its
   * captures reach the handler as `params`. `path` then only names the route (in messages and the summary).
   */
  pattern?: RegExp
  /** The platform's kind of authentication, e.g. "public" or "shop"; the gateway interprets it. */
  type: Auth
  handle(req: ApiRequest<Principal>, core: Core): ApiAnswer | Promise<ApiAnswer>
}

/** The request as received, for gateways that sign the raw body or read headers (a token header). */
export interface RawApiRequest {
  /** Lower-cased header names, as node gives them. */
  headers: Record<string, string | string[] | undefined>
  /** The body exactly as received ("" when there is none). */
  body: string
}

export interface PlatformGateway<Core, Principal, Auth extends string> {
  /**
   * The platform's common checks, in the order its gateway makes them (parameters, partner or app key,
   * timestamp, signature, token). Throws a PlatformApiError; returns the principal of an authenticated route.
   */
  authenticate(
    core: Core,
    route: ApiRoute<Core, Principal, Auth>,
    path: string,
    query: URLSearchParams,
    body: unknown,
    raw: RawApiRequest
  ): Principal | null
  /** Whether calls of this route count against the steady per-shop rate limit. */
  rateLimited(route: ApiRoute<Core, Principal, Auth>): boolean
  /** The shop a call is about (for faults, the rate limit and the call log), read before any check. */
  scopeOf(query: URLSearchParams, body: unknown): ShopKey | null
}

/** The platform's answers to failures the kit detects before or around a route. */
export interface PlatformErrors {
  unknownPath(path: string): PlatformApiError
  wrongMethod(path: string, methods: readonly string[]): PlatformApiError
  /** A body that is not a JSON object. */
  badBody(): PlatformApiError
  rateLimited(): PlatformApiError
  serverError(): PlatformApiError
  /** The app lacks the permission for this one API (the token is fine). */
  permissionDenied(): PlatformApiError
  /** The platform restricts this API for the shop (the token is fine). */
  apiRestricted(): PlatformApiError
}

export interface PlatformEnvelope {
  /** A new request id (platforms echo one in every answer). */
  requestId(): string
  ok(requestId: string, fields: Record<string, unknown>): unknown
  error(requestId: string, error: PlatformApiError): unknown
}
