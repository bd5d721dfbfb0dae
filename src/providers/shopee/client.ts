import { JsonNumber, RateLimitStore } from "../kit"
import type { ProviderDependencies, ShopSession } from "../types"
import { BinaryAnswer, ShopeeHttp, ShopeeScope } from "./http"
import {
  anyResponseSchema,
  batchUpdateSchema,
  documentResultSchema,
  escrowBatchSchema,
  itemBaseInfoListSchema,
  itemListSchema,
  lostPushSchema,
  massTrackingNumberSchema,
  modelListSchema,
  orderDetailListSchema,
  orderListSchema,
  returnDetailSchema,
  returnListSchema,
  shippingParameterSchema,
  shopInfoSchema,
  tokenSchema,
  trackingNumberSchema,
} from "./schemas"
import type { ResolvedShopeeOptions } from "./types"
import { ShopeeValidationError } from "./errors"
import { SHOPEE_LIMITS } from "./limits"

const PUBLIC: ShopeeScope = { kind: "public" }
const shop = (session: ShopSession): ShopeeScope => ({ kind: "shop", session })

/** Everything get_order_detail must return for the mapping (the rest is "returned by default"). */
export const ORDER_DETAIL_FIELDS = [
  "buyer_user_id",
  "buyer_username",
  "estimated_shipping_fee",
  "recipient_address",
  "actual_shipping_fee",
  "item_list",
  "pay_time",
  "buyer_cancel_reason",
  "cancel_by",
  "cancel_reason",
  "package_list",
  "shipping_carrier",
  "payment_method",
  "total_amount",
  "checkout_shipping_carrier",
].join(",")

export interface DocumentOrder {
  order_sn: string
  package_number?: string
  tracking_number?: string
}

/**
 * Refuses, before anything is sent, an id list Shopee would refuse ("order_sn_list should contain 1 to 50"):
 * callers batch with the kit's `idBatches`, so this only fires on a bug, and then without spending a call.
 */
function batchOf(ids: string[], max: number, what: string): string[] {
  if (ids.length < 1 || ids.length > max || ids.some((id) => !id || !id.trim())) {
    throw new ShopeeValidationError(`Shopee ${what} takes 1 to ${max} non-empty ids, not ${ids.length}`)
  }
  return ids
}

/** One small method per Shopee endpoint; no mapping here. */
export class ShopeeClient {
  readonly http: ShopeeHttp

  constructor(
    readonly options: ResolvedShopeeOptions,
    logger: ProviderDependencies["logger"],
    rateLimits?: RateLimitStore
  ) {
    this.http = new ShopeeHttp(options, logger, rateLimits)
  }

  private partnerIdNumber(): JsonNumber {
    return new JsonNumber(this.options.partnerId)
  }

  /** The authorization link (v2.shop.auth_partner), public-signed; nothing is called. */
  authPartnerUrl(redirect: string): string {
    return this.http.buildUrl("/api/v2/shop/auth_partner", PUBLIC, { redirect })
  }

