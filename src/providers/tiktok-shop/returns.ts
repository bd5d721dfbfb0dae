import { addDecimals, normalizeDecimal, UNREADABLE_ANSWER_CODE } from "../kit"
import type { DisputeReturnInput, MarketplaceReturn, MarketplaceReturnItem, Page, ReturnOutcome, ReturnStatus, ShopSession } from "../types"
import { TiktokShopNotAllowedError, TiktokShopNotFoundError, TiktokShopValidationError } from "./errors"
import type { TiktokShopHttp } from "./http"
import { getOrders } from "./orders"
import { emptyDataSchema, returnSchema, returnSearchDataSchema, type TiktokOrder, type TiktokReturn } from "./schemas"

const SEARCH_PATH = "/return_refund/202309/returns/search"
/** "Search Returns" takes page sizes of 10 to 50. */
const RETURN_PAGE_SIZE = 50

/**
 * Return statuses ("Search Returns", `return_status`) in the plugin's vocabulary:
 * - `..._REQUEST_PENDING`: the buyer asked, the seller decides: `requested`;
 * - AWAITING_BUYER_SHIP: the seller approved a return, the goods are not back yet: `accepted` (still open: the
 *   refund comes when the parcel is received);
 * - BUYER_SHIPPED_ITEM, AWAITING_BUYER_RESPONSE (the seller offered another solution): `processing`;
 * - RETURN_OR_REFUND_REQUEST_SUCCESS ("the buyer will be refunded"), REPLACEMENT_REQUEST_REFUND_SUCCESS: `refunded`;
 * - RETURN_OR_REFUND_REQUEST_COMPLETE ("the buyer has been refunded"): `closed`, refunded;
 * - REPLACEMENT_REQUEST_COMPLETE: `closed` (a new order replaces the goods, no refund);
 * - `..._CANCEL`: `cancelled` (by the buyer, or by the platform when the buyer never shipped);
 * - the seller's rejections (REFUND_OR_RETURN_REQUEST_REJECT, REJECT_RECEIVE_PACKAGE, REPLACEMENT_REQUEST_REJECT):
 *   read with `arbitration_status` (see `rejectionStatus`).
 */
export const RETURN_STATUS_MAP: Record<string, ReturnStatus> = {
  RETURN_OR_REFUND_REQUEST_PENDING: "requested",
  REPLACEMENT_REQUEST_PENDING: "requested",
  AWAITING_BUYER_SHIP: "accepted",
  BUYER_SHIPPED_ITEM: "processing",
  AWAITING_BUYER_RESPONSE: "processing",
  RETURN_OR_REFUND_REQUEST_SUCCESS: "refunded",
  REPLACEMENT_REQUEST_REFUND_SUCCESS: "refunded",
  RETURN_OR_REFUND_REQUEST_COMPLETE: "closed",
  REPLACEMENT_REQUEST_COMPLETE: "closed",
  RETURN_OR_REFUND_REQUEST_CANCEL: "cancelled",
  REPLACEMENT_REQUEST_CANCEL: "cancelled",
}

/** The seller's rejections: the buyer may take them to the platform (arbitration). */
export const REJECTED_STATUSES = new Set(["REFUND_OR_RETURN_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE", "REPLACEMENT_REQUEST_REJECT"])

/** The statuses in which the buyer is, or is being, refunded. */
const REFUNDED_EXTERNAL = new Set(["RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE", "REPLACEMENT_REQUEST_REFUND_SUCCESS"])

/**
 * A rejected request: `disputed` while nobody took it further; `processing` while the platform arbitrates
 * (IN_PROGRESS) or after it sided with the buyer (SUPPORT_BUYER: the refund status follows); `closed` when the
 * platform sided with the seller or closed the arbitration.
 */
function rejectionStatus(arbitration: string | null | undefined): ReturnStatus {
  switch ((arbitration ?? "").toUpperCase()) {
    case "IN_PROGRESS":
    case "SUPPORT_BUYER":
      return "processing"
    case "SUPPORT_SELLER":
    case "CLOSED":
      return "closed"
    default:
      return "disputed"
  }
}

export function toReturnStatus(status: string, arbitration?: string | null): ReturnStatus | null {
  const upper = status.toUpperCase()
  if (REJECTED_STATUSES.has(upper)) return rejectionStatus(arbitration)
  return RETURN_STATUS_MAP[upper] ?? null
}

/** `return_type` -> the vocabulary's return solutions. */
const SOLUTIONS: Record<string, string> = { RETURN_AND_REFUND: "return_refund", REFUND: "refund_only", REPLACEMENT: "replacement" }

