import type { IncomingMessage, ServerResponse } from "http"
import type { Socket } from "net"
import type { ApiAnswer, ApiRoute } from "./api"
import type { ShopeeSandboxCore } from "./core"
import { paramError, RATE_LIMIT_MESSAGE, ShopeeApiError } from "./errors"
import { overRateLimit, takeFault } from "./faults"
import { verifyCommonParams } from "./gateway"
import { maskedBody, maskedQuery, parseJson, readBody, sendJson, sendRaw } from "./http-io"
import { API_ROUTES } from "./routes/index"
import { randomHex32 } from "./signing"
import type { FaultKind } from "./types"

const ROUTES_BY_PATH = new Map<string, ApiRoute[]>()
for (const route of API_ROUTES) {
  ROUTES_BY_PATH.set(route.path, [...(ROUTES_BY_PATH.get(route.path) ?? []), route])
}

/** shop_id of a call for faults and the call log: query for shop APIs, body for token APIs. */
function callShopId(query: URLSearchParams, body: unknown): number | null {
  const fromQuery = query.get("shop_id")
  if (fromQuery && /^\d+$/.test(fromQuery)) return Number(fromQuery)
  if (typeof body === "object" && body !== null && "shop_id" in body) {
    const value = (body as { shop_id: unknown }).shop_id
    if (typeof value === "number") return value
  }
  return null
}

/**
 * One /api/v2 call: route lookup, injected faults, common-parameter checks, the steady rate
 * limit, then the handler. Every call, failed or not, lands in the call log.
 */
export async function handleApiCall(
  core: ShopeeSandboxCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  heldSockets: Set<Socket>
): Promise<void> {
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
  const shopId = callShopId(url.searchParams, body)
  const requestId = randomHex32()
  let status = 200
  let error = ""

  const record = (): void => {
    state.calls.push({
      id: state.nextSeq(),
      time: started,
      method,
      path,
      query: maskedQuery(url.searchParams),
      body: maskedBody(body),
      shop_id: shopId,
      status,
      error,
      duration_ms: state.nowMs() - started,
    })
  }

  const fault = takeFault(state, path, shopId)
  if (fault) {
    error = fault
    status = applyFault(fault, res, requestId, heldSockets, state.config.faultTimeoutMs)
    record()
    return
  }

  if (state.config.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, state.config.latencyMs))
  }

  try {
    const candidates = ROUTES_BY_PATH.get(path)
    if (!candidates) {
      throw new ShopeeApiError(404, "error_param", "Permission denied. This API is currently offline or the request path is incorrect.")
    }
    const route = candidates.find((r) => r.method === method)
    if (!route) throw paramError(`Wrong HTTP method: ${path} takes ${candidates.map((r) => r.method).join(" or ")}.`)
    const shop = verifyCommonParams(state, path, url.searchParams, route.type)
    if (route.type === "shop" && overRateLimit(state, shopId)) {
      throw new ShopeeApiError(429, "error_rate_limit", RATE_LIMIT_MESSAGE)
    }
    if (badJson) throw paramError("The request body is not a valid json format")
    if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
      throw paramError("The request body is not a valid json format")
    }
    const answer: ApiAnswer = await route.handle(
      { method, path, query: url.searchParams, body: (body ?? {}) as Record<string, unknown>, shop },
      core
    )
    if (answer.kind === "raw") {
      sendRaw(res, 200, answer.contentType, answer.body)
    } else {
      sendJson(res, 200, { request_id: requestId, error: "", message: "", ...answer.fields })
    }
  } catch (err) {
    if (err instanceof ShopeeApiError) {
      status = err.status
      error = err.error
      sendJson(res, err.status, { request_id: requestId, error: err.error, message: err.message, ...err.extra })
    } else {
      status = 500
      error = "error_server"
      core.logger.error?.(`shopee sandbox: ${path} failed: ${err instanceof Error ? err.stack : String(err)}`)
      sendJson(res, 500, { request_id: requestId, error: "error_server", message: "System error. Please try again later." })
    }
  }
  record()
}

/** Answer (or do not answer) the way the injected fault says; returns the HTTP status used. */
function applyFault(kind: FaultKind, res: ServerResponse, requestId: string, heldSockets: Set<Socket>, timeoutMs: number): number {
  switch (kind) {
    case "rate_limit":
      sendJson(res, 429, { request_id: requestId, error: "error_rate_limit", message: RATE_LIMIT_MESSAGE })
      return 429
    case "server_error":
      sendJson(res, 500, { request_id: requestId, error: "error_server", message: "System error. Please try again later." })
      return 500
    case "http_500":
      // A bare gateway failure, not a Shopee envelope: clients must cope with non-JSON bodies.
      sendRaw(res, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>")
      return 500
    case "http_503":
      sendRaw(res, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
      return 503
    case "timeout": {
      // Never answer; drop the connection after a while (or when the sandbox closes).
      const socket = res.socket
      if (socket) {
        heldSockets.add(socket)
        const timer = setTimeout(() => socket.destroy(), timeoutMs)
        socket.once("close", () => {
          clearTimeout(timer)
          heldSockets.delete(socket)
        })
      }
      return 0
    }
  }
}
