import { ok, shopOf, type ApiRequest, type ApiRoute } from "../api"
import type { ShopeeSandboxCore } from "../core"
import { businessError, wrongParam } from "../errors"
import { changeReturnStatus } from "../lifecycle"
import { maskName } from "../generate"
import { bodyInt, bodyString, FIFTEEN_DAYS_SECONDS, queryInt, queryString } from "../params"
import { RETURN_STATUSES, type ReturnStatus, type SandboxReturn } from "../types"

/** v2.returns.get_return_list, get_return_detail, confirm, dispute. */

function returnListView(ret: SandboxReturn): Record<string, unknown> {
  return {
    image: [],
    reason: ret.reason,
    text_reason: ret.text_reason,
    return_sn: ret.return_sn,
    refund_amount: ret.refund_amount,
    currency: ret.currency,
    create_time: ret.create_time,
    update_time: ret.update_time,
    status: ret.status,
    due_date: ret.due_date,
    tracking_number: ret.tracking_number,
    dispute_reason: ret.dispute_reason,
    dispute_text_reason: ret.dispute_text_reason,
    needs_logistics: ret.needs_logistics,
    amount_before_discount: ret.amount_before_discount,
    user: { username: ret.buyer_username, email: `${maskName(ret.buyer_username)}@example.com`, portrait: "" },
    item: ret.lines.map((l) => ({
      model_id: l.model_id,
      name: l.name,
      images: [],
      amount: l.amount,
      item_price: l.item_price,
      is_add_on_deal: false,
      is_main_item: false,
      add_on_deal_id: 0,
      item_id: l.item_id,
      item_sku: l.item_sku,
      variation_sku: l.variation_sku,
      refund_amount: l.refund_amount,
    })),
    order_sn: ret.order_sn,
    return_ship_due_date: ret.create_time + 7 * 86400,
    return_seller_due_date: ret.create_time + 10 * 86400,
    negotiation_status: ret.status === "REQUESTED" ? "PENDING_RESPOND" : "TERMINATED",
    seller_proof_status: ret.status === "SELLER_DISPUTE" || ret.status === "JUDGING" ? "PENDING" : "NOT_NEEDED",
    seller_compensation_status: "NOT_REQUIRED",
    return_refund_type: ret.return_refund_type,
    // Documented: 0 = Return and Refund, 1 = Refund Only.
    return_solution: ret.solution === "RETURN_REFUND" ? 0 : 1,
    is_seller_arrange: false,
    is_shipping_proof_mandatory: false,
    return_refund_request_type: 0,
    validation_type: "seller_validation",
  }
}

function returnDetailView(ret: SandboxReturn): Record<string, unknown> {
  return {
    ...returnListView(ret),
    buyer_videos: [],
    activity: [],
    seller_proof: { seller_proof_status: "NOT_NEEDED", seller_evidence_deadline: 0 },
    seller_compensation: { seller_compensation_status: "NOT_REQUIRED", seller_compensation_due_date: 0, compensation_amount: 0 },
    negotiation: {
      negotiation_status: ret.status === "REQUESTED" ? "PENDING_RESPOND" : "TERMINATED",
      latest_solution: ret.solution,
      latest_offer_amount: ret.refund_amount,
      latest_offer_creator: ret.buyer_username,
      counter_limit: 0,
      offer_due_date: ret.due_date,
    },
    logistics_status: ret.tracking_number ? "LOGISTICS_REQUEST_CREATED" : "LOGISTICS_NOT_START",
    return_pickup_address: {},
    return_address: { whs_id: "" },
    has_uploaded_shipping_proof: false,
    is_reverse_logistics_channel_integrated: ret.needs_logistics,
    reverse_logistics_channel_name: ret.needs_logistics ? "SPX Return" : "",
  }
}

