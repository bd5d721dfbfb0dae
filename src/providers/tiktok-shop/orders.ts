import { chunk, UNREADABLE_ANSWER_CODE } from "../kit"
import type { ListChangedOrdersInput, MarketplaceOrder, OrderRef, Page, ShopSession } from "../types"
import { TiktokShopValidationError } from "./errors"
import type { TiktokShopHttp } from "./http"
import { toMarketplaceOrder } from "./mapping"
import { orderDetailDataSchema, orderSchema, orderSearchDataSchema } from "./schemas"
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
