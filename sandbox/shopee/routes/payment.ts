import { ok, shopOf, type ApiRequest, type ApiRoute } from "../api"
import { businessError, wrongParam } from "../errors"
import { escrowDetail } from "../escrow"
import { queryList, queryString } from "../params"

/** v2.payment.get_escrow_detail and v2.payment.get_escrow_detail_batch. */

export const getEscrowDetail: ApiRoute = {
  method: "GET",
  path: "/api/v2/payment/get_escrow_detail",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const orderSn = queryString(req.query, "order_sn")
    if (!orderSn) throw businessError("error_param", "Missing order_sn. Please include a valid order_sn to get escrow details.")
    const order = core.state.orders.get(orderSn)
    if (!order || order.shop_id !== shop.shop_id) {
      throw businessError("order_not_found", "Order SN provided is invalid or does not belong to you. Please enter a valid Order SN.")
    }
    return ok(escrowDetail(order))
  },
}

/** order_sn_list from the JSON body (POST, as clients call it) or the query (the docs say GET). */
function batchOrderSns(req: ApiRequest): string[] {
  const fromBody = req.body.order_sn_list
  if (fromBody !== undefined) {
    if (!Array.isArray(fromBody) || !fromBody.every((v) => typeof v === "string")) {
      throw businessError("error_param", "order_sn_list is required, format should be string[]")
    }
    return fromBody
  }
  return queryList(req.query, "order_sn_list")
}

function batchHandler(method: "GET" | "POST"): ApiRoute {
  return {
    method,
    path: "/api/v2/payment/get_escrow_detail_batch",
    type: "shop",
    handle(req, core) {
      const shop = shopOf(req)
      const sns = batchOrderSns(req)
      if (sns.length === 0) throw businessError("error_param", "order_sn_list is required, format should be string[]")
      if (sns.length > 50) throw businessError("exceed_max_limit", "Your request exceeds the max limit of 50 orders.")
      if (new Set(sns).size !== sns.length) throw wrongParam("order_sn_list has duplicates")
      // Documented shape: response is an array of { escrow_detail }; an unknown order comes back
      // with fail_error / fail_message beside a stub escrow_detail (the docs' error_example).
      return ok(
        sns.map((sn) => {
          const order = core.state.orders.get(sn)
          if (!order || order.shop_id !== shop.shop_id) {
            return {
              escrow_detail: { order_sn: sn, return_order_sn_list: [] },
              fail_error: "order_not_found",
              fail_message: "The order info not found.",
            }
          }
          return { escrow_detail: escrowDetail(order) }
        })
      )
    },
  }
}

export const getEscrowDetailBatch: ApiRoute = batchHandler("POST")
export const getEscrowDetailBatchGet: ApiRoute = batchHandler("GET")
