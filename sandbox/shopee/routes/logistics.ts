import { ok, shopOf, type ApiRequest, type ApiRoute } from "../api"
import type { ShopeeSandboxCore } from "../core"
import { businessError, orderNotFound, wrongParam } from "../errors"
import { announceTracking, changeOrderStatus } from "../lifecycle"
import { asInt, asRecord, bodyArray, bodyString, queryString } from "../params"
import { labelPdf } from "../../kit/pdf"
import { SHIPPING_DOCUMENT_TYPES, type SandboxOrder, type SandboxShop } from "../types"

/**
 * v2.logistics: get_shipping_parameter -> ship_order -> get_tracking_number (empty at first) ->
 * create_shipping_document -> get_shipping_document_result (PROCESSING, then READY) ->
 * download_shipping_document (a PDF).
 */

/** Two pickup addresses per shop; address ids derive from the shop id so they are stable. */
function pickupAddresses(shop: SandboxShop): { address_id: number; address: string; zipcode: string; flags: string[] }[] {
  return [
    { address_id: shop.shop_id * 10 + 1, address: "10 Sandbox Warehouse Road", zipcode: "408600", flags: ["default_address", "pickup_address", "return_address"] },
    { address_id: shop.shop_id * 10 + 2, address: "2 Backup Storeroom Lane", zipcode: "408601", flags: [] },
  ]
}

/** Three daily slots, ids are the slot start as a string (opaque to clients). */
function timeSlots(now: number): { date: number; time_text: string; pickup_time_id: string; flags: string[] }[] {
  const day = Math.floor(now / 86400) * 86400
  return [1, 2, 3].map((d, i) => ({
    date: day + d * 86400,
    time_text: "09:00-18:00",
    pickup_time_id: String(day + d * 86400 + 9 * 3600),
    flags: i === 0 ? ["recommended"] : [],
  }))
}

const BRANCHES = [
  { branch_id: 101, address: "SPX Drop-off Point, 1 Jurong West Central", zipcode: "648886" },
  { branch_id: 102, address: "SPX Drop-off Point, 3 Simei Street 6", zipcode: "528833" },
]

function shopOrder(req: ApiRequest, core: ShopeeSandboxCore, orderSn: string): SandboxOrder | undefined {
  const order = core.state.orders.get(orderSn)
  return order && order.shop_id === shopOf(req).shop_id ? order : undefined
}

const READY: SandboxOrder["order_status"][] = ["READY_TO_SHIP", "RETRY_SHIP"]

export const getShippingParameter: ApiRoute = {
  method: "GET",
  path: "/api/v2/logistics/get_shipping_parameter",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const order = shopOrder(req, core, queryString(req.query, "order_sn", true))
    if (!order) throw orderNotFound()
    if (!READY.includes(order.order_status)) throw businessError("logistics.error_param", "The order status is not ready to ship.")
    return ok({
      info_needed: { dropoff: ["branch_id"], pickup: ["address_id", "pickup_time_id"] },
      dropoff: {
        branch_list: BRANCHES.map((b) => ({ ...b, region: shop.region, state: "", city: "", district: "", town: "" })),
        slug_list: [],
      },
      pickup: {
        address_list: pickupAddresses(shop).map((a) => ({
          address_id: a.address_id,
          region: shop.region,
          state: "",
          city: "",
          district: "",
          town: "",
          address: a.address,
          zipcode: a.zipcode,
          address_flag: a.flags,
          time_slot_list: timeSlots(core.state.nowSec()),
        })),
      },
    })
  },
}

