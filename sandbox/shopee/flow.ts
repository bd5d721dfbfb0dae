import { startActivityFlow } from "../kit/flow"
import type { ShopeeSandbox } from "./server"
import { ORDER_FLOW_DETOURS, ORDER_FLOW_START, ORDER_STATUS_TABLE } from "./status-tables"
import type { OrderStatus, SandboxOrder } from "./types"

/**
 * A gentle stream of activity on one shop for demos: about `perMinute` events a minute, each either a
 * new order or one order moving to its next status (paid, shipped, delivered, completed, sometimes
 * cancelled). Every change is pushed like any other.
 */
export function startOrderFlow(sandbox: ShopeeSandbox, shopId: number, perMinute: number): () => void {
  const { state, logger } = sandbox.core
  return startActivityFlow<SandboxOrder, OrderStatus>({
    perMinute,
    random: state.random,
    logger,
    label: "shopee sandbox",
    open: () => [...state.orders.values()].filter((o) => o.shop_id === shopId && !ORDER_STATUS_TABLE.terminal.includes(o.order_status)),
    status: (order) => order.order_status,
    create: () => {
      sandbox.createOrders(shopId, { status: state.random.chance(0.5) ? ORDER_FLOW_START[0] : ORDER_FLOW_START[1] })
    },
    advance: (order, to) => {
      sandbox.advanceOrder(order.order_sn, to)
    },
    detours: ORDER_FLOW_DETOURS,
  })
}
