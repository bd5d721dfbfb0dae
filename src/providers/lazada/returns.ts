import { addDecimals, normalizeDecimal } from "../kit"
import type { DisputeReturnInput, MarketplaceReturn, MarketplaceReturnItem, Page, PreviousReturnState, ReturnOutcome, ReturnStatus } from "../types"
import { LazadaNotAllowedError, LazadaNotFoundError, LazadaValidationError } from "./errors"
import type { LazadaHttp, LazadaScope } from "./http"
import { lineIdOf, productIdOf } from "./mapping"
import { countryOf, itemsByOrder } from "./orders"
import { LAZADA_CURRENCIES } from "./regions"
import {
  reverseOrderDetailAnswerSchema,
  reverseOrderListAnswerSchema,
  reverseReasonListAnswerSchema,
  reverseUpdateAnswerSchema,
  type LazadaOrderItem,
  type LazadaReverseLine,
  type LazadaReverseOrder,
} from "./schemas"

/**
 * Reverse orders as returns (guides "Reverse order overview" and "Reverse order processing process"; APIs
 * GetReverseOrdersForSeller docId 1318, GetReverseOrderDetail, ReverseOrderReturnUpdate, GetReverseOrderReasonList,
 * ReverseOrderOnlyRefundDecide). A reverse order has one line per unit (a unit is an order item); each line has its
 * own `reverse_status`. Reverse orders of type CANCEL are a buyer's cancellation, an order change (push.ts), never a
 * return: they are left out here.
 */
type ShopScope = LazadaScope & { kind: "shop" }

/** GetReverseOrdersForSeller's `page_size` ("default 10"; the docs give no maximum: 50 is the plugin's batch size). */
const REVERSE_PAGE_SIZE = 50

/** `ofc_status` the plugin reads as the reverse order's end (the sandbox's name; the docs list no ofc statuses). */
const CLOSED_OFC = "CLOSED"

/**
 * A line's `reverse_status` in the plugin's vocabulary (docs: REQUEST_INITIATE, REQUEST_REJECT, REQUEST_CANCEL,
 * CANCEL_SUCCESS in the API pages; AGREE_RETURN, BUYER_RETURN_ITEM / SHIPPING, RETURN_DELIVERED, REFUND_SUCCESS,
 * REFUND_REJECT... in the processing guide's steps). `is_dispute` (Lazada arbitrating) makes an open line
 * `processing`; `ofc_status` CLOSED makes it `closed`. A status not in the table is `processing`: open, so nothing
 * is refunded or cancelled on a guess.
 */
export const REVERSE_STATUS_MAP: Record<string, ReturnStatus> = {
  REQUEST_INITIATE: "requested",
  AGREE_RETURN: "accepted",
  SHIPPING: "processing",
  BUYER_RETURN_ITEM: "processing",
  RETURN_DELIVERED: "processing",
  REFUND_PENDING: "processing",
  REFUND_SUCCESS: "refunded",
  REQUEST_REJECT: "disputed",
  REFUND_REJECT: "disputed",
  REQUEST_CANCEL: "cancelled",
  CANCEL_SUCCESS: "cancelled",
}

/** How far a status is: a reverse order is where its least advanced live line is. */
const RANK: Record<ReturnStatus, number> = { requested: 0, disputed: 1, accepted: 2, processing: 3, refunded: 4, closed: 5, cancelled: 6 }

export function lineStatus(line: Pick<LazadaReverseLine, "reverse_status" | "is_dispute" | "ofc_status">): ReturnStatus {
  const base = REVERSE_STATUS_MAP[line.reverse_status.toUpperCase()] ?? "processing"
  if (base === "cancelled") return base
  if ((line.ofc_status ?? "").toUpperCase() === CLOSED_OFC) return "closed"
  if (line.is_dispute && base !== "refunded") return "processing"
  return base
}

/** The line's state as one string: its reverse status, and the dispute and the end when they apply. */
export function lineExternalStatus(line: Pick<LazadaReverseLine, "reverse_status" | "is_dispute" | "ofc_status">): string {
  const parts = [line.reverse_status.toUpperCase()]
  if (line.is_dispute) parts.push("DISPUTE")
  if ((line.ofc_status ?? "").toUpperCase() === CLOSED_OFC) parts.push(CLOSED_OFC)
  return parts.join(":")
}

