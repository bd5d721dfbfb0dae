import type { DriverCall, DriverOperation, SandboxDriver } from "../platforms"

/** How many orders the core reads settlement for at once (its escrow batch, `limits.escrow_batch`, 50 everywhere). */
export const ESCROW_BATCH = 50

/** The operations that read orders; the shop's calls without an operation are counted with them. */
const READS: DriverOperation[] = ["list_orders", "get_order", "get_settlement"]

/**
 * The fewest read calls the platform's batch limits allow for an import (a backfill) of `orders` orders,
 * `parcels` of them shipped or further and `settled` in the final status (`driver.finalStatus`): see the header
 * of bench/import.ts for the formula and its terms per platform.
 *
 * @example
 * minImportCalls(driver, { orders: 300, parcels: 75, settled: 45 }) // 13 on Shopee
 */
export function minImportCalls(driver: SandboxDriver, { orders, parcels, settled }: { orders: number; parcels: number; settled: number }): number {
  const { list_page_size, detail_batch, tracking_batch, list_carries_detail } = driver.orderApi
  const { orders_per_call, other_calls_per_batch, other_calls_per_order = 0 } = driver.settlementApi
  let settlement = 0
  for (let left = settled; left > 0; left -= ESCROW_BATCH) settlement += Math.ceil(Math.min(left, ESCROW_BATCH) / orders_per_call)
  const others = tracking_batch
    ? other_calls_per_batch * Math.ceil(parcels / tracking_batch)
    : other_calls_per_batch * Math.ceil(settled / ESCROW_BATCH)
  // A backfill reads the range's returns too: one page of the return list, the range holding none.
  const returnPages = 1
  // A per-order detail call is not needed where the list page already carried the order's detail.
  const perOrder = list_carries_detail ? 0 : other_calls_per_order
  return Math.ceil(orders / list_page_size) + Math.ceil(orders / detail_batch) + orders * perOrder + settlement + others + returnPages
}

/** What a call is, for a breakdown: its operation, else the platform's path. */
export const callName = (c: DriverCall) => c.operation ?? String((c.raw as { path?: string }).path ?? "?")

/**
 * The shop's read calls the sandbox received since its last `resetCalls` (what `minImportCalls` bounds): orders,
 * their parcels and their settlement by operation, and the shop calls the driver names no operation for
 * (tracking numbers, statements, per-order detail, the return list); with every shop call by name (stock pushes
 * included), for messages.
 */
export function importReadCalls(driver: SandboxDriver): { count: number; byName: Map<string, number> } {
  const shopCalls = driver.calls().filter((c) => c.shop_id !== null)
  const count = shopCalls.filter((c) => c.operation === null || READS.includes(c.operation)).length
  const byName = new Map<string, number>()
  for (const c of shopCalls) byName.set(callName(c), (byName.get(callName(c)) ?? 0) + 1)
  return { count, byName }
}
