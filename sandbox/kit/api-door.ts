import type { IncomingMessage, ServerResponse } from "http"
import type { Socket } from "net"
import type { SandboxCore } from "./core"
import { PlatformApiError } from "./errors"
import { faultHeaders, holdConnection, overRateLimit, takeFault } from "./faults"
import { maskedBody, maskedQuery, parseJson, readBody, sendJson, sendRaw } from "./http-io"
import type { ApiAnswer, ApiRoute, SandboxPlatform } from "./platform"
import type { Fault } from "./types"

/**
 * The platform API door: route lookup, injected faults, the platform's gateway checks, the steady
 * rate limit, then the handler. Every call, failed or not, lands in the call log.
 */
export function apiDoor<Core extends SandboxCore, P, A extends string>(
  platform: SandboxPlatform<Core, P, A>,
  core: Core,
  heldSockets: Set<Socket>
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const routesByPath = new Map<string, ApiRoute<Core, P, A>[]>()
  const patternRoutes: ApiRoute<Core, P, A>[] = []
  for (const route of platform.routes) {
    if (route.pattern) {
      patternRoutes.push(route)
      continue
    }
    routesByPath.set(route.path, [...(routesByPath.get(route.path) ?? []), route])
  }
  const lookup = (path: string): { candidates: ApiRoute<Core, P, A>[]; params: string[] } | undefined => {
    const exact = routesByPath.get(path)
    if (exact) return { candidates: exact, params: [] }
    for (const route of patternRoutes) {
      const match = route.pattern?.exec(path)
      if (match) return { candidates: patternRoutes.filter((r) => r.pattern?.source === route.pattern?.source), params: match.slice(1) }
    }
    return undefined
  }
  const secrets = new Set(platform.secretParams)
  const sendError = (res: ServerResponse, requestId: string, err: PlatformApiError, headers: Record<string, string> = {}): void =>
    sendJson(res, err.status, platform.envelope.error(requestId, err), headers)

  return async (req, res, url) => {
    const state = core.state
    const started = state.nowMs()
    const path = url.pathname
    const method = req.method ?? "GET"
    const raw = await readBody(req)
    let body: unknown
    let badJson = false
    try {
      body = parseJson(raw)
    } catch {
      badJson = true
      body = raw
    }
    const shopId = platform.gateway.scopeOf(url.searchParams, body)
    const requestId = platform.envelope.requestId()
    let status = 200
    let error = ""

    const record = (): void => {
      state.calls.push({
        id: state.nextSeq(),
        time: started,
        method,
        path,
        query: maskedQuery(url.searchParams, secrets),
        body: maskedBody(body, secrets),
        shop_id: shopId,
        status,
        error,
        duration_ms: state.nowMs() - started,
      })
    }

    const fault = takeFault(state, path, shopId)
    if (fault) {
      error = fault.kind
      status = answerFault(fault)
      record()
      return
    }

    if (state.config.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, state.config.latencyMs))
    }

    try {
      const found = lookup(path)
      if (!found) throw platform.errors.unknownPath(path)
      const candidates = found.candidates
      const route = candidates.find((r) => r.method === method)
      if (!route) throw platform.errors.wrongMethod(path, candidates.map((r) => r.method))
      const shop = platform.gateway.authenticate(core, route, path, url.searchParams, body, { headers: req.headers, body: raw })
      if (platform.gateway.rateLimited(route) && overRateLimit(state, shopId)) throw platform.errors.rateLimited()
      if (badJson || (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body)))) {
        throw platform.errors.badBody()
      }
      const answer: ApiAnswer = await route.handle(
        { method, path, query: url.searchParams, body: (body ?? {}) as Record<string, unknown>, shop, params: found.params },
        core
      )
      if (answer.kind === "raw") sendRaw(res, 200, answer.contentType, answer.body)
      else sendJson(res, 200, platform.envelope.ok(requestId, answer.fields))
    } catch (err) {
      const known = err instanceof PlatformApiError ? err : platform.errors.serverError()
      if (!(err instanceof PlatformApiError)) {
        core.logger.error?.(`${platform.id} sandbox: ${path} failed: ${err instanceof Error ? err.stack : String(err)}`)
      }
      status = known.status
      error = known.code
      sendError(res, requestId, known)
    }
    record()

    /** Answer (or do not answer) the way the injected fault says; returns the HTTP status used. */
    function answerFault(f: Fault): number {
      const headers = faultHeaders(f)
      switch (f.kind) {
        case "rate_limit": {
          const err = platform.errors.rateLimited()
          sendError(res, requestId, err, headers)
          return err.status
        }
        case "server_error": {
          const err = platform.errors.serverError()
          sendError(res, requestId, err, headers)
          return err.status
        }
        case "permission_denied":
        case "api_restricted": {
          const err = f.kind === "permission_denied" ? platform.errors.permissionDenied() : platform.errors.apiRestricted()
          sendError(res, requestId, err, headers)
          return err.status
        }
        case "http_500":
          // A bare gateway failure, not the platform's envelope: clients must cope with non-JSON bodies.
          sendRaw(res, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>", headers)
          return 500
        case "http_503":
          sendRaw(res, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", headers)
          return 503
        case "timeout":
          holdConnection(res, heldSockets, state.config.faultTimeoutMs)
          return 0
      }
    }
  }
}
