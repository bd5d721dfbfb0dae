import axios from "axios"
import {
  pushAuthorization,
  startShopeeSandbox,
  type CatalogueItemInput,
  type OrderStatus as ShopeeOrderStatus,
  type ReturnStatus as ShopeeReturnStatus,
  type SandboxItem,
  type SandboxOrder,
  type SandboxReturn,
  type ShopeeSandbox,
} from "../../../sandbox/shopee"
import type { OrderStatus, ReturnStatus } from "../../../src/providers/types"
import type {
  DriverCall,
  DriverListing,
  DriverListingInput,
  DriverOperation,
  DriverOrder,
  DriverPush,
  DriverReturn,
  SandboxDriver,
  RemoteSandbox,
} from "../types"
import { startSandboxCli } from "../remote"

export const SHOPEE_PARTNER_ID = 100777
export const SHOPEE_PARTNER_KEY = "integration-partner-key"

/** The Shopee status an order is put in for each plugin status (the first Shopee maps to it). */
const ORDER_STATUS: Record<OrderStatus, ShopeeOrderStatus> = {
  unpaid: "UNPAID",
  paid: "READY_TO_SHIP",
  processed: "PROCESSED",
  shipped: "SHIPPED",
  delivered: "TO_CONFIRM_RECEIVE",
  completed: "COMPLETED",
  cancel_requested: "IN_CANCEL",
  cancelled: "CANCELLED",
  in_return: "TO_RETURN",
}
const ORDER_STATUS_BACK = Object.fromEntries(Object.entries(ORDER_STATUS).map(([k, v]) => [v, k])) as Record<string, OrderStatus>
ORDER_STATUS_BACK.RETRY_SHIP = "processed"

/** Shopee publishes no refund status: an accepted return is refunded by Shopee. */
const RETURN_STATUS: Record<ReturnStatus, ShopeeReturnStatus> = {
  requested: "REQUESTED",
  processing: "PROCESSING",
  accepted: "ACCEPTED",
  refunded: "ACCEPTED",
  disputed: "SELLER_DISPUTE",
  cancelled: "CANCELLED",
  closed: "CLOSED",
}
const RETURN_STATUS_BACK: Record<ShopeeReturnStatus, ReturnStatus> = {
  REQUESTED: "requested",
  PROCESSING: "processing",
  JUDGING: "processing",
  ACCEPTED: "accepted",
  SELLER_DISPUTE: "disputed",
  CANCELLED: "cancelled",
  CLOSED: "closed",
}

const OPERATION_PATHS: Record<DriverOperation, string> = {
  get_order: "/api/v2/order/get_order_detail",
  list_orders: "/api/v2/order/get_order_list",
  cancel_order: "/api/v2/order/cancel_order",
  ship_order: "/api/v2/logistics/ship_order",
  update_stock: "/api/v2/product/update_stock",
  update_price: "/api/v2/product/update_price",
  get_settlement: "/api/v2/payment/get_escrow_detail_batch",
  dispute_return: "/api/v2/returns/dispute",
  exchange_code: "/api/v2/auth/token/get",
}
const OPERATION_OF_PATH = Object.fromEntries(Object.entries(OPERATION_PATHS).map(([k, v]) => [v, k])) as Record<string, DriverOperation>

/** Shopee's push codes: 2 shop deauthorized, 3 order status, 29 return update; 999 is none of Shopee's. */
const PUSH_CODE = { deauthorized: 2, orderStatus: 3, returnUpdate: 29, unsupported: 999 } as const

type StockBody = { item_id: number; stock_list: { model_id: number }[] }
type CancelBody = { cancel_reason: string; item_list?: { item_id: number; model_id: number }[] }

const normalise = (sku: string) => sku.trim().toLowerCase()

/** Shopee's push signature as the sandbox computes it (sandbox/shopee/signing.ts), never the provider's. */
const pushSignature = (key: string, url: string, body: string) => pushAuthorization(key, url, body)

/**
 * The Shopee sandbox (sandbox/shopee) behind the driver interface. Generated orders come from a seeded
 * generator, reset with the sandbox, so a run can be repeated exactly: SANDBOX_SEED=<n> tries another sequence.
 */
