import { chunk, UNREADABLE_ANSWER_CODE } from "../kit"
import type { CancelOrderInput, ListChangedOrdersInput, MarketplaceOrder, OrderRef, Page, ShopSession } from "../types"
import { TiktokShopNotAllowedError, TiktokShopNotFoundError, TiktokShopValidationError } from "./errors"
import type { TiktokShopHttp } from "./http"
import { toMarketplaceOrder } from "./mapping"
import { cancelOrderDataSchema, orderDetailDataSchema, orderSchema, orderSearchDataSchema } from "./schemas"
import { TIKTOK_SHOP_LIMITS } from "./limits"

/** Orders updated in the window, oldest change first, one page (`page_token`) at a time. */
export async function listChangedOrders(http: TiktokShopHttp, session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>> {
  const data = await http.call({
    method: "POST",
    path: "/order/202309/orders/search",
    scope: { kind: "shop", session },
    query: {
      page_size: TIKTOK_SHOP_LIMITS.order_list_page_size,
      page_token: input.page_token || undefined,
      sort_field: "update_time",
      sort_order: "ASC",
    },
    body: {
      update_time_ge: Math.floor(input.updated_from.getTime() / 1000),
      update_time_lt: Math.ceil(input.updated_to.getTime() / 1000),
    },
    schema: orderSearchDataSchema,
    idempotent: true,
  })
  const items = data.orders
    // The search takes one status at most: unpaid orders are left out here when not asked for.
    .filter((o) => input.include_unpaid || (o.status ?? "").toUpperCase() !== "UNPAID")
    .map((o) => ({
      external_id: o.id,
      updated_at: o.update_time ? new Date(o.update_time * 1000) : null,
      external_status: o.status ?? null,
    }))
  return { items, next_page_token: data.next_page_token || null }
}

/** Order details, 50 ids per call; one order that cannot be read fails the batch as unreadable. */
export async function getOrders(http: TiktokShopHttp, session: ShopSession, externalIds: string[]): Promise<MarketplaceOrder[]> {
  const ids = [...new Set(externalIds.map((id) => id.trim()).filter(Boolean))]
  const out: MarketplaceOrder[] = []
  for (const batch of chunk(ids, TIKTOK_SHOP_LIMITS.order_detail_batch)) {
    const data = await http.call({
      method: "GET",
      path: "/order/202507/orders",
      scope: { kind: "shop", session },
      query: { ids: batch.join(",") },
      schema: orderDetailDataSchema,
      idempotent: true,
    })
    for (const raw of data.orders) {
      const parsed = orderSchema.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new TiktokShopValidationError(
          `TikTok Shop /order/202507/orders answered an unreadable order at ${issue.path.map(String).join(".")}: ${issue.message}`,
          { code: UNREADABLE_ANSWER_CODE }
        )
      }
      try {
        out.push(toMarketplaceOrder(parsed.data))
      } catch (error) {
        throw new TiktokShopValidationError((error as Error).message, { code: UNREADABLE_ANSWER_CODE })
      }
    }
  }
  return out
}

/** The reason names of "Cancel reasons" (seller-initiated) by TIKTOK_SHOP_VOCABULARY.cancel_reasons id: unpaid and paid orders. */
const CANCEL_REASONS: Record<string, { unpaid: string | null; paid: string }> = {
  out_of_stock: { unpaid: "seller_cancel_unpaid_reason_out_of_stock", paid: "seller_cancel_reason_out_of_stock" },
  customer_request: { unpaid: "seller_cancel_unpaid_reason_buyer_requested_cancellation", paid: "seller_cancel_paid_reason_buyer_requested_cancellation" },
  undeliverable_area: { unpaid: null, paid: "seller_cancel_paid_reason_address_not_deliver" },
  wrong_price: { unpaid: "seller_cancel_unpaid_reason_wrong_price", paid: "seller_cancel_reason_wrong_price" },
}

/**
 * "Cancel Order" (`POST /return_refund/202309/cancellations`) as the seller, before shipping. The reason name
 * depends on the order's status (UNPAID or paid) and market (`_uk` in the UK), so the order is read first; an
 * out-of-stock cancellation names the SKUs concerned with their whole quantity in the order (`skus`): a partial
 * cancellation is only offered in the US and UK, and TikTok refuses it elsewhere.
 */
export async function cancelOrder(http: TiktokShopHttp, session: ShopSession, input: CancelOrderInput): Promise<void> {
  const reasons = CANCEL_REASONS[input.reason]
  if (!reasons) {
    throw new TiktokShopValidationError(`TikTok Shop has no "${input.reason}" cancel reason: use ${Object.keys(CANCEL_REASONS).join(", ")}`)
  }
  const [order] = await getOrders(http, session, [input.external_order_id])
  if (!order) throw new TiktokShopNotFoundError(`TikTok Shop does not know order ${input.external_order_id}`)
  const unpaid = (order.external_status ?? "").toUpperCase() === "UNPAID"
  const name = unpaid ? reasons.unpaid : reasons.paid
  if (!name) throw new TiktokShopNotAllowedError(`TikTok Shop offers no "${input.reason}" cancel reason for an unpaid order`)
  const uk = (session.region ?? "").toUpperCase() === "GB"
  const body: Record<string, unknown> = { order_id: input.external_order_id, cancel_reason: uk ? `${name}_uk` : name }
  if (input.reason === "out_of_stock" && input.items?.length) {
    const named = new Set(input.items.map((i) => i.external_model_id))
    const quantities = new Map<string, number>()
    for (const line of order.items) {
      if (named.has(line.external_model_id)) quantities.set(line.external_model_id, (quantities.get(line.external_model_id) ?? 0) + line.quantity)
    }
    body.skus = [...quantities].map(([sku_id, quantity]) => ({ sku_id, quantity }))
  }
  await http.call({
    method: "POST",
    path: "/return_refund/202309/cancellations",
    scope: { kind: "shop", session },
    body,
    schema: cancelOrderDataSchema,
    idempotent: false,
  })
}