/**
 * What a return's state means for Medusa. Refunded in the refund statuses (and for good once a refund was
 * recorded: TikTok never takes one back through a return); ended without a refund when cancelled, when a
 * replacement was sent, or when a rejection stood; open otherwise.
 */
export function tiktokReturnOutcome(ret: { status: ReturnStatus; external_status: string }, previousRefunded: boolean): ReturnOutcome {
  if (REFUNDED_EXTERNAL.has(ret.external_status.toUpperCase())) return "refunded"
  if (ret.status === "cancelled" || ret.status === "closed") return previousRefunded ? "refunded" : "not_refunded"
  return "open"
}

const money = (value: string | null | undefined) => normalizeDecimal(value ?? "0")

/**
 * One return -> the plugin's return. TikTok lists one return line item per unit and names the order line, not
 * the product: units are grouped by SKU, and the product id comes from the order (`orders`, by order id).
 */
export function toMarketplaceReturn(ret: TiktokReturn, order: TiktokOrder | null, field = "data.return_orders[0]"): MarketplaceReturn {
  const status = toReturnStatus(ret.return_status, ret.arbitration_status)
  if (!status) {
    throw new TiktokShopValidationError(`TikTok Shop answered an unknown return status at ${field}.return_status: ${ret.return_status}`, {
      code: UNREADABLE_ANSWER_CODE,
    })
  }
  const solution = SOLUTIONS[ret.return_type.toUpperCase()]
  if (!solution) {
    throw new TiktokShopValidationError(`TikTok Shop answered an unknown return type at ${field}.return_type: ${ret.return_type}`, {
      code: UNREADABLE_ANSWER_CODE,
    })
  }
  const productOf = new Map((order?.line_items ?? []).map((l) => [l.id, l.product_id]))
  const items = new Map<string, MarketplaceReturnItem>()
  for (const line of ret.return_line_items) {
    const productId = productOf.get(line.order_line_item_id) ?? ""
    const key = `${productId}|${line.sku_id}`
    const refund = line.refund_amount?.refund_total != null ? money(line.refund_amount.refund_total) : null
    const existing = items.get(key)
    if (existing) {
      existing.quantity += 1
      existing.refund_amount = existing.refund_amount !== null && refund !== null ? addDecimals(existing.refund_amount, refund) : null
      continue
    }
    items.set(key, {
      external_item_id: productId,
      external_model_id: line.sku_id,
      sku: line.seller_sku || null,
      quantity: 1,
      refund_amount: refund,
    })
  }
  const itemsTotal = [...items.values()].every((i) => i.refund_amount !== null)
    ? addDecimals("0", ...[...items.values()].map((i) => i.refund_amount as string))
    : "0"
  const currency = ret.refund_amount?.currency ?? ret.return_line_items.find((l) => l.refund_amount?.currency)?.refund_amount?.currency ?? order?.payment.currency
  if (!currency) {
    throw new TiktokShopValidationError(`TikTok Shop answered a return without a currency at ${field}.refund_amount.currency`, {
      code: UNREADABLE_ANSWER_CODE,
    })
  }
  return {
    external_id: ret.return_id,
    external_order_id: ret.order_id,
    status,
    external_status: ret.return_status.toUpperCase(),
    solution,
    reason: ret.return_reason_text || ret.return_reason || null,
    currency_code: currency.toLowerCase(),
    refund_amount: ret.refund_amount?.refund_total != null ? money(ret.refund_amount.refund_total) : itemsTotal,
    items: [...items.values()],
    created_at: new Date(ret.create_time * 1000),
    updated_at: new Date(ret.update_time * 1000),
    refunded: REFUNDED_EXTERNAL.has(ret.return_status.toUpperCase()),
    raw: ret,
  }
}

function parseReturns(raw: unknown[]): TiktokReturn[] {
  return raw.map((r, i) => {
    const parsed = returnSchema.safeParse(r)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new TiktokShopValidationError(
        `TikTok Shop ${SEARCH_PATH} answered an unreadable return at data.return_orders[${i}].${issue.path.map(String).join(".")}: ${issue.message}`,
        { code: UNREADABLE_ANSWER_CODE }
      )
    }
    return parsed.data
  })
}

/** The returns with their orders (read in batches of 50) for the product ids of their lines. */
async function mapWithOrders(http: TiktokShopHttp, session: ShopSession, returns: TiktokReturn[]): Promise<MarketplaceReturn[]> {
  if (!returns.length) return []
  const orders = await getOrders(http, session, [...new Set(returns.map((r) => r.order_id))])
  const byId = new Map(orders.map((o) => [o.external_id, o.raw as TiktokOrder]))
  return returns.map((r, i) => toMarketplaceReturn(r, byId.get(r.order_id) ?? null, `data.return_orders[${i}]`))
}