  getAccessToken(code: string, shopId: string) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/auth/token/get",
      scope: PUBLIC,
      body: { code, partner_id: this.partnerIdNumber(), shop_id: new JsonNumber(shopId) },
      schema: tokenSchema,
      idempotent: false, // the code is single use
    })
  }

  refreshAccessToken(refreshToken: string, shopId: string) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/auth/access_token/get",
      scope: PUBLIC,
      body: { refresh_token: refreshToken, partner_id: this.partnerIdNumber(), shop_id: new JsonNumber(shopId) },
      schema: tokenSchema,
      idempotent: false, // the refresh token is single use
    })
  }

  getShopInfo(session: ShopSession) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/shop/get_shop_info",
      scope: shop(session),
      schema: shopInfoSchema,
      idempotent: true,
    })
  }

  getOrderList(session: ShopSession, input: { timeFrom: number; timeTo: number; cursor: string; pageSize: number }) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/order/get_order_list",
      scope: shop(session),
      query: {
        time_range_field: "update_time",
        time_from: input.timeFrom,
        time_to: input.timeTo,
        page_size: input.pageSize,
        cursor: input.cursor,
        response_optional_fields: "order_status",
        request_order_status_pending: "true",
      },
      schema: orderListSchema,
      idempotent: true,
    })
  }

  getOrderDetail(session: ShopSession, orderSns: string[], fields: string = ORDER_DETAIL_FIELDS) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/order/get_order_detail",
      scope: shop(session),
      query: {
        order_sn_list: batchOf(orderSns, SHOPEE_LIMITS.order_detail_batch, "order_sn_list").join(","),
        request_order_status_pending: "true",
        response_optional_fields: fields,
      },
      schema: orderDetailListSchema,
      idempotent: true,
    })
  }

  getEscrowDetailBatch(session: ShopSession, orderSns: string[]) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/payment/get_escrow_detail_batch",
      scope: shop(session),
      body: { order_sn_list: batchOf(orderSns, SHOPEE_LIMITS.escrow_batch, "order_sn_list") },
      schema: escrowBatchSchema,
      idempotent: true, // a read, although a POST
    })
  }

  cancelOrder(session: ShopSession, body: Record<string, unknown>) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/order/cancel_order",
      scope: shop(session),
      body,
      schema: anyResponseSchema,
      idempotent: false,
    })
  }

  getShippingParameter(session: ShopSession, orderSn: string, packageNumber?: string | null) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/logistics/get_shipping_parameter",
      scope: shop(session),
      query: { order_sn: orderSn, package_number: packageNumber || undefined },
      schema: shippingParameterSchema,
      idempotent: true,
    })
  }

  shipOrder(session: ShopSession, body: Record<string, unknown>) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/logistics/ship_order",
      scope: shop(session),
      body,
      schema: anyResponseSchema,
      idempotent: false,
    })
  }

  getTrackingNumber(session: ShopSession, orderSn: string, packageNumber?: string | null) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/logistics/get_tracking_number",
      scope: shop(session),
      query: { order_sn: orderSn, package_number: packageNumber || undefined },
      schema: trackingNumberSchema,
      idempotent: true,
    })
  }

  getMassTrackingNumber(session: ShopSession, packageNumbers: string[]) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/logistics/get_mass_tracking_number",
      scope: shop(session),
      body: {
        package_list: batchOf(packageNumbers, SHOPEE_LIMITS.tracking_batch ?? 50, "package_list").map((package_number) => ({
          package_number,
        })),
      },
      schema: massTrackingNumberSchema,
      idempotent: true, // a read, although a POST
    })
  }

  createShippingDocument(session: ShopSession, order: DocumentOrder) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/logistics/create_shipping_document",
      scope: shop(session),
      body: { order_list: [order] },
      schema: documentResultSchema,
      idempotent: false,
    })
  }

  getShippingDocumentResult(session: ShopSession, order: DocumentOrder) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/logistics/get_shipping_document_result",
      scope: shop(session),
      body: { order_list: [{ order_sn: order.order_sn, package_number: order.package_number }] },
      schema: documentResultSchema,
      idempotent: true,
    })
  }

  downloadShippingDocument(session: ShopSession, order: DocumentOrder): Promise<BinaryAnswer> {
    return this.http.callBinary({
      method: "POST",
      path: "/api/v2/logistics/download_shipping_document",
      scope: shop(session),
      body: { order_list: [{ order_sn: order.order_sn, package_number: order.package_number }] },
      schema: anyResponseSchema,
      idempotent: true,
    })
  }

  getReturnList(session: ShopSession, input: { pageNo: number; pageSize: number; from: number; to: number }) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/returns/get_return_list",
      scope: shop(session),
      query: {
        page_no: input.pageNo,
        page_size: input.pageSize,
        update_time_from: input.from,
        update_time_to: input.to,
      },
      schema: returnListSchema,
      idempotent: true,
    })
  }

  getReturnDetail(session: ShopSession, returnSn: string) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/returns/get_return_detail",
      scope: shop(session),
      query: { return_sn: returnSn },
      schema: returnDetailSchema,
      idempotent: true,
    })
  }

  confirmReturn(session: ShopSession, returnSn: string) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/returns/confirm",
      scope: shop(session),
      body: { return_sn: returnSn },
      schema: anyResponseSchema,
      idempotent: false,
    })
  }

  disputeReturn(session: ShopSession, body: Record<string, unknown>) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/returns/dispute",
      scope: shop(session),
      body,
      schema: anyResponseSchema,
      idempotent: false,
    })
  }

  getItemList(session: ShopSession, input: { offset: number; pageSize: number; statuses: string[] }) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/product/get_item_list",
      scope: shop(session),
      query: { offset: input.offset, page_size: input.pageSize, item_status: input.statuses },
      schema: itemListSchema,
      idempotent: true,
    })
  }

  getItemBaseInfo(session: ShopSession, itemIds: string[]) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/product/get_item_base_info",
      scope: shop(session),
      query: { item_id_list: itemIds.join(",") },
      schema: itemBaseInfoListSchema,
      idempotent: true,
    })
  }

  getModelList(session: ShopSession, itemId: string) {
    return this.http.call({
      method: "GET",
      path: "/api/v2/product/get_model_list",
      scope: shop(session),
      query: { item_id: itemId },
      schema: modelListSchema,
      idempotent: true,
    })
  }

  updateStock(session: ShopSession, body: Record<string, unknown>) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/product/update_stock",
      scope: shop(session),
      body,
      schema: batchUpdateSchema,
      idempotent: true, // sets absolute stock figures: sending them twice leaves the same stock
    })
  }

  updatePrice(session: ShopSession, body: Record<string, unknown>) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/product/update_price",
      scope: shop(session),
      body,
      schema: batchUpdateSchema,
      idempotent: true, // sets absolute prices: sending them twice leaves the same price
    })
  }

  getLostPushMessage() {
    return this.http.call({
      method: "GET",
      path: "/api/v2/push/get_lost_push_message",
      scope: PUBLIC,
      schema: lostPushSchema,
      idempotent: true,
    })
  }

  confirmConsumedLostPushMessage(lastMessageId: string) {
    return this.http.call({
      method: "POST",
      path: "/api/v2/push/confirm_consumed_lost_push_message",
      scope: PUBLIC,
      body: { last_message_id: new JsonNumber(lastMessageId) },
      schema: anyResponseSchema,
      idempotent: true, // confirming the same id twice is harmless
    })
  }
}
