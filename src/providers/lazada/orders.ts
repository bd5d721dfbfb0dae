import { chunk } from "../kit"
import { mapLimit } from "../../lib/chunk"
import type { ListChangedOrdersInput, MarketplaceOrder, OrderRef, Page, ShopSession } from "../types"
import { LazadaNotFoundError, LazadaValidationError } from "./errors"
import type { LazadaHttp, LazadaScope } from "./http"
import { LAZADA_LIMITS, LAZADA_MAX_ORDER_OFFSET } from "./limits"
import { toMarketplaceOrder } from "./mapping"
import { apiUrlFor } from "./regions"
import { orderAnswerSchema, orderItemsAnswerSchema, orderListSchema, type LazadaOrder, type LazadaOrderItem } from "./schemas"

/** The country of a connection: its metadata (set from `country_user_info`), else its region. */
export function countryOf(session: Pick<ShopSession, "metadata" | "region">): string | null {
  const fromMeta = session.metadata?.country
  const country = typeof fromMeta === "string" && fromMeta ? fromMeta : session.region
  return country ? country.toLowerCase() : null
}

/** The connection's API host: kept on its metadata at authorization; else derived from its country. */
export function shopScope(session: ShopSession, apiUrlTemplate: string | null): LazadaScope {
  const fromMeta = session.metadata?.api_base_url
  const country = countryOf(session)
  const baseUrl =
    (typeof fromMeta === "string" && fromMeta) || session.api_base_url || (country ? apiUrlFor(country, apiUrlTemplate) : null)
  if (!baseUrl) {
    throw new LazadaValidationError(`Lazada connection ${session.connection_id} has no country: cannot choose its API host`)
  }
  return { kind: "shop", session, baseUrl: baseUrl.replace(/\/+$/, "") }
}

/** ISO 8601 with an explicit offset, as GetOrders requires ("2025-06-01T12:00:00+00:00"). */
export function lazadaIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00")
}

interface ListCursor {
  /** Start of the (narrowed) window, ms. */
  after: number
  offset: number
}

function readCursor(token: string | null | undefined, from: Date): ListCursor {
  const match = /^(\d+):(\d+)$/.exec(token ?? "")
  return match ? { after: Number(match[1]), offset: Number(match[2]) } : { after: from.getTime(), offset: 0 }
}

/**
 * GetOrders by update time, oldest change first. `offset` stops at 5000 (docs): when the next page would start
 * there, the window is narrowed instead: it restarts at the update time of the last order read, offset 0 (orders of
 * that second are listed again; the core dedupes). The last page is a short one, or the one that reaches the
 * window's `countTotal`. Page token: "<window start ms>:<offset>".
 */
export async function listChangedOrders(
  http: LazadaHttp,
  scope: LazadaScope,
  input: ListChangedOrdersInput
): Promise<Page<OrderRef>> {
  const cursor = readCursor(input.page_token, input.updated_from)
  const limit = LAZADA_LIMITS.order_list_page_size
  const answer = await http.call({
    method: "GET",
    apiPath: "/orders/get",
    scope,
    params: {
      update_after: lazadaIso(new Date(cursor.after)),
      update_before: lazadaIso(input.updated_to),
      sort_by: "updated_at",
      sort_direction: "ASC",
      offset: cursor.offset,
      limit,
    },
    schema: orderListSchema,
    idempotent: true,
  })
  const orders = answer.data.orders ?? []
  // Each listed order carries its whole header, as GetOrder gives it: kept on the ref for `getOrders` (no GetOrder then).
  const items: OrderRef[] = orders.map((o) => {
    if (o.header) listedHeaders.add(o.header)
    return {
      external_id: o.order_id,
      updated_at: o.updated_at,
      external_status: o.statuses ? [...new Set(o.statuses)].sort().join(",") : null,
      ...(o.header ? { listed_detail: o.header } : {}),
    }
  })
  const nextOffset = cursor.offset + orders.length
  // A short page is the last; so is a full one that reaches the window's `countTotal` (no empty page asked for).
  const total = answer.data.countTotal
  if (orders.length < limit || (total != null && nextOffset >= total)) return { items, next_page_token: null }
  if (nextOffset + limit <= LAZADA_MAX_ORDER_OFFSET) {
    return { items, next_page_token: `${cursor.after}:${nextOffset}` }
  }
  const lastTime = orders[orders.length - 1].updated_at.getTime()
  if (lastTime <= cursor.after) {
    throw new LazadaValidationError(
      `Lazada lists more than ${LAZADA_MAX_ORDER_OFFSET} orders updated at ${lazadaIso(new Date(lastTime))}: the window cannot be narrowed`
    )
  }
  return { items, next_page_token: `${lastTime}:0` }
}