/** `request_type` -> the vocabulary's return solutions. */
const SOLUTIONS: Record<string, string> = { RETURN: "return_refund", ONLY_REFUND: "refund_only" }

/** "currency in cent, except VN": minor units -> an exact decimal (VND amounts are whole dong already). */
export function reverseAmount(minor: string, country: string | null): string {
  if ((country ?? "").toLowerCase() === "vn") return normalizeDecimal(minor)
  const negative = minor.startsWith("-")
  const digits = (negative ? minor.slice(1) : minor).padStart(3, "0")
  return normalizeDecimal(`${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`)
}

const REFUNDED_STATUS = "REFUND_SUCCESS"

/** Whether Lazada shows the reverse order refunded: one of its live lines is REFUND_SUCCESS (closed or not). */
function isRefunded(lines: LazadaReverseLine[]): boolean {
  return lines.some((l) => l.reverse_status.toUpperCase() === REFUNDED_STATUS)
}

/**
 * Refunded when Lazada shows a refund (REFUND_SUCCESS, still so once closed); ended without a refund when cancelled or
 * closed without one (unless a refund was recorded before); open otherwise.
 */
export function lazadaReturnOutcome(
  ret: Pick<MarketplaceReturn, "status" | "external_status" | "refunded">,
  previous: PreviousReturnState | null
): ReturnOutcome {
  if (ret.refunded || ret.external_status.split(":")[0] === REFUNDED_STATUS) return "refunded"
  if (ret.status === "cancelled" || ret.status === "closed") return previous?.refunded_amount ? "refunded" : "not_refunded"
  return "open"
}

const time = (ms: number | null | undefined) => new Date(ms && ms < 1e11 ? ms * 1000 : (ms ?? 0))

/** One reverse order -> the plugin's return; its units are folded into the order's lines as the order mapping does. */
export function toMarketplaceReturn(ro: LazadaReverseOrder, orderItems: LazadaOrderItem[], country: string | null): MarketplaceReturn {
  const solution = SOLUTIONS[ro.request_type.toUpperCase().replace(/\s+/g, "")]
  if (!solution) {
    throw new LazadaValidationError(`Lazada reverse order ${ro.reverse_order_id} has request type ${ro.request_type}, not a return`, {
      code: "invalid_response",
    })
  }
  const currency = (country ? LAZADA_CURRENCIES[country] : null) ?? orderItems.find((i) => i.currency)?.currency?.toLowerCase()
  if (!currency) throw new LazadaValidationError(`Lazada reverse order ${ro.reverse_order_id}: the shop's country (currency) is unknown`)
  const live = ro.lines.filter((l) => lineStatus(l) !== "cancelled")
  const deciding = (live.length ? live : ro.lines).reduce((a, b) => (RANK[lineStatus(b)] < RANK[lineStatus(a)] ? b : a))
  const status = live.length ? lineStatus(deciding) : "cancelled"
  const byItem = new Map(orderItems.map((i) => [i.order_item_id, i]))
  const items = new Map<string, MarketplaceReturnItem>()
  for (const line of live.length ? live : ro.lines) {
    const unit = byItem.get(line.trade_order_line_id)
    const refund = line.refund_amount != null ? reverseAmount(line.refund_amount, country) : null
    // The order line the unit folded into (mapping.ts); the reverse line's own product and SKU when the unit is unknown.
    const key = unit ? lineIdOf(unit) : `${line.productDTO?.sku ?? line.product?.product_sku ?? line.platform_sku_id}`
    const existing = items.get(key)
    if (existing) {
      existing.quantity += 1
      existing.refund_amount = existing.refund_amount !== null && refund !== null ? addDecimals(existing.refund_amount, refund) : null
      continue
    }
    const modelId = unit ? (unit.sku_id ?? unit.sku ?? unit.shop_sku ?? unit.order_item_id) : (line.productDTO?.sku ?? line.product?.product_sku ?? "")
    items.set(key, {
      external_item_id: unit ? (productIdOf(unit) ?? modelId) : (line.productDTO?.product_id ?? line.product?.product_id ?? ""),
      external_model_id: modelId ?? "",
      sku: unit?.sku ?? line.seller_sku_id ?? null,
      quantity: 1,
      refund_amount: refund,
    })
  }
  const values = [...items.values()]
  const total = values.every((i) => i.refund_amount !== null) ? addDecimals("0", ...values.map((i) => i.refund_amount as string)) : "0"
  const created = Math.min(...ro.lines.map((l) => l.return_order_line_gmt_create ?? Number.POSITIVE_INFINITY))
  const modified = Math.max(...ro.lines.map((l) => l.return_order_line_gmt_modified ?? l.return_order_line_gmt_create ?? 0))
  return {
    external_id: ro.reverse_order_id,
    external_order_id: ro.trade_order_id,
    status,
    external_status: lineExternalStatus(deciding),
    solution,
    reason: deciding.reason_text || null,
    currency_code: currency.toLowerCase(),
    refund_amount: total,
    items: values,
    created_at: time(Number.isFinite(created) ? created : modified),
    updated_at: time(modified),
    refunded: isRefunded(live),
    raw: ro,
  }
}