async function search(http: TiktokShopHttp, session: ShopSession, body: Record<string, unknown>, pageToken?: string | null) {
  return http.call({
    method: "POST",
    path: SEARCH_PATH,
    scope: { kind: "shop", session },
    query: { page_size: RETURN_PAGE_SIZE, page_token: pageToken || undefined, sort_field: "update_time", sort_order: "ASC" },
    body,
    schema: returnSearchDataSchema,
    idempotent: true,
  })
}

/** Returns updated in the window, oldest change first, one page (`page_token`) at a time. */
export async function listReturns(
  http: TiktokShopHttp,
  session: ShopSession,
  input: { updated_from: Date; updated_to: Date; page_token?: string | null }
): Promise<Page<MarketplaceReturn>> {
  const data = await search(
    http,
    session,
    {
      update_time_ge: Math.floor(input.updated_from.getTime() / 1000),
      // Whole seconds, `lt` exclusive: one second past `to`, so a change stamped by a platform clock slightly
      // ahead of ours is seen now (windows overlap anyway; a return seen twice is imported once).
      update_time_lt: Math.ceil(input.updated_to.getTime() / 1000) + 1,
    },
    input.page_token
  )
  return { items: await mapWithOrders(http, session, parseReturns(data.return_orders)), next_page_token: data.next_page_token || null }
}

async function findReturn(http: TiktokShopHttp, session: ShopSession, returnId: string): Promise<TiktokReturn> {
  const data = await search(http, session, { return_ids: [returnId] })
  const found = parseReturns(data.return_orders).find((r) => r.return_id === returnId)
  if (!found) {
    throw new TiktokShopNotFoundError(`TikTok Shop knows no return ${returnId} in shop ${session.shop_id}`, { code: "return_not_found" })
  }
  return found
}

/** One return: the search filtered by its id (the API has no detail call for a return). */
export async function getReturn(http: TiktokShopHttp, session: ShopSession, returnId: string): Promise<MarketplaceReturn> {
  const [ret] = await mapWithOrders(http, session, [await findReturn(http, session, returnId)])
  return ret
}

/** The seller's decision that answers the request in its current state ("Approve Return" / "Reject Return"). */
function decisionFor(ret: TiktokReturn, verb: "approve" | "reject"): string {
  const status = ret.return_status.toUpperCase()
  const type = ret.return_type.toUpperCase()
  const approve = verb === "approve"
  if (status === "RETURN_OR_REFUND_REQUEST_PENDING" && type === "REFUND") return approve ? "APPROVE_REFUND" : "REJECT_REFUND"
  if (status === "RETURN_OR_REFUND_REQUEST_PENDING" && type === "RETURN_AND_REFUND") return approve ? "APPROVE_RETURN" : "REJECT_RETURN"
  if (status === "BUYER_SHIPPED_ITEM") return approve ? "APPROVE_RECEIVED_PACKAGE" : "REJECT_RECEIVED_PACKAGE"
  if (status === "REPLACEMENT_REQUEST_PENDING") return approve ? "APPROVE_REPLACEMENT" : "REJECT_REPLACEMENT"
  throw new TiktokShopNotAllowedError(`TikTok Shop return ${ret.return_id} is ${status}: there is nothing for the seller to ${verb}`, {
    code: "no_seller_decision",
  })
}

/**
 * Accepts what the buyer asks in the return's current state: a refund-only request is refunded, a return is
 * approved (the buyer then ships the goods), a received parcel is approved (the refund follows), a replacement
 * is approved.
 */
export async function acceptReturn(http: TiktokShopHttp, session: ShopSession, returnId: string): Promise<void> {
  const ret = await findReturn(http, session, returnId)
  await http.call({
    method: "POST",
    path: `/return_refund/202309/returns/${encodeURIComponent(returnId)}/approve`,
    scope: { kind: "shop", session },
    body: { decision: decisionFor(ret, "approve") },
    schema: emptyDataSchema,
    idempotent: false,
  })
}

/**
 * Rejects the request in its current state. `reason` is a reject reason id from "Get Reject Reasons"
 * (`/return_refund/202309/reject_reasons`), `text` the seller's comment.
 */
export async function disputeReturn(http: TiktokShopHttp, session: ShopSession, returnId: string, input: DisputeReturnInput): Promise<void> {
  const ret = await findReturn(http, session, returnId)
  await http.call({
    method: "POST",
    path: `/return_refund/202309/returns/${encodeURIComponent(returnId)}/reject`,
    scope: { kind: "shop", session },
    body: { decision: decisionFor(ret, "reject"), reject_reason: input.reason, ...(input.text ? { comment: input.text } : {}) },
    schema: emptyDataSchema,
    idempotent: false,
  })
}
