import type { MarketplaceOrder, MarketplacePackage, OrderStatus } from "./types"

/** Order statuses whose parcels have left: their packages get the carrier's tracking number once assigned. */
export const PARCEL_LEFT_STATUSES: OrderStatus[] = ["shipped", "delivered", "completed", "in_return"]

/**
 * The packages of an order whose tracking number is still to be read: those of a parcel that left, with a
 * package id and no number yet (what `fillTrackingNumbers` looks up).
 *
 * @example
 * packagesAwaitingTracking(order).length // 1 for a shipped single-parcel order read with { tracking: false }
 */
export function packagesAwaitingTracking(order: MarketplaceOrder): MarketplacePackage[] {
  if (!PARCEL_LEFT_STATUSES.includes(order.status)) return []
  return order.packages.filter((p) => !p.tracking_number && p.external_id)
}