/** An optional [from, to] window of at most 15 days. */
function timeWindow(req: ApiRequest, prefix: string): [number, number] | undefined {
  const from = queryInt(req.query, `${prefix}_from`)
  const to = queryInt(req.query, `${prefix}_to`)
  if (from === undefined && to === undefined) return undefined
  if (from === undefined || to === undefined) throw wrongParam(`${prefix}_from and ${prefix}_to go together`)
  if (from > to || to - from > FIFTEEN_DAYS_SECONDS) {
    throw wrongParam(`${prefix}_from and ${prefix}_to should be at most 15 days apart`)
  }
  return [from, to]
}

export const getReturnList: ApiRoute = {
  method: "GET",
  path: "/api/v2/returns/get_return_list",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    // Documented "Default is 0": page_no counts pages from 0.
    const pageNo = queryInt(req.query, "page_no", true)
    const pageSize = queryInt(req.query, "page_size", true)
    if (pageNo < 0) throw wrongParam("page_no should be >= 0")
    if (pageSize < 1 || pageSize > 100) throw wrongParam("page_size should be between 1 and 100")
    const created = timeWindow(req, "create_time")
    const updated = timeWindow(req, "update_time")
    const status = queryString(req.query, "status")
    if (status !== undefined && !(RETURN_STATUSES as readonly string[]).includes(status)) throw wrongParam("status is invalid")
    const matching = [...core.state.returns.values()]
      .filter((r) => r.shop_id === shop.shop_id)
      .filter((r) => !created || (r.create_time >= created[0] && r.create_time <= created[1]))
      .filter((r) => !updated || (r.update_time >= updated[0] && r.update_time <= updated[1]))
      .filter((r) => status === undefined || r.status === status)
      .sort((a, b) => b.update_time - a.update_time || (a.return_sn < b.return_sn ? 1 : -1))
    const start = pageNo * pageSize
    return ok({
      more: start + pageSize < matching.length,
      return: matching.slice(start, start + pageSize).map(returnListView),
    })
  },
}

function shopReturn(req: ApiRequest, core: ShopeeSandboxCore, returnSn: string): SandboxReturn {
  const ret = core.state.returns.get(returnSn)
  if (!ret || ret.shop_id !== shopOf(req).shop_id) throw wrongParam(`return_sn ${returnSn} is not found`)
  return ret
}

export const getReturnDetail: ApiRoute = {
  method: "GET",
  path: "/api/v2/returns/get_return_detail",
  type: "shop",
  handle(req, core) {
    return ok(returnDetailView(shopReturn(req, core, queryString(req.query, "return_sn", true))))
  },
}

/** The seller accepts the refund. */
export const confirmReturn: ApiRoute = {
  method: "POST",
  path: "/api/v2/returns/confirm",
  type: "shop",
  handle(req, core) {
    const ret = shopReturn(req, core, bodyString(req.body, "return_sn", true))
    const allowed: ReturnStatus[] = ["REQUESTED", "PROCESSING", "SELLER_DISPUTE", "JUDGING"]
    if (!allowed.includes(ret.status)) throw businessError("error_param", `Return status ${ret.status} does not allow confirm.`)
    changeReturnStatus(core.state, core.push, ret, "ACCEPTED")
    return ok({ return_sn: ret.return_sn })
  },
}

/** "Support to raise dispute when return_status in REQUESTED / PROCESSING / ACCEPTED." */
export const disputeReturn: ApiRoute = {
  method: "POST",
  path: "/api/v2/returns/dispute",
  type: "shop",
  handle(req, core) {
    const ret = shopReturn(req, core, bodyString(req.body, "return_sn", true))
    bodyString(req.body, "email", true)
    const reasonId = bodyInt(req.body, "dispute_reason_id", true)
    const text = bodyString(req.body, "dispute_text_reason")
    if (!["REQUESTED", "PROCESSING", "ACCEPTED"].includes(ret.status)) {
      throw businessError("returnsn.illegal", "Return status does not allow initiating a dispute case（From dispute side）")
    }
    ret.dispute_reason = [reasonId]
    ret.dispute_text_reason = text ? [text] : []
    changeReturnStatus(core.state, core.push, ret, "SELLER_DISPUTE")
    return ok({ return_sn: ret.return_sn, msg: "dispute return success" })
  },
}
