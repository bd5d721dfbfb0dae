import type { MarketplaceProvider, OrderStatus } from "./types"

/**
 * Order statuses whose escrow is fetched on a platform that settles on completion (the default): completed
 * (settled), and in return (a refund changes the escrow; fetched again on completion anyway). A provider that
 * settles in another status says so (`settled_statuses`): see `escrowStatusesOf`.
 */
export const ESCROW_STATUSES: OrderStatus[] = ["completed", "in_return"]

/**
 * The order statuses whose escrow is fetched for a provider: those it settles in (`settled_statuses`,
 * `completed` by default) and `in_return`.
 */
export function escrowStatusesOf(provider: Pick<MarketplaceProvider, "settled_statuses">): OrderStatus[] {
  return [...new Set<OrderStatus>([...(provider.settled_statuses ?? ["completed"]), "in_return"])]
}

/** The statuses in which a provider's orders are settled (escrow expected), `in_return` aside. */
export function settledStatusesOf(provider: Pick<MarketplaceProvider, "settled_statuses">): OrderStatus[] {
  return [...(provider.settled_statuses ?? ["completed"])]
}
