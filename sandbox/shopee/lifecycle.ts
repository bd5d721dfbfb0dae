import { newTrackingNumber } from "./generate"
import { roundMoney, sumMoney } from "./money"
import { PUSH_CODES, type PushSender } from "./push"
import type { SandboxState } from "./state"
import type { OrderStatus, ReturnStatus, SandboxOrder, SandboxReturn } from "./types"

/**
 * Order and return state machines. Every change bumps update_time (strictly increasing, so an
 * importer's "older state never overwrites newer" rule can be tested even within one second) and
 * sends the matching push.
 */

/** The natural next status, as a buyer, the seller and the 3PL would move an order. */
const NEXT_ORDER_STATUS: Partial<Record<OrderStatus, OrderStatus>> = {
  UNPAID: "READY_TO_SHIP",
  READY_TO_SHIP: "PROCESSED",
  PROCESSED: "SHIPPED",
  RETRY_SHIP: "PROCESSED",
  SHIPPED: "TO_CONFIRM_RECEIVE",
  TO_CONFIRM_RECEIVE: "COMPLETED",
  IN_CANCEL: "CANCELLED",
  TO_RETURN: "COMPLETED",
}

/** Path from UNPAID used to build an order created directly in a later status. */
const FORWARD_PATH: OrderStatus[] = ["UNPAID", "READY_TO_SHIP", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"]

export function nextOrderStatus(status: OrderStatus): OrderStatus | undefined {
  return NEXT_ORDER_STATUS[status]
}

function bump(current: number, now: number): number {
  return Math.max(now, current + 1)
}

/** Field changes that come with entering `status` at time `t`. */
function enterStatus(state: SandboxState, order: SandboxOrder, status: OrderStatus, t: number, reason?: string): void {
  const previous = order.order_status
  order.order_status = status
  switch (status) {
    case "READY_TO_SHIP":
      order.pay_time ??= t
      order.ship_by_date = (order.pay_time ?? t) + order.days_to_ship * 86400
      order.logistics_status = "LOGISTICS_READY"
      break
    case "PROCESSED":
      order.pay_time ??= t
      order.logistics_status = "LOGISTICS_REQUEST_CREATED"
      if (!order.tracking_number) {
        order.tracking_number = newTrackingNumber(state, order.region)
        order.tracking_empty_calls_left = state.config.trackingNumberEmptyCalls
      }
      break
    case "RETRY_SHIP":
      order.logistics_status = "LOGISTICS_PICKUP_RETRY"
      break
    case "SHIPPED":
      order.pay_time ??= t
      if (!order.tracking_number) order.tracking_number = newTrackingNumber(state, order.region)
      // Once the parcel is with the 3PL the tracking number is no longer withheld.
      order.tracking_empty_calls_left = 0
      order.pickup_done_time = t
      order.logistics_status = "LOGISTICS_PICKUP_DONE"
      break
    case "TO_CONFIRM_RECEIVE":
    case "COMPLETED":
      order.logistics_status = "LOGISTICS_DELIVERY_DONE"
      break
    case "IN_CANCEL":
      order.buyer_cancel_reason ||= reason ?? "Need to change delivery address"
      break
    case "CANCELLED":
      order.cancel_by ||= previous === "IN_CANCEL" ? "buyer" : previous === "UNPAID" ? "system" : "seller"
      order.cancel_reason ||= reason ?? (previous === "UNPAID" ? "Unpaid Order" : "Out of Stock")
      order.logistics_status = previous === "PROCESSED" ? "LOGISTICS_REQUEST_CANCELED" : "LOGISTICS_INVALID"
      restock(state, order)
      break
    default:
      break
  }
}

/** A cancelled order gives its units back to the listings, as on Shopee. */
function restock(state: SandboxState, order: SandboxOrder): void {
  for (const line of order.lines) {
    const model = state.items.get(line.item_id)?.models.find((m) => m.model_id === line.model_id)
    if (model) model.stock += line.quantity
  }
}

/** Move an order to `status` now, bump update_time and push code 3 (and 4 when tracking shows). */
export function changeOrderStatus(state: SandboxState, push: PushSender, order: SandboxOrder, status: OrderStatus, reason?: string): void {
  const t = bump(order.update_time, state.nowSec())
  enterStatus(state, order, status, t, reason)
  order.update_time = t
  push.send(PUSH_CODES.ORDER_STATUS, order.shop_id, {
    items: [],
    ordersn: order.order_sn,
    status,
    completed_scenario: "",
    update_time: t,
  })
  if (status === "SHIPPED") {
    announceTracking(push, order)
  }
}

/** Push code 4 once, when the tracking number first becomes visible to the seller. */
export function announceTracking(push: PushSender, order: SandboxOrder): void {
  if (order.tracking_pushed || !order.tracking_number) return
  order.tracking_pushed = true
  push.send(PUSH_CODES.TRACKING_NUMBER, order.shop_id, {
    ordersn: order.order_sn,
    package_number: order.package_number,
    tracking_no: order.tracking_number,
  })
}

/**
 * Bring a freshly generated UNPAID order to the requested starting status without pushes for the
 * intermediate steps (they happened "before" the order was seen), spacing the timestamps.
 */
export function settleNewOrder(state: SandboxState, order: SandboxOrder, target: OrderStatus): void {
  // Steps are spaced after create_time but never later than "now" (or create_time if that is ahead).
  const cap = Math.max(state.nowSec(), order.create_time)
  let t = order.create_time
  const step = (status: OrderStatus): void => {
    t = Math.min(cap, t + (status === "READY_TO_SHIP" ? 120 : 3600))
    enterStatus(state, order, status, t)
    order.update_time = t
  }
  // COD orders skip UNPAID: they are ready to ship as soon as they pass COD screening.
  if (order.cod && target === "UNPAID") target = "READY_TO_SHIP"
  if (FORWARD_PATH.includes(target)) {
    for (const status of FORWARD_PATH.slice(1, FORWARD_PATH.indexOf(target) + 1)) step(status)
  } else if (target === "RETRY_SHIP") {
    step("READY_TO_SHIP")
    step("PROCESSED")
    step("RETRY_SHIP")
  } else if (target === "IN_CANCEL") {
    step("READY_TO_SHIP")
    step("IN_CANCEL")
  } else if (target === "CANCELLED") {
    step("CANCELLED")
  } else if (target === "TO_RETURN") {
    for (const status of FORWARD_PATH.slice(1, 5)) step(status)
    step("TO_RETURN")
  }
  if (order.order_status !== "UNPAID") {
    order.tracking_empty_calls_left = order.order_status === "PROCESSED" ? order.tracking_empty_calls_left : 0
    order.tracking_pushed = order.order_status !== "PROCESSED" && !!order.tracking_number
  }
}

// ---------------------------------------------------------------------------------------------
// Returns

const NEXT_RETURN_STATUS: Partial<Record<ReturnStatus, ReturnStatus>> = {
  REQUESTED: "PROCESSING",
  PROCESSING: "ACCEPTED",
  ACCEPTED: "CLOSED",
  SELLER_DISPUTE: "JUDGING",
  JUDGING: "CLOSED",
}

export function nextReturnStatus(status: ReturnStatus): ReturnStatus | undefined {
  return NEXT_RETURN_STATUS[status]
}

/** Move a return, bump update_time, push code 29; an accepted refund lowers the order's escrow. */
export function changeReturnStatus(state: SandboxState, push: PushSender, ret: SandboxReturn, status: ReturnStatus): void {
  const previous = ret.status
  const t = bump(ret.update_time, state.nowSec())
  ret.status = status
  ret.update_time = t
  const order = state.orders.get(ret.order_sn)
  if (order && status === "ACCEPTED" && previous !== "ACCEPTED") {
    order.seller_return_refund = roundMoney(order.seller_return_refund - ret.refund_amount, order.currency)
    order.update_time = bump(order.update_time, state.nowSec())
  }
  push.send(PUSH_CODES.RETURN_UPDATE, ret.shop_id, {
    order_sn: ret.order_sn,
    return_sn: ret.return_sn,
    updated_values: [{ update_field: "status", old_value: previous, new_value: status }],
    update_time: t,
  })
}

/** Refund for the returned lines: their share of what the buyer paid for goods. */
export function refundForLines(order: SandboxOrder, lines: { item_id: number; model_id: number; amount: number }[]): number {
  return sumMoney(
    lines.map((l) => {
      const line = order.lines.find((o) => o.item_id === l.item_id && o.model_id === l.model_id)
      return line ? line.discounted_price * l.amount : 0
    }),
    order.currency
  )
}