async function mapAll(http: LazadaHttp, scope: ShopScope, ros: LazadaReverseOrder[]): Promise<MarketplaceReturn[]> {
  if (ros.length === 0) return []
  const units = await itemsByOrder(http, scope, ros.map((r) => r.trade_order_id))
  const country = countryOf(scope.session)
  return ros.map((r) => toMarketplaceReturn(r, units.get(r.trade_order_id) ?? [], country))
}

const isReturn = (ro: { request_type: string }) => ro.request_type.toUpperCase() !== "CANCEL"

/** Reverse orders with a line modified in the window (`ReverseOrderLineModifiedTimeRange*`, ms), `page_no` as the token. */
export async function listReturns(
  http: LazadaHttp,
  scope: ShopScope,
  input: { updated_from: Date; updated_to: Date; page_token?: string | null }
): Promise<Page<MarketplaceReturn>> {
  const pageNo = input.page_token && /^\d+$/.test(input.page_token) ? Number(input.page_token) : 1
  const answer = await http.call({
    method: "GET",
    apiPath: "/reverse/getreverseordersforseller",
    scope,
    params: {
      page_no: pageNo,
      page_size: REVERSE_PAGE_SIZE,
      ReverseOrderLineModifiedTimeRangeStart: input.updated_from.getTime(),
      // One second past `to`: a change stamped by a platform clock slightly ahead of ours is seen now.
      ReverseOrderLineModifiedTimeRangeEnd: input.updated_to.getTime() + 1000,
    },
    schema: reverseOrderListAnswerSchema,
    idempotent: true,
  })
  const found = (answer.result.items ?? []).map(({ reverse_order_lines, ...head }) => ({ ...head, lines: reverse_order_lines }))
  const more = pageNo * REVERSE_PAGE_SIZE < answer.result.total && found.length > 0
  return { items: await mapAll(http, scope, found.filter((r) => isReturn(r) && r.lines.length > 0)), next_page_token: more ? String(pageNo + 1) : null }
}

async function detail(http: LazadaHttp, scope: ShopScope, reverseOrderId: string): Promise<LazadaReverseOrder> {
  if (!/^\d{1,24}$/.test(reverseOrderId)) throw new LazadaNotFoundError(`Lazada reverse order ids are digits: ${reverseOrderId}`)
  const answer = await http.call({
    method: "GET",
    apiPath: "/order/reverse/return/detail/list",
    scope,
    params: { reverse_order_id: reverseOrderId },
    schema: reverseOrderDetailAnswerSchema,
    idempotent: true,
  })
  const { reverseOrderLineDTOList, ...head } = answer.data
  if (!isReturn(head)) throw new LazadaNotFoundError(`Lazada reverse order ${reverseOrderId} is a buyer's cancellation, not a return`)
  return { ...head, lines: reverseOrderLineDTOList }
}

export async function getReturn(http: LazadaHttp, scope: ShopScope, reverseOrderId: string): Promise<MarketplaceReturn> {
  const [ret] = await mapAll(http, scope, [await detail(http, scope, reverseOrderId)])
  return ret
}

