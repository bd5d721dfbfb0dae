import type { ShopeeSandbox } from "./server"
import type { OrderStatus } from "./types"

/**
 * A gentle stream of activity for demos: about `perMinute` events a minute, each either a new
 * order or one order moving to its next status (paid, shipped, delivered, completed, sometimes
 * cancelled). Every change is pushed like any other.
 */
export function startOrderFlow(sandbox: ShopeeSandbox, shopId: number, perMinute: number): () => void {
  const random = sandbox.core.state.random
  const tick = (): void => {
    try {
      const open = [...sandbox.core.state.orders.values()].filter(
        (o) => o.shop_id === shopId && !["COMPLETED", "CANCELLED"].includes(o.order_status)
      )
      if (open.length < 3 || random.chance(0.4)) {
        sandbox.createOrders(shopId, { status: random.chance(0.5) ? "UNPAID" : "READY_TO_SHIP" })
        return
      }
      const order = random.pick(open)
      // A few unpaid orders time out and a few buyers cancel before shipping, as in real shops.
      let next: OrderStatus | undefined
      if (order.order_status === "UNPAID" && random.chance(0.15)) next = "CANCELLED"
      else if (order.order_status === "READY_TO_SHIP" && random.chance(0.05)) next = "IN_CANCEL"
      sandbox.advanceOrder(order.order_sn, next)
    } catch (err) {
      // Out of stock and similar: skip this tick, the next one tries again.
      sandbox.core.logger.warn?.(`shopee sandbox flow: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const timer = setInterval(tick, Math.max(250, Math.round(60000 / perMinute)))
  return () => clearInterval(timer)
}
