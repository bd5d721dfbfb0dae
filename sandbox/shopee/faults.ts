import type { SandboxState } from "./state"
import type { Fault, FaultKind } from "./types"

/**
 * Fault injection ("the next N matching calls fail this way") and an optional steady rate limit
 * (calls per second per shop). Shopee publishes no numeric limit (MARKETPLACE-APIS.md), so the
 * limit is whatever the test or benchmark sets.
 */
export function takeFault(state: SandboxState, path: string, shopId: number | null): FaultKind | undefined {
  const fault = state.faults.find(
    (f) => f.remaining > 0 && (f.path === undefined || f.path === path) && (f.shop_id === undefined || f.shop_id === shopId)
  )
  if (!fault) return undefined
  fault.remaining -= 1
  state.faults = state.faults.filter((f) => f.remaining > 0)
  return fault.kind
}

export function addFault(state: SandboxState, input: Omit<Fault, "id" | "remaining"> & { count: number }): Fault {
  const fault: Fault = { id: state.nextSeq(), path: input.path, shop_id: input.shop_id, kind: input.kind, remaining: input.count }
  state.faults.push(fault)
  return fault
}

/** True when this call goes over the steady per-shop limit for the current second. */
export function overRateLimit(state: SandboxState, shopId: number | null): boolean {
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