/** The order headers `listChangedOrders` read (parsed by `orderSchema`), so that `getOrders` knows a ref's detail is one. */
const listedHeaders = new WeakSet<object>()

const isListedHeader = (detail: unknown): detail is LazadaOrder =>
  typeof detail === "object" && detail !== null && listedHeaders.has(detail)

/** GetOrder calls under way at once for one `getOrders` (the rate limiter still paces them). */
const ORDER_HEADER_CONCURRENCY = 4

/**
 * Orders with their items. The header (address, totals) comes from the list page the ids were read from when the
 * caller hands it back (`listed`: GetOrders returns each order's header as GetOrder does), else from GetOrder, the
 * only call that gives it by id (a few at once); the items of up to 50 orders come per GetMultipleOrderItems call.
 * A listed header that does not read as an order is read again with GetOrder. An order Lazada does not know is left
 * out.
 */
export async function getOrders(
  http: LazadaHttp,
  scope: LazadaScope & { kind: "shop" },
  ids: string[],
  listed: OrderRef[] = []
): Promise<MarketplaceOrder[]> {
  const wanted = [...new Set(ids.map((id) => id.trim()).filter((id) => id.length > 0))]
  if (wanted.length === 0) return []
  const fromList = new Map<string, LazadaOrder>()
  for (const ref of listed) {
    const header = ref.listed_detail
    if (isListedHeader(header) && header.order_id === ref.external_id) fromList.set(ref.external_id, header)
  }
  const read = await mapLimit(wanted, ORDER_HEADER_CONCURRENCY, async (id): Promise<LazadaOrder | null> => {
    const known = fromList.get(id)
    if (known) return known
    try {
      const answer = await http.call({
        method: "GET",
        apiPath: "/order/get",
        scope,
        params: { order_id: id },
        schema: orderAnswerSchema,
        idempotent: true,
      })
      return answer.data
    } catch (error) {
      if (error instanceof LazadaNotFoundError) return null
      throw error
    }
  })
  const headers = new Map<string, LazadaOrder>()
  for (const header of read) if (header) headers.set(header.order_id, header)
  const items = await itemsByOrder(http, scope, [...headers.keys()])
  const country = countryOf(scope.session)
  return [...headers.values()].map((order) => toMarketplaceOrder(order, items.get(order.order_id) ?? [], country))
}

/** The order items (units) of orders, by order id: GetMultipleOrderItems, 50 orders a call. */
export async function itemsByOrder(http: LazadaHttp, scope: LazadaScope & { kind: "shop" }, orderIds: string[]): Promise<Map<string, LazadaOrderItem[]>> {
  const items = new Map<string, LazadaOrderItem[]>()
  for (const batch of chunk([...new Set(orderIds)], LAZADA_LIMITS.order_detail_batch)) {
    const answer = await http.call({
      method: "GET",
      apiPath: "/orders/items/get",
      scope,
      params: { order_ids: `[${batch.join(",")}]` },
      schema: orderItemsAnswerSchema,
      idempotent: true,
    })
    for (const entry of answer.data) items.set(entry.order_id, entry.order_items)
  }
  return items
}
