import { ok, shopOf, type ApiRoute } from "../api"
import { businessError, orderNotFound, wrongParam } from "../errors"
import { changeOrderStatus } from "../lifecycle"
import { orderDetailView } from "../order-view"
import { asInt, asRecord, bodyArray, bodyString, FIFTEEN_DAYS_SECONDS, queryInt, queryList, queryString } from "../params"
import { CANCEL_REASONS, ORDER_STATUSES, type OrderStatus, type SandboxOrder } from "../types"

/** v2.order.get_order_list, v2.order.get_order_detail, v2.order.cancel_order. */

export const getOrderList: ApiRoute = {
  method: "GET",
  path: "/api/v2/order/get_order_list",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const field = queryString(req.query, "time_range_field", true)
    if (field !== "create_time" && field !== "update_time") {
      throw wrongParam("time_range_field should be create_time or update_time")
    }
    const from = queryInt(req.query, "time_from", true)
    const to = queryInt(req.query, "time_to", true)
    if (from > to || to - from > FIFTEEN_DAYS_SECONDS) {
      // The documented error for this API (its error_example), rather than a bare error_param.
      throw businessError("order.order_list_invalid_time", "Start time must be earlier than end time and diff in 15days.")
    }
    const pageSize = queryInt(req.query, "page_size", true)
    if (pageSize < 1 || pageSize > 100) throw wrongParam("page_size should be between 1 and 100")
    const cursorRaw = req.query.get("cursor") ?? ""
    // Clients often send cursor="" (the docs' sample does, quotes included) for the first page.
    const cursor = cursorRaw === "" || cursorRaw === '""' ? 0 : Number(cursorRaw)
    if (!Number.isInteger(cursor) || cursor < 0) throw wrongParam("cursor is invalid")
    const status = queryString(req.query, "order_status")
    if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status)) {
      throw wrongParam("order_status is invalid")
    }
    const withStatus = queryList(req.query, "response_optional_fields").includes("order_status")

    // Newest first (as the documented sample lists them), order_sn breaking ties so pages are stable.
    const matching = [...core.state.orders.values()]
      .filter((o) => o.shop_id === shop.shop_id && o[field] >= from && o[field] <= to)
      .filter((o) => status === undefined || o.order_status === status)
      .sort((a, b) => b[field] - a[field] || (a.order_sn < b.order_sn ? 1 : a.order_sn > b.order_sn ? -1 : 0))
    const page = matching.slice(cursor, cursor + pageSize)
    const more = cursor + pageSize < matching.length
    return ok({
      more,
      next_cursor: more ? String(cursor + pageSize) : "",
      order_list: page.map((o) => (withStatus ? { order_sn: o.order_sn, order_status: o.order_status } : { order_sn: o.order_sn })),
    })
  },
}

export const getOrderDetail: ApiRoute = {
  method: "GET",
  path: "/api/v2/order/get_order_detail",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const sns = queryList(req.query, "order_sn_list")
    if (sns.length === 0) throw wrongParam("order_sn_list is a required field")
    if (sns.length > 50) throw wrongParam("order_sn_list should contain 1 to 50 order_sn")
    const optional = new Set(queryList(req.query, "response_optional_fields"))
    const found: SandboxOrder[] = []
    const missing: string[] = []
    for (const sn of sns) {
      const order = core.state.orders.get(sn)
      if (order && order.shop_id === shop.shop_id) found.push(order)
      else missing.push(sn)
    }
    if (found.length === 0) throw orderNotFound()
    const warning = missing.length ? missing.map((sn) => `order_sn ${sn} is not found`) : undefined
    return ok({ order_list: found.map((o) => orderDetailView(o, optional)) }, warning)
  },
}

/** Before the parcel leaves: UNPAID, READY_TO_SHIP, PROCESSED (arranged but not picked up), RETRY_SHIP. */
const CANCELLABLE: OrderStatus[] = ["UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP"]

const CANCEL_REASON_TEXT: Record<string, string> = {
  OUT_OF_STOCK: "Out of Stock",
  CUSTOMER_REQUEST: "Customer Request",
  UNDELIVERABLE_AREA: "Undeliverable Area",
  COD_NOT_SUPPORTED: "COD Not Supported",
}

export const cancelOrder: ApiRoute = {
  method: "POST",
  path: "/api/v2/order/cancel_order",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const orderSn = bodyString(req.body, "order_sn", true)
    const reason = bodyString(req.body, "cancel_reason", true)
    if (!(CANCEL_REASONS as readonly string[]).includes(reason)) throw wrongParam("cancel_reason is invalid")
    const order = core.state.orders.get(orderSn)
    if (!order || order.shop_id !== shop.shop_id) throw orderNotFound()
    if (reason === "OUT_OF_STOCK") {
      const list = bodyArray(req.body, "item_list") ?? []
      if (list.length === 0) throw wrongParam("item_list is required when cancel_reason is OUT_OF_STOCK")
      for (const entry of list) {
        const record = asRecord(entry, "item_list")
        const itemId = asInt(record.item_id, "item_id", true)
        const modelId = asInt(record.model_id, "model_id", true)
        if (!order.lines.some((l) => l.item_id === itemId && l.model_id === modelId)) {
          throw wrongParam(`item ${itemId} model ${modelId} is not in order ${orderSn}`)
        }
      }
    }
    if (!CANCELLABLE.includes(order.order_status)) {
      throw businessError("order.error_limit", "Can not cancel this order")
    }
    order.cancel_by = "seller"
    order.cancel_reason = CANCEL_REASON_TEXT[reason]
    changeOrderStatus(core.state, core.push, order, "CANCELLED", CANCEL_REASON_TEXT[reason])
    return ok({ update_time: order.update_time })
  },
}