/** The seller's answer to the lines in their current state (processing guide, steps 2 to 4). */
function actionFor(ro: LazadaReverseOrder, verb: "accept" | "dispute"): { action: string; lines: LazadaReverseLine[] } {
  const open = ro.lines.filter((l) => lineStatus(l) !== "cancelled" && lineStatus(l) !== "closed")
  const at = (status: string) => open.filter((l) => l.reverse_status.toUpperCase() === status && !l.is_dispute)
  const onlyRefund = ro.request_type.toUpperCase() === "ONLY_REFUND"
  const candidates: [string, string, string][] = onlyRefund
    ? [["REQUEST_INITIATE", "agreeRefund", "startDispute"]]
    : [
        ["REQUEST_INITIATE", "agreeReturn", "refuseReturn"],
        ["BUYER_RETURN_ITEM", "confirmDelivery", ""],
        ["SHIPPING", "confirmDelivery", ""],
        ["RETURN_DELIVERED", "agreeRefund", "refuseRefund"],
      ]
  for (const [status, accept, dispute] of candidates) {
    const lines = at(status)
    const action = verb === "accept" ? accept : dispute
    if (lines.length && action) return { action, lines }
  }
  const statuses = [...new Set(ro.lines.map(lineExternalStatus))].join(", ")
  throw new LazadaNotAllowedError(`Lazada reverse order ${ro.reverse_order_id} is ${statuses}: there is nothing for the seller to ${verb}`, {
    code: "no_seller_decision",
  })
}

const ids = (lines: LazadaReverseLine[]) => `[${lines.map((l) => l.reverse_order_line_id).join(",")}]`

/**
 * Accepts what the buyer asks in the current state: a return request is agreed (agreeReturn: the buyer ships the
 * goods), a parcel on its way is confirmed delivered (confirmDelivery), a delivered return is refunded (agreeRefund);
 * a refund-only request is refunded (ReverseOrderOnlyRefundDecide agreeRefund, one line a call).
 */
export async function acceptReturn(http: LazadaHttp, scope: ShopScope, reverseOrderId: string): Promise<void> {
  const ro = await detail(http, scope, reverseOrderId)
  const { action, lines } = actionFor(ro, "accept")
  if (ro.request_type.toUpperCase() === "ONLY_REFUND") {
    for (const line of lines) {
      await http.call({
        method: "GET",
        apiPath: "/order/reverse/onlyrefund/seller/decide",
        scope,
        params: { action, reverse_order_id: reverseOrderId, reverse_order_item_ids: ids([line]) },
        schema: reverseUpdateAnswerSchema,
        idempotent: false,
      })
    }
    return
  }
  await http.call({
    method: "GET",
    apiPath: "/order/reverse/return/update",
    scope,
    params: { action, reverse_order_id: reverseOrderId, reverse_order_item_ids: ids(lines) },
    schema: reverseUpdateAnswerSchema,
    idempotent: false,
  })
}

/**
 * Refuses the request (refuseReturn) or the refund after inspection (refuseRefund), one line a call (E0111).
 * `reason` is a reason id from GetReverseOrderReasonList for the line; Lazada requires the comment (`text`). A
 * refused refund and a refund-only dispute also require images, which the plugin does not have: refused before calling.
 */
export async function disputeReturn(http: LazadaHttp, scope: ShopScope, reverseOrderId: string, input: DisputeReturnInput): Promise<void> {
  if (!input.text?.trim()) throw new LazadaValidationError("Lazada requires a comment (text) to refuse a return")
  const ro = await detail(http, scope, reverseOrderId)
  const { action, lines } = actionFor(ro, "dispute")
  if (action !== "refuseReturn") {
    throw new LazadaNotAllowedError(`Lazada's ${action} requires images of the goods: refuse reverse order ${reverseOrderId} in Seller Center`)
  }
  for (const line of lines) {
    const reasons = await http.call({
      method: "GET",
      apiPath: "/order/reverse/reason/list",
      scope,
      params: { reverse_order_line_id: line.reverse_order_line_id },
      schema: reverseReasonListAnswerSchema,
      idempotent: true,
    })
    const offered = reasons.data ?? []
    if (!offered.some((r) => r.reason_id === input.reason)) {
      const list = offered.map((r) => `${r.reason_id} (${r.text ?? r.muti_language_text ?? ""})`).join(", ") || "none"
      throw new LazadaValidationError(`Lazada offers no reason ${input.reason} to refuse reverse order ${reverseOrderId}; it offers: ${list}`)
    }
    await http.call({
      method: "GET",
      apiPath: "/order/reverse/return/update",
      scope,
      params: { action, reverse_order_id: reverseOrderId, reverse_order_item_ids: ids([line]), reason_id: input.reason, comment: input.text.trim() },
      schema: reverseUpdateAnswerSchema,
      idempotent: false,
    })
  }
}