export const shipOrder: ApiRoute = {
  method: "POST",
  path: "/api/v2/logistics/ship_order",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const order = shopOrder(req, core, bodyString(req.body, "order_sn", true))
    if (!order) throw orderNotFound()
    const methods = ["pickup", "dropoff", "non_integrated"].filter((m) => req.body[m] !== undefined && req.body[m] !== null)
    if (methods.length !== 1) throw wrongParam("exactly one of pickup, dropoff or non_integrated is required")
    if (!READY.includes(order.order_status)) throw businessError("logistics.error_param", "The order status is not ready to ship.")
    const packageNumber = bodyString(req.body, "package_number")
    if (packageNumber !== undefined && packageNumber !== order.package_number) {
      throw businessError("logistics.package_not_exist", "The package is not exist.")
    }
    if (methods[0] === "pickup") {
      const pickup = asRecord(req.body.pickup, "pickup")
      const addressId = asInt(pickup.address_id, "address_id", true)
      if (!pickupAddresses(shop).some((a) => a.address_id === addressId)) {
        throw businessError("logistics.address_not_found", "Address is not found.")
      }
      const slot = pickup.pickup_time_id
      if (slot !== undefined && !timeSlots(core.state.nowSec()).some((s) => s.pickup_time_id === slot)) {
        throw businessError("logistics.error_param", "The pickup_time_id is invalid.")
      }
    } else if (methods[0] === "dropoff") {
      const dropoff = asRecord(req.body.dropoff, "dropoff")
      const branchId = asInt(dropoff.branch_id, "branch_id")
      if (branchId !== undefined && !BRANCHES.some((b) => b.branch_id === branchId)) {
        throw wrongParam("branch_id is invalid")
      }
    }
    changeOrderStatus(core.state, core.push, order, "PROCESSED")
    if (order.tracking_empty_calls_left === 0) announceTracking(core.push, order)
    // Documented success answer: no `response` object.
    return ok()
  },
}

export const getTrackingNumber: ApiRoute = {
  method: "GET",
  path: "/api/v2/logistics/get_tracking_number",
  type: "shop",
  handle(req, core) {
    const order = shopOrder(req, core, queryString(req.query, "order_sn", true))
    if (!order) throw businessError("logistics.invalid_error", "The order is not exist.")
    const optional = (req.query.get("response_optional_fields") ?? "").split(",").map((s) => s.trim())
    const extra: Record<string, string> = {}
    for (const field of ["plp_number", "first_mile_tracking_number", "last_mile_tracking_number"]) {
      if (optional.includes(field)) extra[field] = ""
    }
    if (!order.tracking_number) {
      return ok({ tracking_number: "", hint: "The order has not been arranged for shipment yet.", ...extra })
    }
    if (order.tracking_empty_calls_left > 0) {
      // The 3PL has not assigned a number yet: documented as "can return tracking_number empty".
      order.tracking_empty_calls_left -= 1
      return ok({ tracking_number: "", hint: "", ...extra })
    }
    announceTracking(core.push, order)
    return ok({ tracking_number: order.tracking_number, hint: "", ...extra })
  },
}

/**
 * v2.logistics.get_mass_tracking_number (POST): `package_list` of 1 to 50 `{ package_number }`. Each known
 * package of the shop is in `success_list`, with an empty tracking number while the 3PL has none (as
 * get_tracking_number); unknown ones are in `fail_list`.
 */
export const getMassTrackingNumber: ApiRoute = {
  method: "POST",
  path: "/api/v2/logistics/get_mass_tracking_number",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const list = bodyArray(req.body, "package_list", true) ?? []
    if (list.length < 1 || list.length > 50) throw wrongParam("package_list should contain 1 to 50 packages")
    const wanted = list.map((entry) => bodyString(asRecord(entry, "package_list"), "package_number", true))
    const optional = (req.query.get("response_optional_fields") ?? bodyString(req.body, "response_optional_fields") ?? "")
      .split(",")
      .map((s) => s.trim())
    const byPackage = new Map<string, SandboxOrder>()
    const want = new Set(wanted)
    for (const order of core.state.orders.values()) {
      if (order.shop_id === shop.shop_id && want.has(order.package_number)) byPackage.set(order.package_number, order)
    }
    const success: Record<string, unknown>[] = []
    const fail: Record<string, unknown>[] = []
    for (const packageNumber of wanted) {
      const order = byPackage.get(packageNumber)
      if (!order) {
        fail.push({ package_number: packageNumber, fail_reason: "The package_number is invalid." })
        continue
      }
      const extra: Record<string, string> = {}
      for (const field of ["plp_number", "first_mile_tracking_number", "last_mile_tracking_number"]) {
        if (optional.includes(field)) extra[field] = ""
      }
      let tracking = ""
      let hint = ""
      if (!order.tracking_number) {
        hint = "The order has not been arranged for shipment yet."
      } else if (order.tracking_empty_calls_left > 0) {
        order.tracking_empty_calls_left -= 1
      } else {
        announceTracking(core.push, order)
        tracking = order.tracking_number
      }
      success.push({ package_number: packageNumber, tracking_number: tracking, hint, ...extra })
    }
    return ok({ success_list: success, fail_list: fail })
  },
}

interface DocumentRequest {
  order_sn: string
  package_number?: string
  shipping_document_type?: string
}

