import { Lifecycle } from "../kit/lifecycle"
import { prorate, roundMoney, sumMoney } from "../kit/money"
import type { PushDelivery } from "../kit/push"
import { newTrackingNumber } from "./generate"
import { PUSH_CODES } from "./push"
import type { SandboxState } from "./state"
import { ORDER_STATUS_TABLE, orderStepSeconds, RETURN_STATUS_TABLE } from "./status-tables"
import type { OrderStatus, ReturnStatus, SandboxOrder, SandboxReturn } from "./types"

/**
 * What entering each Shopee order and return status does (fields, restock, escrow) and which pushes
 * announce it; the kit's lifecycle engine does the moving, the status tables say where to.
 */

export function nextOrderStatus(status: OrderStatus): OrderStatus | undefined {
  return ORDER_STATUS_TABLE.next[status]
}

function bump(current: number, now: number): number {
  return Math.max(now, current + 1)
}

/** Field changes that come with entering `status` at time `t`. */
function enterStatus(state: SandboxState, order: SandboxOrder, status: OrderStatus, t: number, previous: OrderStatus, reason?: string): void {
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

/** The engine for one store's orders; every live change pushes code 3 (and 4 when tracking shows). */
function orders(state: SandboxState, push: PushDelivery): Lifecycle<OrderStatus, SandboxOrder> {
  return new Lifecycle(ORDER_STATUS_TABLE, {
    now: () => state.nowSec(),
    status: (order) => order.order_status,
    updateTime: (order) => order.update_time,
    setUpdateTime: (order, t) => {
      order.update_time = t
    },
    enter: (order, status, t, previous, reason) => enterStatus(state, order, status, t, previous, reason),
    announce: (order, status, _previous, t) => {
      push.send(PUSH_CODES.ORDER_STATUS, order.shop_id, {
        items: [],
        ordersn: order.order_sn,
        status,
        completed_scenario: "",
        update_time: t,
      })
      if (status === "SHIPPED") announceTracking(push, order)
    },
  })
}

/** Move an order to `status` now, bump update_time and push code 3 (and 4 when tracking shows). */
export function changeOrderStatus(state: SandboxState, push: PushDelivery, order: SandboxOrder, status: OrderStatus, reason?: string): void {
  orders(state, push).move(order, status, reason)
}

/** Push code 4 once, when the tracking number first becomes visible to the seller. */
export function announceTracking(push: PushDelivery, order: SandboxOrder): void {
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
export function settleNewOrder(state: SandboxState, push: PushDelivery, order: SandboxOrder, target: OrderStatus): void {
  // COD orders skip UNPAID: they are ready to ship as soon as they pass COD screening.
  orders(state, push).settle(order, order.cod && target === "UNPAID" ? "READY_TO_SHIP" : target, order.create_time, orderStepSeconds)
  if (order.order_status !== "UNPAID") {
    order.tracking_empty_calls_left = order.order_status === "PROCESSED" ? order.tracking_empty_calls_left : 0
    order.tracking_pushed = order.order_status !== "PROCESSED" && !!order.tracking_number
  }
}

// ---------------------------------------------------------------------------------------------
// Returns

export function nextReturnStatus(status: ReturnStatus): ReturnStatus | undefined {
  return RETURN_STATUS_TABLE.next[status]
}

/** Move a return, bump update_time, push code 29; an accepted refund lowers the order's escrow. */
export function changeReturnStatus(state: SandboxState, push: PushDelivery, ret: SandboxReturn, status: ReturnStatus): void {
  new Lifecycle(RETURN_STATUS_TABLE, {
    now: () => state.nowSec(),
    status: (r: SandboxReturn) => r.status,
    updateTime: (r) => r.update_time,
    setUpdateTime: (r, t) => {
      r.update_time = t
    },
    enter: (r, next, _t, previous) => {
      r.status = next
      const order = state.orders.get(r.order_sn)
      if (order && next === "ACCEPTED" && previous !== "ACCEPTED") {
        order.seller_return_refund = roundMoney(order.seller_return_refund - r.refund_amount, order.currency)
        order.update_time = bump(order.update_time, state.nowSec())
      }
    },
    announce: (r, next, previous, t) =>
      push.send(PUSH_CODES.RETURN_UPDATE, r.shop_id, {
        order_sn: r.order_sn,
        return_sn: r.return_sn,
        updated_values: [{ update_field: "status", old_value: previous, new_value: next }],
        update_time: t,
      }),
  }).move(ret, status)
}

/**
 * What the buyer paid for each order line: its discounted subtotal less its share of the coins and of Shopee's and
 * the seller's vouchers (prorated by subtotal, as the escrow detail spreads them).
 */
function paidPerLine(order: SandboxOrder): number[] {
  const c = order.currency
  const subtotals = order.lines.map((l) => roundMoney(l.discounted_price * l.quantity, c))
  const shares = [order.coins, order.voucher_from_shopee, order.voucher_from_seller].map((v) => prorate(v, subtotals, c))
  return subtotals.map((s, i) => roundMoney(s - shares[0][i] - shares[1][i] - shares[2][i], c))
}

/** Refund for `amount` units of one order line: their share of what the buyer paid for that line. */
export function refundForLine(order: SandboxOrder, l: { item_id: number; model_id: number; amount: number }): number {
  const index = order.lines.findIndex((o) => o.item_id === l.item_id && o.model_id === l.model_id)
  if (index < 0) return 0
  const line = order.lines[index]
  return roundMoney((paidPerLine(order)[index] * l.amount) / line.quantity, order.currency)
}

/** Refund for the returned lines: their share of what the buyer paid for goods (never more than was paid). */
export function refundForLines(order: SandboxOrder, lines: { item_id: number; model_id: number; amount: number }[]): number {
  return sumMoney(
    lines.map((l) => refundForLine(order, l)),
    order.currency
  )
}
