import type { StatusTable } from "../kit/lifecycle"
import type { OrderStatus, ReturnStatus } from "./types"

/** Shopee's order and return statuses as the kit's lifecycle engine walks them. */

/** Path from UNPAID of an order that goes the whole way. */
const FORWARD_PATH: readonly OrderStatus[] = ["UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"]

export const ORDER_STATUS_TABLE: StatusTable<OrderStatus> = {
  // The natural next status, as a buyer, the seller and the 3PL would move an order.
  next: {
    UNPAID: "READY_TO_SHIP",
    READY_TO_SHIP: "PROCESSED",
    PROCESSED: "SHIPPED",
    RETRY_SHIP: "PROCESSED",
    SHIPPED: "TO_CONFIRM_RECEIVE",
    TO_CONFIRM_RECEIVE: "COMPLETED",
    IN_CANCEL: "CANCELLED",
    TO_RETURN: "COMPLETED",
  },
  pathTo(target) {
    if (FORWARD_PATH.includes(target)) return FORWARD_PATH.slice(1, FORWARD_PATH.indexOf(target) + 1)
    switch (target) {
      case "RETRY_SHIP":
        return ["READY_TO_SHIP", "PROCESSED", "RETRY_SHIP"]
      case "IN_CANCEL":
        return ["READY_TO_SHIP", "IN_CANCEL"]
      case "CANCELLED":
        return ["CANCELLED"]
      case "TO_RETURN":
        return [...FORWARD_PATH.slice(1, 5), "TO_RETURN"]
      default:
        return []
    }
  },
  terminal: ["COMPLETED", "CANCELLED"],
}

/** Seconds between the silent steps of an order created directly in a later status. */
export function orderStepSeconds(status: OrderStatus): number {
  return status === "READY_TO_SHIP" ? 120 : 3600
}

export const RETURN_STATUS_TABLE: StatusTable<ReturnStatus> = {
  next: {
    REQUESTED: "PROCESSING",
    PROCESSING: "ACCEPTED",
    ACCEPTED: "CLOSED",
    SELLER_DISPUTE: "JUDGING",
    JUDGING: "CLOSED",
  },
  // Returns always start REQUESTED and are moved live from there.
  pathTo: () => [],
  terminal: ["CANCELLED", "CLOSED"],
}

/** Statuses a demo flow starts new orders in (COD orders skip UNPAID on their own). */
export const ORDER_FLOW_START: readonly OrderStatus[] = ["UNPAID", "READY_TO_SHIP"]

/** The flow's occasional side roads: unpaid orders time out, a few buyers cancel before shipping. */
export const ORDER_FLOW_DETOURS: readonly { from: OrderStatus; to: OrderStatus; chance: number }[] = [
  { from: "UNPAID", to: "CANCELLED", chance: 0.15 },
  { from: "READY_TO_SHIP", to: "IN_CANCEL", chance: 0.05 },
]