function documentOrderList(body: Record<string, unknown>): DocumentRequest[] {
  const list = bodyArray(body, "order_list", true) ?? []
  if (list.length < 1 || list.length > 50) throw wrongParam("order_list should contain 1 to 50 orders")
  return list.map((entry) => {
    const record = asRecord(entry, "order_list")
    return {
      order_sn: bodyString(record, "order_sn", true),
      package_number: bodyString(record, "package_number"),
      shipping_document_type: bodyString(record, "shipping_document_type"),
    }
  })
}

/** Batch APIs answer common.batch_api_all_failed only when every element failed. */
function batchAnswer(results: Record<string, unknown>[]): ReturnType<typeof ok> {
  if (results.length > 0 && results.every((r) => r.fail_error)) {
    throw businessError("common.batch_api_all_failed", "Failed, please check result_list for more details.", {
      response: { result_list: results },
    })
  }
  return ok({ result_list: results })
}

export const createShippingDocument: ApiRoute = {
  method: "POST",
  path: "/api/v2/logistics/create_shipping_document",
  type: "shop",
  handle(req, core) {
    const results = documentOrderList(req.body).map((entry) => {
      const base = { order_sn: entry.order_sn, package_number: entry.package_number ?? "" }
      const order = shopOrder(req, core, entry.order_sn)
      const type = entry.shipping_document_type ?? "THERMAL_AIR_WAYBILL"
      if (!order) return { ...base, fail_error: "logistics.order_not_exist", fail_message: `The order_sn ${entry.order_sn} is not exist.` }
      if (!(SHIPPING_DOCUMENT_TYPES as readonly string[]).includes(type)) {
        return { ...base, fail_error: "logistics.shipping_document_type_invalid", fail_message: "The shipping_document_type is not invalid. Please check the shipping_document_type." }
      }
      if (order.order_status !== "PROCESSED") {
        return { ...base, fail_error: "logistics.order_status_error", fail_message: "Order status does not support awb printing." }
      }
      // "Only available after retrieving the tracking number."
      if (order.tracking_empty_calls_left > 0 || !order.tracking_number) {
        return { ...base, fail_error: "logistics.package_can_not_print", fail_message: "The package can not print now." }
      }
      order.document = { shipping_document_type: type, status: "PROCESSING", polls_left: core.state.config.documentProcessingPolls }
      return base
    })
    return batchAnswer(results)
  },
}

export const getShippingDocumentResult: ApiRoute = {
  method: "POST",
  path: "/api/v2/logistics/get_shipping_document_result",
  type: "shop",
  handle(req, core) {
    const results = documentOrderList(req.body).map((entry) => {
      const base = { order_sn: entry.order_sn, package_number: entry.package_number ?? "" }
      const order = shopOrder(req, core, entry.order_sn)
      if (!order) return { ...base, fail_error: "logistics.order_not_exist", fail_message: `The order_sn ${entry.order_sn} is not exist.` }
      const doc = order.document
      if (!doc) {
        return { ...base, fail_error: "logistics.shipping_document_should_print_first", fail_message: `The package can not print now, please create shipping document first.Detail: ${entry.order_sn}` }
      }
      if (doc.status === "PROCESSING" && doc.polls_left > 0) {
        doc.polls_left -= 1
        return { ...base, status: "PROCESSING" }
      }
      doc.status = "READY"
      return { ...base, status: "READY" }
    })
    return batchAnswer(results)
  },
}

export const downloadShippingDocument: ApiRoute = {
  method: "POST",
  path: "/api/v2/logistics/download_shipping_document",
  type: "shop",
  handle(req, core) {
    const entries = documentOrderList(req.body)
    const orders = entries.map((entry) => shopOrder(req, core, entry.order_sn))
    const notReady = entries.filter((_, i) => orders[i]?.document?.status !== "READY").map((e) => e.order_sn)
    if (notReady.length > 0) {
      throw businessError(
        "logistics.shipping_document_should_print_first",
        `The package can not print now, please create shipping document first.Detail: these orders: ${notReady.join(",")} should print`
      )
    }
    const lines = orders.flatMap((order) =>
      order
        ? [`AIR WAYBILL ${order.shipping_carrier}`, `Order ${order.order_sn}`, `Tracking ${order.tracking_number}`, `Package ${order.package_number}`, `To ${order.recipient_address.name}, ${order.recipient_address.city}`]
        : []
    )
    return { kind: "raw", contentType: "application/pdf", body: labelPdf(["Shopee sandbox", ...lines]) }
  },
}