export function shopeeDriver(options: { seed?: number } = {}): SandboxDriver {
  let running: ShopeeSandbox | undefined
  const sandbox = () => {
    if (!running) throw new Error("The Shopee sandbox is not started yet")
    return running
  }
  const seed = options.seed ?? Number(process.env.SANDBOX_SEED || 20261122)

  const listingView = (item: SandboxItem): DriverListing => ({
    id: String(item.item_id),
    name: item.item_name,
    variants: item.models.map((m) => ({
      id: String(m.model_id),
      sku: item.has_model ? m.model_sku : item.item_sku,
      stock: m.stock,
      price: m.original_price,
    })),
  })

  /** An order in the plugin's vocabulary, from the sandbox's order, its total and its lines. */
  const driverOrder = (
    order: Pick<SandboxOrder, "order_sn" | "shop_id" | "order_status" | "buyer_user_id" | "tracking_number" | "update_time">,
    total: number,
    lines: { item_id: number; model_id: number; model_sku: string; item_sku: string; quantity: number }[]
  ): DriverOrder => ({
    id: order.order_sn,
    shop_id: String(order.shop_id),
    status: ORDER_STATUS_BACK[order.order_status],
    external_status: order.order_status,
    buyer_id: String(order.buyer_user_id),
    total,
    tracking_number: order.tracking_number ?? "",
    updated_at: order.update_time,
    lines: lines.map((l) => ({ listing_id: String(l.item_id), variant_id: String(l.model_id), sku: l.model_sku || l.item_sku, quantity: l.quantity })),
  })

  const orderView = (order: SandboxOrder): DriverOrder =>
    driverOrder(order, Number((sandbox().getOrder(order.order_sn) as { total_amount: number }).total_amount), order.lines)

  const returnView = (ret: SandboxReturn): DriverReturn => ({
    id: ret.return_sn,
    order_id: ret.order_sn,
    status: RETURN_STATUS_BACK[ret.status],
    external_status: ret.status,
    refund_amount: ret.refund_amount,
    dispute_texts: [...ret.dispute_text_reason],
    updated_at: ret.update_time,
  })

  /** An order as the control API shows it (sandbox/shopee/routes/control.ts, orderSnapshot). */
  type OrderSnapshot = SandboxOrder & {
    total_amount: number
    item_list: { item_id: number; model_id: number; item_sku: string; model_sku: string; model_quantity_purchased: number }[]
  }
  const snapshotView = (o: OrderSnapshot): DriverOrder =>
    driverOrder(o, Number(o.total_amount), (o.item_list ?? []).map((l) => ({ ...l, quantity: l.model_quantity_purchased })))

  const sign = (hookUrl: string, body: string): DriverPush => ({
    body,
    headers: { "content-type": "application/json", authorization: pushSignature(SHOPEE_PARTNER_KEY, hookUrl, body) },
  })

  const callView = (c: ShopeeSandbox["calls"][number]): DriverCall => {
    const list = (c.body as { order_sn_list?: string[] } | null)?.order_sn_list ?? c.query.order_sn_list ?? []
    return {
      operation: OPERATION_OF_PATH[c.path] ?? null,
      shop_id: c.shop_id === null ? null : String(c.shop_id),
      orders: Array.isArray(list) ? list : list.split(","),
      raw: { path: c.path, query: c.query, body: c.body },
    }
  }

  const listingInput = (l: DriverListingInput): CatalogueItemInput =>
    l.variants?.length
      ? {
          item_name: l.name,
          item_sku: l.sku ?? l.name.toUpperCase(),
          tier_variation: [{ name: l.option ?? "Variant", options: l.variants.map((v, i) => v.name ?? `V${i}`) }],
          models: l.variants.map((v, i) => ({ model_sku: v.sku, model_name: v.name ?? `V${i}`, tier_index: [i], price: v.price, stock: v.stock })),
        }
      : { item_name: l.name, item_sku: l.sku, price: l.price, stock: l.stock }

  const driver: SandboxDriver = {
    platform: "shopee",
    displayName: "Shopee",
    webhookPath: "/hooks/marketplace/shopee",
    // "Answer 2xx with an empty body within 3 s" (the sandbox's pushes wait as long: pushTimeoutMs).
    webhookDeadlineMs: 3000,
    orderStatusPushKind: { external_type: String(PUSH_CODE.orderStatus), payload: { code: PUSH_CODE.orderStatus } },
    orderStatusPushFields: { order_id: "ordersn", status: "status", update_time: "update_time" },
    refundedReturnStatus: "accepted",
    finalStatus: "completed",
    sellerCentreHost: "seller.shopee.sg",
    shippingOptionName: (shopName) => `${shopName} (Shopee logistics)`,

    async start() {
      running = await startShopeeSandbox({ port: 0, partnerId: SHOPEE_PARTNER_ID, partnerKey: SHOPEE_PARTNER_KEY, seed })
      process.env.SHOPEE_PARTNER_ID = String(SHOPEE_PARTNER_ID)
      process.env.SHOPEE_PARTNER_KEY = SHOPEE_PARTNER_KEY
      process.env.SHOPEE_BASE_URL = running.url
    },
    async stop() {
      await running?.close()
      running = undefined
      // The next driver's app must not see this platform configured.
      delete process.env.SHOPEE_PARTNER_ID
      delete process.env.SHOPEE_PARTNER_KEY
      delete process.env.SHOPEE_BASE_URL
    },
    reset() {
      sandbox().reset()
      sandbox().setPushConfig(null)
      sandbox().core.state.config.trackingNumberEmptyCalls = 1
    },
    get url() {
      return sandbox().url
    },

    createShop(input = {}) {
      const shop = sandbox().createShop({
        shop_id: input.id === undefined ? undefined : Number(input.id),
        shop_name: input.name ?? "Sandbox shop",
        // The sandbox gives the region's currency (IDR for ID).
        region: (input.country ?? "sg").toUpperCase(),
      })
      return { id: String(shop.shop_id), name: shop.shop_name }
    },
    issueTokens(shopId) {
      const tokens = sandbox().issueTokens(Number(shopId))
      return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires_in_seconds: tokens.expire_in }
    },
    expireTokens(shopId, alsoRefreshTokens) {
      sandbox().expireToken(Number(shopId), alsoRefreshTokens)
    },
    refreshCount: (shopId) => sandbox().refreshCount(Number(shopId)),
    get authorizeUrlPrefix() {
      return `${sandbox().url}/api/v2/shop/auth_partner`
    },
    async authorize(authUrl, shopId) {
      // Shopee's authorization page lists the partner's shops; the merchant confirms one.
      const page = await axios.get(authUrl, { validateStatus: () => true })
      expect(page.status).toBe(200)
      const link = String(page.data).match(new RegExp(`href="([^"]*shop_id=${shopId}[^"]*)"`))
      expect(link).toBeTruthy()
      const confirm = new URL(link![1].replace(/&amp;/g, "&"), authUrl)
      const answer = await axios.get(confirm.toString(), { maxRedirects: 0, validateStatus: () => true })
      expect(answer.status).toBe(302)
      const redirect = new URL(answer.headers.location as string)
      const params = Object.fromEntries(redirect.searchParams.entries())
      expect(params).toEqual(expect.objectContaining({ state: expect.any(String), code: expect.any(String), shop_id: shopId }))
      return { redirect, params }
    },
    authorizeLinkSelector: (shopId) => `a.confirm[href*="shop_id=${shopId}&"]`,
    // The authorization URL carries the redirect.
    setAppRedirectUrl: () => undefined,
    incompleteCallback: () => ({ state: "x" }),

    createListings: (shopId, listings) => sandbox().seedItems(Number(shopId), listings.map(listingInput)).map(listingView),
    listings: (shopId) => sandbox().listItems(Number(shopId)).map(listingView),
    variant(shopId, sku) {
      for (const listing of driver.listings(shopId)) {
        const variant = listing.variants.find((v) => normalise(v.sku) === normalise(sku))
        if (variant) return { ...variant, listing_id: listing.id }
      }
      throw new Error(`No variant ${sku} in shop ${shopId}`)
    },
    setVariantStock(shopId, sku, stock) {
      const variant = driver.variant(shopId, sku)
      sandbox().setModelStock(Number(variant.listing_id), Number(variant.id), { stock })
    },

    createOrders(shopId, input = {}) {
      if (input.channel !== undefined) throw new Error(`${driver.displayName} orders come through no other channel`)
      const orders = sandbox().createOrders(Number(shopId), {
        count: input.count ?? 1,
        status: input.status ? ORDER_STATUS[input.status] : undefined,
        items: input.items,
        buyer: input.buyer ? { user_id: Number(input.buyer.id), username: input.buyer.name } : undefined,
        payment_method: input.prepaid ? "ShopeePay" : undefined,
      })
      return orders.map(orderView)
    },
    createOrder: (shopId, input = {}) => driver.createOrders(shopId, { ...input, count: 1 })[0],
    order: (orderId) => orderView(sandbox().core.order(orderId)),
    advanceOrder: (orderId, status) => orderView(sandbox().advanceOrder(orderId, ORDER_STATUS[status])),
    driftOrder(orderId, status) {
      sandbox().patchOrder(orderId, { order_status: ORDER_STATUS[status] })
    },
    makeUnreadable(orderId) {
      sandbox().patchOrder(orderId, { order_status: "UNDOCUMENTED_STATUS" as never })
    },
    setOrderTimes(orderId, times) {
      sandbox().patchOrder(orderId, { create_time: times.created_at, update_time: times.updated_at })
    },
    withholdTracking(calls) {
      sandbox().core.state.config.trackingNumberEmptyCalls = calls
    },
    releaseTracking(orderId) {
      sandbox().core.order(orderId).tracking_empty_calls_left = 0
    },
    line(orderId, sku) {
      const line = driver.order(orderId).lines.find((l) => normalise(l.sku) === normalise(sku))
      if (!line) throw new Error(`Order ${orderId} has no line ${sku}`)
      return { listing_id: line.listing_id, variant_id: line.variant_id }
    },

    createReturn(orderId, input = {}) {
      const ret = sandbox().createReturn(orderId, {
        items: input.lines?.map((l) => ({ item_id: Number(l.line.listing_id), model_id: Number(l.line.variant_id), amount: l.quantity })),
        solution: input.solution === "refund_only" ? "REFUND" : input.solution === "return_refund" ? "RETURN_REFUND" : undefined,
        status: input.status ? RETURN_STATUS[input.status] : undefined,
      })
      return returnView(ret)
    },
    advanceReturn(returnId, status) {
      const current = sandbox().core.returnRequest(returnId)
      // A disputed return goes back to Shopee for judging: that is its "processing".
      const target = status === "processing" && current.status === "SELLER_DISPUTE" ? "JUDGING" : RETURN_STATUS[status]
      return returnView(sandbox().advanceReturn(returnId, target))
    },
    return: (returnId) => returnView(sandbox().core.returnRequest(returnId)),

    settlement(orderId) {
      const income = (sandbox().getEscrow(orderId) as { order_income: Record<string, number> }).order_income
      return {
        buyer_total: income.buyer_total_amount,
        net_payout: income.escrow_amount,
        net_payout_after_adjustments: income.escrow_amount_after_adjustment,
        fees: {
          commission: income.commission_fee,
          service: income.service_fee,
          transaction: income.seller_transaction_fee,
          shipping_actual: income.actual_shipping_fee,
        },
        fee_total: income.commission_fee + income.service_fee + income.seller_transaction_fee + (income.escrow_tax ?? 0),
      }
    },
    addSettlementAdjustment(orderId, input) {
      sandbox().addEscrowAdjustment(orderId, input)
    },
    // get_escrow_detail_batch names up to 50 orders; each detail batch brings one tracking-number batch.
    settlementApi: { orders_per_call: 50, other_calls_per_batch: 1, raw_order_field: "order_sn", adjustmentReason: (reason) => reason },
    // get_order_list pages of 100, get_order_detail 50 order_sn, get_mass_tracking_number 50 packages.
    orderApi: { list_page_size: 100, detail_batch: 50, tracking_batch: 50 },

    setPushTarget: (url) => sandbox().setPushConfig(url),
    flushPushes: () => sandbox().flushPushes(),
    deliveries: () => sandbox().pushes.map((p) => ({ body: p.body, status: p.status, ok: p.ok })),
    undeliveredCount: () => sandbox().lostPushes.length,
    orderStatusPush: (hookUrl, { shopId, orderId, status, time, sentAt }) =>
      sign(
        hookUrl,
        JSON.stringify({
          data: { ordersn: orderId, status: ORDER_STATUS[status], update_time: time },
          shop_id: Number(shopId),
          code: PUSH_CODE.orderStatus,
          timestamp: sentAt ?? time,
        })
      ),
    returnStatusPush: (hookUrl, { shopId, orderId, returnId, status, time }) =>
      sign(
        hookUrl,
        JSON.stringify({
          data: {
            order_sn: orderId,
            return_sn: returnId,
            updated_values: [{ update_field: "status", old_value: "", new_value: RETURN_STATUS[status] }],
            update_time: time,
          },
          shop_id: Number(shopId),
          code: PUSH_CODE.returnUpdate,
          timestamp: time,
        })
      ),
    deauthorizationPush: (hookUrl, { shopId, time }) =>
      sign(
        hookUrl,
        JSON.stringify({
          msg_id: `deauth-${shopId}-${time}`,
          data: { shop_id: Number(shopId), success: 1, extra: "The seller cancelled the authorization" },
          shop_id: Number(shopId),
          code: PUSH_CODE.deauthorized,
          timestamp: time,
        })
      ),
    shoplessPush: (hookUrl, { orderId, time }) =>
      sign(
        hookUrl,
        JSON.stringify({ data: { ordersn: orderId, status: ORDER_STATUS.paid, update_time: time }, code: PUSH_CODE.orderStatus, timestamp: time })
      ),
    unsupportedPush: (hookUrl, { shopId, time }) =>
      sign(hookUrl, JSON.stringify({ data: { anything: 1 }, shop_id: Number(shopId), code: PUSH_CODE.unsupported, timestamp: time })),
    sign,
    oversizedPush: (hookUrl, { shopId, bytes }) =>
      sign(hookUrl, JSON.stringify({ data: { pad: "x".repeat(bytes) }, shop_id: Number(shopId), code: PUSH_CODE.orderStatus, timestamp: 1 })),
    badlySignedPushes(hookUrl, push) {
      const { body } = push
      const good = pushSignature(SHOPEE_PARTNER_KEY, hookUrl, body)
      const orderId = String((JSON.parse(body) as { data: { ordersn?: string } }).data.ordersn)
      const withAuth = (payload: string, authorization: string | null): DriverPush => ({
        body: payload,
        headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
      })
      return [
        withAuth(body, null),
        withAuth(body, ""),
        withAuth(body, pushSignature("not-the-key", hookUrl, body)),
        withAuth(body, good.slice(0, 32)),
        withAuth(body.replace(orderId, "999999999"), good),
        withAuth(JSON.stringify(JSON.parse(body), null, 2), good),
        withAuth(body, pushSignature(SHOPEE_PARTNER_KEY, "https://elsewhere.example/hooks/marketplace/shopee", body)),
      ]
    },

    addFault({ operation, kind, count, after }) {
      sandbox().addFault({ path: OPERATION_PATHS[operation], kind, count, after })
    },
    clearFaults: () => sandbox().clearFaults(),
    calls: (operation) =>
      sandbox()
        .calls.filter((c) => operation === undefined || c.path === OPERATION_PATHS[operation])
        .map(callView),
    resetCalls: () => sandbox().resetCalls(),
    stockCalls: (filter = {}) =>
      sandbox()
        .calls.filter((c) => c.path === OPERATION_PATHS.update_stock)
        .map((c) => {
          const body = c.body as StockBody
          return { shop_id: c.shop_id === null ? null : String(c.shop_id), listing_id: String(body.item_id), variant_ids: body.stock_list.map((s) => String(s.model_id)) }
        })
        .filter((c) => (filter.shopId === undefined || c.shop_id === filter.shopId) && (filter.listingId === undefined || c.listing_id === filter.listingId)),
    async startProcess({ port, logFile, seed }) {
      const child = await startSandboxCli(
        "shopee",
        ["--partner-id", String(SHOPEE_PARTNER_ID), "--partner-key", SHOPEE_PARTNER_KEY],
        { port, logFile, seed }
      )
      const { call } = child
      const orderOf = async (p: Promise<{ order: OrderSnapshot }>) => snapshotView((await p).order)
      const returnOf = async (p: Promise<{ return: SandboxReturn }>) => returnView((await p).return)
      const remote: RemoteSandbox = {
        url: child.url,
        pid: child.pid,
        appEnv: { SHOPEE_PARTNER_ID: String(SHOPEE_PARTNER_ID), SHOPEE_PARTNER_KEY, SHOPEE_BASE_URL: child.url },
        stop: () => child.stop(),
        async createShop(input = {}) {
          const { shop } = await call<{ shop: { shop_id: number; shop_name: string } }>("POST", "/sandbox/shops", {
            shop_name: input.name ?? "Sandbox shop",
            region: "SG",
            currency: "SGD",
          })
          return { id: String(shop.shop_id), name: shop.shop_name }
        },
        async issueTokens(shopId) {
          const t = await call<{ access_token: string; refresh_token: string; expire_in: number }>("POST", `/sandbox/shops/${shopId}/tokens`, {})
          return { access_token: t.access_token, refresh_token: t.refresh_token, expires_in_seconds: t.expire_in }
        },
        async createListings(shopId, listings) {
          await call("POST", `/sandbox/shops/${shopId}/items`, { items: listings.map(listingInput) })
        },
        async createOrder(shopId, input) {
          const { orders } = await call<{ orders: OrderSnapshot[] }>("POST", `/sandbox/shops/${shopId}/orders`, {
            count: 1,
            status: input.status ? ORDER_STATUS[input.status] : undefined,
            items: input.items,
            payment_method: "ShopeePay",
          })
          return snapshotView(orders[0])
        },
        advanceOrder: (orderId, status) => orderOf(call("POST", `/sandbox/orders/${orderId}/advance`, { status: ORDER_STATUS[status] })),
        order: (orderId) => orderOf(call("GET", `/sandbox/orders/${orderId}`)),
        createReturn: (orderId, input = {}) =>
          returnOf(
            call("POST", `/sandbox/orders/${orderId}/returns`, {
              solution: input.solution === "refund_only" ? "REFUND" : input.solution === "return_refund" ? "RETURN_REFUND" : undefined,
            })
          ),
        advanceReturn: (returnId, status) => returnOf(call("POST", `/sandbox/returns/${returnId}/advance`, { status: RETURN_STATUS[status] })),
        return: (returnId) => returnOf(call("GET", `/sandbox/returns/${returnId}`)),
        async addFault({ operation, kind, count, retry_after }) {
          await call("POST", "/sandbox/faults", { path: OPERATION_PATHS[operation], kind, count, retry_after })
        },
        async clearFaults() {
          await call("DELETE", "/sandbox/faults")
        },
      }
      return remote
    },
    // The sandbox records every update_stock value with its arrival time (its stock history).
    stockUpdates: (shopId) =>
      sandbox()
        .stockHistory(Number(shopId))
        .stock_history.filter((e) => e.accepted)
        .map((e) => ({ sku: e.sku, stock: e.stock, received_at: e.received_at })),
    cancellations: () =>
      sandbox()
        .calls.filter((c) => c.path === OPERATION_PATHS.cancel_order)
        .map((c) => {
          const body = c.body as CancelBody
          return {
            reason: body.cancel_reason.toLowerCase(),
            lines: (body.item_list ?? []).map((i) => ({ listing_id: String(i.item_id), variant_id: String(i.model_id) })),
          }
        }),
  }
  return driver
}
