import type { ServerResponse } from "http"
import type { Socket } from "net"
import type { SandboxStore } from "./state"
import type { Fault, FaultKind, ShopKey } from "./types"

/**
 * Fault injection ("the next N matching calls fail this way") and an optional steady rate limit
 * (calls per second per shop). Platforms rarely publish numeric limits, so the limit is whatever the
 * test or benchmark sets.
 */
/**
 * Whether a fault's path names this call's path: the same path, or a template whose `{name}` segments stand for
 * any one segment (`/products/{product_id}/inventory/update`), for APIs with ids in the path.
 */
export function faultPathMatches(faultPath: string, path: string): boolean {
  if (faultPath === path) return true
  if (!faultPath.includes("{")) return false
  const want = faultPath.split("/")
  const got = path.split("/")
  return want.length === got.length && want.every((segment, i) => /^\{[^/{}]+\}$/.test(segment) || segment === got[i])
}

export function takeFault(state: SandboxStore, path: string, shopId: ShopKey | null): Fault | undefined {
  const fault = state.faults.find(
    (f) => f.remaining > 0 && (f.path === undefined || faultPathMatches(f.path, path)) && (f.shop_id === undefined || f.shop_id === shopId)
  )
  if (!fault) return undefined
  if (fault.pass) {
    fault.pass -= 1
    return undefined
  }
  fault.remaining -= 1
  state.faults = state.faults.filter((f) => f.remaining > 0)
  return fault
}

export interface FaultInput {
  path?: string
  shop_id?: ShopKey
  kind: FaultKind
  count: number
  /** Let this many matching calls through first. */
  after?: number
  retry_after?: number
}

export function addFault(state: SandboxStore, input: FaultInput): Fault {
  if (input.retry_after !== undefined && input.kind === "timeout") {
    throw new RangeError("A timeout fault never answers, so it cannot carry Retry-After")
  }
  const fault: Fault = { id: state.nextSeq(), path: input.path, shop_id: input.shop_id, kind: input.kind, remaining: input.count }
  if (input.retry_after !== undefined) fault.retry_after = input.retry_after
  if (input.after) fault.pass = input.after
  state.faults.push(fault)
  return fault
}

/** True when this call goes over the steady per-shop limit for the current second. */
export function overRateLimit(state: SandboxStore, shopId: ShopKey | null): boolean {
  const limit = state.rateLimitPerSecond
  if (limit === null || shopId === null) return false
  const second = Math.floor(state.nowMs() / 1000)
  const key = `${shopId}:${second}`
  const used = (state.rateWindows.get(key) ?? 0) + 1
  state.rateWindows.set(key, used)
  // Drop old windows so a long benchmark does not grow the map without bound.
  if (state.rateWindows.size > 1000) {
    for (const k of state.rateWindows.keys()) {
      if (!k.endsWith(`:${second}`)) state.rateWindows.delete(k)
    }
  }
  return used > limit
}

/** Headers of a faulty answer: Retry-After when the fault asks for one. */
export function faultHeaders(fault: Fault): Record<string, string> {
  return fault.retry_after === undefined ? {} : { "Retry-After": String(fault.retry_after) }
}

/**
 * Leaves the connection open without an answer and drops it after `timeoutMs` (or when the sandbox
 * closes), as a gateway that swallowed the request would.
 */
export function holdConnection(res: ServerResponse, heldSockets: Set<Socket>, timeoutMs: number): void {
  const socket = res.socket
  if (!socket) return
  heldSockets.add(socket)
  const timer = setTimeout(() => socket.destroy(), timeoutMs)
  socket.once("close", () => {
    clearTimeout(timer)
    heldSockets.delete(socket)
  })
}
