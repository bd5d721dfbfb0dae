import axios from "axios"
import { createHash } from "crypto"
import type { SandboxOrder, SandboxProduct, TiktokOrderStatus } from "../../../sandbox/tiktok-shop/core"
import { addAdjustment, type AdjustmentType, orderTransactionsView } from "../../../sandbox/tiktok-shop/finance"
import { startTiktokShopSandbox, type TiktokShopSandbox } from "../../../sandbox/tiktok-shop/server"
import { webhookAuthorization } from "../../../sandbox/tiktok-shop/signing"
import type { SandboxReturn, TiktokArbitrationStatus, TiktokReturnStatus, TiktokReturnType } from "../../../sandbox/tiktok-shop/returns"
import { orderView as apiOrderView, returnView as apiReturnView } from "../../../sandbox/tiktok-shop/views"
import type { OrderStatus, ReturnStatus } from "../../../src/providers/types"
import { roundMoney } from "../../../sandbox/kit/money"
import { startSandboxCli } from "../remote"
import type {
  DriverCall,
  DriverListing,
  DriverListingInput,
  DriverOperation,
  DriverOrder,
  DriverPush,
  DriverReturn,
  DriverSettlement,
  RemoteSandbox,
  SandboxDriver,
} from "../types"

export const TIKTOK_SHOP_APP_KEY = "integration-app-key"
export const TIKTOK_SHOP_APP_SECRET = "integration-app-secret"
export const TIKTOK_SHOP_SERVICE_ID = "7000000000000000077"

/** The driver's order channels (DriverOrderInput.channel) as TikTok's `commerce_platform`; null: TikTok Shop's own. */
function commercePlatformOf(channel: string | null): "TIKTOK_SHOP" | "TOKOPEDIA" {
  if (channel === null) return "TIKTOK_SHOP"
  if (channel === "tokopedia") return "TOKOPEDIA"
  throw new Error(`The TikTok Shop sandbox has no order channel "${channel}"`)
}

/**
 * The TikTok status an order is put in for each plugin status. TikTok has no cancel-request or return status on
 * the order: a buyer's cancellation request is a request beside it (`is_buyer_request_cancel`), made on top.
 */
const ORDER_STATUS: Record<OrderStatus, TiktokOrderStatus> = {
  unpaid: "UNPAID",
  paid: "AWAITING_SHIPMENT",
  processed: "AWAITING_COLLECTION",
  shipped: "IN_TRANSIT",
  delivered: "DELIVERED",
  completed: "COMPLETED",
  cancel_requested: "AWAITING_SHIPMENT",
  cancelled: "CANCELLED",
  in_return: "DELIVERED",
}
const ORDER_STATUS_BACK: Record<TiktokOrderStatus, OrderStatus> = {
  UNPAID: "unpaid",
  ON_HOLD: "paid",
  AWAITING_SHIPMENT: "paid",
  PARTIALLY_SHIPPING: "processed",
  AWAITING_COLLECTION: "processed",
  IN_TRANSIT: "shipped",
  DELIVERED: "delivered",
  COMPLETED: "completed",
  CANCELLED: "cancelled",
}

/** A return as far as the status rules below read it. */
type ReturnState = { status: TiktokReturnStatus; return_type: TiktokReturnType; arbitration_status: TiktokArbitrationStatus | null }
const REJECTED: TiktokReturnStatus[] = ["REFUND_OR_RETURN_REQUEST_REJECT", "REJECT_RECEIVE_PACKAGE", "REPLACEMENT_REQUEST_REJECT"]
const REFUNDED: TiktokReturnStatus[] = ["RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE", "REPLACEMENT_REQUEST_REFUND_SUCCESS"]

/**
 * Where the buyer, the seller or the platform takes a return for each plugin status (TikTok's statuses and
 * arbitration, from the Return and Refund API): `accepted` is the seller's approval (goods still to come back),
 * `refunded` the refund, `processing` the parcel on its way back (or the platform arbitrating a rejection),
 * `closed` the end of a refunded return, or of a rejection the platform upheld.
 */
function returnTarget(ret: ReturnState, status: ReturnStatus): { to: TiktokReturnStatus; arbitration?: TiktokArbitrationStatus } {
  const rejected = REJECTED.includes(ret.status)
  const replacement = ret.return_type === "REPLACEMENT"
  switch (status) {
    case "requested":
      return { to: replacement ? "REPLACEMENT_REQUEST_PENDING" : "RETURN_OR_REFUND_REQUEST_PENDING" }
    case "accepted":
      if (replacement) return { to: "REPLACEMENT_REQUEST_COMPLETE" }
      return { to: ret.return_type === "REFUND" ? "RETURN_OR_REFUND_REQUEST_SUCCESS" : "AWAITING_BUYER_SHIP" }
    case "processing":
      if (rejected) return { to: ret.status, arbitration: "IN_PROGRESS" }
      return { to: ret.return_type === "REFUND" ? "AWAITING_BUYER_RESPONSE" : "BUYER_SHIPPED_ITEM" }
    case "disputed":
      if (replacement) return { to: "REPLACEMENT_REQUEST_REJECT" }
      return { to: ret.status === "BUYER_SHIPPED_ITEM" ? "REJECT_RECEIVE_PACKAGE" : "REFUND_OR_RETURN_REQUEST_REJECT" }
    case "refunded":
      if (replacement) return { to: "REPLACEMENT_REQUEST_REFUND_SUCCESS" }
      return rejected ? { to: "RETURN_OR_REFUND_REQUEST_SUCCESS", arbitration: "SUPPORT_BUYER" } : { to: "RETURN_OR_REFUND_REQUEST_SUCCESS" }
    case "cancelled":
      return { to: replacement ? "REPLACEMENT_REQUEST_CANCEL" : "RETURN_OR_REFUND_REQUEST_CANCEL" }
    case "closed":
      if (REFUNDED.includes(ret.status)) return { to: "RETURN_OR_REFUND_REQUEST_COMPLETE" }
      if (rejected) return { to: ret.status, arbitration: "SUPPORT_SELLER" }
      return { to: replacement ? "REPLACEMENT_REQUEST_COMPLETE" : "RETURN_OR_REFUND_REQUEST_CANCEL" }
  }
}

/** What the plugin reads in a return's TikTok status (the provider's mapping, restated from the docs). */
function returnStatusOf(ret: ReturnState): ReturnStatus {
  if (REJECTED.includes(ret.status)) {
    if (ret.arbitration_status === "IN_PROGRESS" || ret.arbitration_status === "SUPPORT_BUYER") return "processing"
    return ret.arbitration_status ? "closed" : "disputed"
  }
  const map: Partial<Record<TiktokReturnStatus, ReturnStatus>> = {
    RETURN_OR_REFUND_REQUEST_PENDING: "requested",
    REPLACEMENT_REQUEST_PENDING: "requested",
    AWAITING_BUYER_SHIP: "accepted",
    BUYER_SHIPPED_ITEM: "processing",
    AWAITING_BUYER_RESPONSE: "processing",
    RETURN_OR_REFUND_REQUEST_SUCCESS: "refunded",
    REPLACEMENT_REQUEST_REFUND_SUCCESS: "refunded",
    RETURN_OR_REFUND_REQUEST_COMPLETE: "closed",
    REPLACEMENT_REQUEST_COMPLETE: "closed",
  }
  return map[ret.status] ?? "cancelled"
}

/** A return as the API prints it (plus the seller's rejections) -> the driver's view. */
function driverReturn(view: Record<string, any>, rejections: { comment: string | null }[]): DriverReturn {
  return {
    id: view.return_id,
    order_id: view.order_id,
    status: returnStatusOf({ status: view.return_status, return_type: view.return_type, arbitration_status: view.arbitration_status ?? null }),
    external_status: view.return_status,
    refund_amount: Number(view.refund_amount.refund_total),
    dispute_texts: rejections.map((r) => r.comment ?? ""),
    updated_at: view.update_time,
  }
}

const CURRENCY: Record<string, string> = { SG: "SGD", MY: "MYR", ID: "IDR", TH: "THB", PH: "PHP", VN: "VND" }

/** Paths of the operations as fault templates (`{id}` for a path segment); the ones not served yet name the documented endpoint. */
const FAULT_PATHS: Partial<Record<DriverOperation, string>> = {
  get_settlement: "/finance/202501/orders/{order_id}/statement_transactions",
  ship_order: "/fulfillment/202309/packages/{package_id}/ship",
  update_stock: "/product/202309/products/{product_id}/inventory/update",
  update_price: "/product/202309/products/{product_id}/prices/update",
}

/** Paths of the operations; the ones this sandbox does not serve yet name the documented endpoint. */
const OPERATION_PATHS: Record<DriverOperation, string | RegExp> = {
  get_order: "/order/202507/orders",
  list_orders: "/order/202309/orders/search",
  cancel_order: "/return_refund/202309/cancellations",
  ship_order: /^\/fulfillment\/202309\/packages\/[^/]+\/ship$/,
  update_stock: /^\/product\/202309\/products\/[^/]+\/inventory\/update$/,
  update_price: /^\/product\/202309\/products\/[^/]+\/prices\/update$/,
  get_settlement: /^\/finance\/202501\/orders\/[^/]+\/statement_transactions$/,
  dispute_return: /^\/return_refund\/202309\/returns\/[^/]+\/reject$/,
  exchange_code: "/api/v2/token/get",
}
const matches = (path: string, op: DriverOperation) => {
  const p = OPERATION_PATHS[op]
  return typeof p === "string" ? path === p : p.test(path)
}
const operationOf = (path: string): DriverOperation | null =>
  (Object.keys(OPERATION_PATHS) as DriverOperation[]).find((op) => matches(path, op)) ?? null

/** Webhook types: 1 order status, 6 deauthorization, 12 return status; 5 (product status) is one the plugin does not handle. */
const TYPE = { orderStatus: 1, deauthorized: 6, returnStatus: 12, unsupported: 5 } as const

/** A seller cancel reason name ("Cancel reasons") -> the plugin's reason id (the provider's mapping, restated). */
const CANCEL_REASON_IDS: Record<string, string> = {
  out_of_stock: "out_of_stock",
  buyer_requested_cancellation: "customer_request",
  address_not_deliver: "undeliverable_area",
  wrong_price: "wrong_price",
}
const cancelReasonId = (name: string) => {
  const key = name.replace(/_uk$/, "").replace(/^seller_cancel_(unpaid_|paid_)?reason_/, "")
  return CANCEL_REASON_IDS[key] ?? name.toLowerCase()
}

const normalise = (sku: string) => sku.trim().toLowerCase()
type Api = Record<string, any>

/** TikTok's adjustments carry a type, no text: a shipping or logistics correction, or another adjustment. */
const adjustmentType = (reason: string): AdjustmentType => (/shipping|logistic/i.test(reason) ? "SHIPPING_FEE_ADJUSTMENT" : "OTHER_ADJUSTMENT")
const notYet = (what: string): never => {
  throw new Error(`The TikTok Shop sandbox does not serve ${what} yet`)
}

/**
 * A settled order's settlement in the driver's terms, from its "Get Transactions by Order" data (charges are
 * negative there) and its adjustments.
 */
function settlementOf(view: Api, adjustments: { amount: string }[]): DriverSettlement {
  const skus = view.sku_transactions as Api[]
  if (!skus.length) throw new Error(`Order ${view.order_id} is not settled yet`)
  const sum = (pick: (s: Api) => unknown) => skus.reduce((n, s) => n + Number(pick(s) ?? 0), 0)
  const net = Number(view.settlement_amount)
  return {
    buyer_total: Number(view.revenue_amount) + sum((s) => s.shipping_cost_breakdown.customer_paid_shipping_fee_amount),
    net_payout: net,
    net_payout_after_adjustments: roundMoney(net + adjustments.reduce((n, a) => n + Number(a.amount), 0), String(view.currency)),
    fees: {
      commission: -sum((s) => s.fee_tax_breakdown.fee.platform_commission_amount),
      service: -sum((s) => s.fee_tax_breakdown.fee.sfp_service_fee_amount),
      transaction: -sum((s) => s.fee_tax_breakdown.fee.transaction_fee_amount),
      shipping_actual: -sum((s) => s.shipping_cost_breakdown.actual_shipping_fee_amount),
    },
    // Every fee and tax (the sandbox charges no shipping beyond the carrier's fee, which is not a fee).
    fee_total: -Number(view.fee_and_tax_amount),
  }
}

/** The TikTok Shop sandbox (sandbox/tiktok-shop) behind the driver interface, as far as the provider goes. */
export function tiktokShopDriver(options: { seed?: number } = {}): SandboxDriver {
  let running: TiktokShopSandbox | undefined
  const sandbox = () => {
    if (!running) throw new Error("The TikTok Shop sandbox is not started yet")
    return running
  }
  const core = () => sandbox().core
  const seed = options.seed ?? Number(process.env.SANDBOX_SEED || 20261122)
  let notification = 7380066284010030000n

  const sellerOf = (shopId: string) => core().shop(shopId).seller_open_id

  const listingView = (p: SandboxProduct): DriverListing => ({
    id: p.id,
    name: p.title,
    variants: p.skus.map((s) => ({ id: s.id, sku: s.seller_sku, stock: s.inventory.reduce((n, w) => n + w.quantity, 0), price: Number(s.price) })),
  })

  const orderView = (o: SandboxOrder): DriverOrder => {
    const view = apiOrderView(o, core().state.packages) as { payment: { total_amount: string } }
    const lines = new Map<string, { listing_id: string; variant_id: string; sku: string; quantity: number }>()
    for (const u of o.units) {
      const line = lines.get(u.sku_id) ?? { listing_id: u.product_id, variant_id: u.sku_id, sku: u.seller_sku, quantity: 0 }
      line.quantity += 1
      lines.set(u.sku_id, line)
    }
    return {
      id: o.id,
      shop_id: o.shop_id,
      status: o.cancellation?.status === "CANCELLATION_REQUEST_PENDING" ? "cancel_requested" : (ORDER_STATUS_BACK[o.status] ?? "paid"),
      external_status: o.status,
      buyer_id: o.user_id,
      total: Number(view.payment.total_amount),
      tracking_number: o.tracking_number ?? "",
      updated_at: o.update_time,
      lines: [...lines.values()],
    }
  }

  const sign = (_hookUrl: string, body: string): DriverPush => ({
    body,
    headers: { "content-type": "application/json", authorization: webhookAuthorization(TIKTOK_SHOP_APP_KEY, TIKTOK_SHOP_APP_SECRET, body) },
  })
  const envelope = (type: number, shopId: string | null, data: Record<string, unknown>, time: number) => {
    notification += 1n
    return JSON.stringify({ type, tts_notification_id: String(notification), ...(shopId ? { shop_id: shopId } : {}), timestamp: time, data })
  }

  const returnView = (r: SandboxReturn) => driverReturn(apiReturnView(r, core().order(r.order_id)), r.rejections)

  const callView = (c: TiktokShopSandbox["calls"][number]): DriverCall => {
    const ids = c.query.ids
    const operation = operationOf(c.path)
    return {
      operation,
      shop_id: c.shop_id === null ? null : String(c.shop_id),
      // The settlement names its one order in the path.
      orders: operation === "get_settlement" ? [decodeURIComponent(c.path.split("/")[4])] : typeof ids === "string" ? ids.split(",") : [],
      raw: { path: c.path, query: c.query, body: c.body },
    }
  }

  const createProduct = (shopId: string, l: DriverListingInput) =>
    core().createProduct(shopId, {
      title: l.name,
      skus: l.variants?.length
        ? l.variants.map((v, i) => ({ seller_sku: v.sku, name: v.name ?? `V${i}`, price: String(v.price), stock: v.stock }))
        : [{ seller_sku: l.sku ?? l.name.toUpperCase(), price: String(l.price ?? 10), stock: l.stock ?? 10 }],
    })

  const driver: SandboxDriver = {
    platform: "tiktok-shop",
    displayName: "TikTok Shop",
    webhookPath: "/hooks/marketplace/tiktok-shop",
    // "Answer 200 with an empty body within 3 s" (the sandbox's webhooks wait as long).
    webhookDeadlineMs: 3000,
    orderStatusPushKind: { external_type: String(TYPE.orderStatus), payload: { type: TYPE.orderStatus } },
    orderStatusPushFields: { order_id: "order_id", status: "order_status", update_time: "update_time" },
    finalStatus: "completed",
    // One order status push (type 1) per step; the tracking number comes with the order, not in a push of its own.
    shipmentPushes: 3,
    sellerCentreHost: "tiktok.com",
    orderChannels: ["tokopedia"],
    refundedReturnStatus: "refunded",
    shippingOptionName: (shopName) => `${shopName} (TikTok Shop logistics)`,

    async start() {
      running = await startTiktokShopSandbox({
        port: 0,
        appKey: TIKTOK_SHOP_APP_KEY,
        appSecret: TIKTOK_SHOP_APP_SECRET,
        serviceId: TIKTOK_SHOP_SERVICE_ID,
        seed,
        // The redirect URL registered with the app in Partner Center: only its path matters to the specs.
        redirectUrl: "http://127.0.0.1/app/marketplaces/oauth/tiktok-shop",
      })
      process.env.TIKTOK_SHOP_APP_KEY = TIKTOK_SHOP_APP_KEY
      process.env.TIKTOK_SHOP_APP_SECRET = TIKTOK_SHOP_APP_SECRET
      process.env.TIKTOK_SHOP_SERVICE_ID = TIKTOK_SHOP_SERVICE_ID
      process.env.TIKTOK_SHOP_BASE_URL = running.url
      process.env.TIKTOK_SHOP_AUTH_URL = running.url
      process.env.TIKTOK_SHOP_AUTHORIZE_URL = running.url
    },
    async stop() {
      await running?.close()
      running = undefined
      for (const name of ["APP_KEY", "APP_SECRET", "SERVICE_ID", "BASE_URL", "AUTH_URL", "AUTHORIZE_URL"]) delete process.env[`TIKTOK_SHOP_${name}`]
    },
    reset() {
      const redirect = core().state.redirectUrl
      sandbox().reset()
      sandbox().setPushConfig(null)
      core().state.redirectUrl = redirect
    },
    get url() {
      return sandbox().url
    },

    createShop(input = {}) {
      const region = (input.country ?? "sg").toUpperCase()
      const seller = core().createSeller({ shops: [{ id: input.id, name: input.name ?? "Sandbox shop", region, currency: CURRENCY[region] ?? "USD" }] })
      const shop = core().shop(seller.shop_ids[0])
      return { id: shop.id, name: shop.name, metadata: { cipher: shop.cipher } }
    },
    issueTokens(shopId) {
      const t = core().issueTokens(sellerOf(shopId))
      return { access_token: t.access_token, refresh_token: t.refresh_token, expires_in_seconds: t.expire_in }
    },
    expireTokens(shopId, alsoRefreshTokens) {
      core().state.tokens.expire(sellerOf(shopId), alsoRefreshTokens)
    },
    refreshCount: (shopId) => core().state.refreshes.get(sellerOf(shopId)) ?? 0,
    get authorizeUrlPrefix() {
      return `${sandbox().url}/open/authorize`
    },
    async authorize(authUrl, shopId) {
      // The authorization page lists sellers; authorizing one covers all of its shops.
      const page = await axios.get(authUrl, { validateStatus: () => true })
      expect(page.status).toBe(200)
      const link = String(page.data).match(new RegExp(`href="([^"]*open_id=${encodeURIComponent(sellerOf(shopId))}[^"]*)"`))
      expect(link).toBeTruthy()
      const confirm = new URL(link![1].replace(/&amp;/g, "&"), authUrl)
      const answer = await axios.get(confirm.toString(), { maxRedirects: 0, validateStatus: () => true })
      expect(answer.status).toBe(302)
      const redirect = new URL(answer.headers.location as string)
      const params = Object.fromEntries(redirect.searchParams.entries())
      expect(params).toEqual(expect.objectContaining({ state: expect.any(String), code: expect.any(String) }))
      return { redirect, params }
    },
    // The page lists sellers: authorizing the shop's seller covers all of its shops.
    authorizeLinkSelector: (shopId) => `a[href*="open_id=${encodeURIComponent(sellerOf(shopId))}&"]`,
    setAppRedirectUrl(url) {
      core().state.redirectUrl = url
    },
    incompleteCallback: () => ({ state: "x" }),

    createListings: (shopId, listings) => listings.map((l) => listingView(createProduct(shopId, l))),
    listings: (shopId) => [...core().state.products.values()].filter((p) => p.shop_id === shopId).map(listingView),
    variant(shopId, sku) {
      for (const listing of driver.listings(shopId)) {
        const variant = listing.variants.find((v) => normalise(v.sku) === normalise(sku))
        if (variant) return { ...variant, listing_id: listing.id }
      }
      throw new Error(`No variant ${sku} in shop ${shopId}`)
    },
    setVariantStock(shopId, sku, stock) {
      const variant = driver.variant(shopId, sku)
      const found = core().state.products.get(variant.listing_id)?.skus.find((s) => s.id === variant.id)
      found?.inventory.forEach((w, i) => {
        w.quantity = i === 0 ? stock : 0
      })
    },

    createOrders(shopId, input = {}) {
      const out: DriverOrder[] = []
      for (let i = 0; i < (input.count ?? 1); i++) {
        const picked = input.items?.length
          ? input.items.map((it) => ({ variant: driver.variant(shopId, it.sku), quantity: it.quantity }))
          : [{ variant: driver.listings(shopId).flatMap((l) => l.variants).find((v) => v.stock > 0) ?? notYet("orders without listings"), quantity: 1 }]
        // As the seeded generators of other sandboxes do: some orders carry a seller discount of about 10%.
        const currency = core().shop(shopId).currency
        const discounted = core().state.random.int(0, 2) === 0
        const lines = picked.map(({ variant, quantity }) => ({
          sku_id: variant.id,
          quantity,
          ...(discounted ? { seller_discount: String(roundMoney(variant.price * 0.1, currency)) } : {}),
        }))
        const order = core().createOrder(shopId, {
          status: ORDER_STATUS[input.status ?? "paid"],
          ...(input.channel !== undefined ? { commerce_platform: commercePlatformOf(input.channel) } : {}),
          lines,
          buyer: input.buyer ? { user_id: input.buyer.id, name: input.buyer.name } : undefined,
        })
        if (input.status === "cancel_requested") core().requestBuyerCancel(order.id)
        out.push(orderView(order))
      }
      return out
    },
    createOrder: (shopId, input = {}) => driver.createOrders(shopId, { ...input, count: 1 })[0],
    order: (orderId) => orderView(core().order(orderId)),
    advanceOrder(orderId, status) {
      const order = core().order(orderId)
      // A buyer's cancellation is a request beside the order (type 11), answered by cancelling the order.
      if (status === "cancel_requested") core().requestBuyerCancel(orderId)
      else if (status === "cancelled" && order.cancellation?.status === "CANCELLATION_REQUEST_PENDING") core().settleBuyerCancel(orderId, "accept")
      else core().orders.advance(order, ORDER_STATUS[status])
      return orderView(order)
    },
    driftOrder(orderId, status) {
      core().patchOrder(orderId, { status: ORDER_STATUS[status] })
    },
    makeUnreadable(orderId) {
      core().patchOrder(orderId, { status: "UNDOCUMENTED_STATUS" as TiktokOrderStatus })
    },
    setOrderTimes(orderId, times) {
      core().patchOrder(orderId, { create_time: times.created_at, update_time: times.updated_at })
    },
    // A slow 3PL: packages arranged while this lasts get their tracking number when released or picked up.
    withholdTracking(calls) {
      core().state.withholdTracking = calls
    },
    releaseTracking(orderId) {
      core().releaseTracking(orderId)
    },
    line(orderId, sku) {
      const line = driver.order(orderId).lines.find((l) => normalise(l.sku) === normalise(sku))
      if (!line) throw new Error(`Order ${orderId} has no line ${sku}`)
      return { listing_id: line.listing_id, variant_id: line.variant_id }
    },

    // What the seller does with "Split Orders" / "Combine Package" and the carrier with each package, on the
    // sandbox's state; its pushes (type 4 for a split or combine, type 1 when an order's status changes) go to the
    // push target as the API's would.
    packages: {
      split(orderId, groups) {
        const order = core().order(orderId)
        const unitGroups = groups.map((skus) => {
          const wanted = new Set(skus.map(normalise))
          return order.units.filter((u) => wanted.has(normalise(u.seller_sku))).map((u) => u.id)
        })
        const unknown = groups.flat().find((sku) => !order.units.some((u) => normalise(u.seller_sku) === normalise(sku)))
        if (unknown) throw new Error(`Order ${orderId} has no SKU ${unknown}`)
        return core().splitOrder(orderId, unitGroups).map((p) => p.id)
      },
      advance(orderId, packageId, stage) {
        const order = core().order(orderId)
        if (!order.package_ids.includes(packageId)) throw new Error(`Order ${orderId} has no package ${packageId}`)
        core().advancePackage(packageId, stage === "shipped" ? "FULFILLING" : "COMPLETED")
        return orderView(order)
      },
      list(orderId) {
        const order = core().order(orderId)
        return order.package_ids.map((id) => {
          const units: Record<string, number> = {}
          for (const u of order.units.filter((unit) => unit.package_id === id)) units[u.seller_sku] = (units[u.seller_sku] ?? 0) + 1
          const pkg = core().state.packages.get(id)
          return { id, units, tracking_number: (pkg ? pkg.tracking_number : order.tracking_number) ?? null }
        })
      },
      // The seller's choice in Seller Center: paid orders of one shop, whoever bought them (the signed API only
      // combines one buyer's orders, as "Search Combinable Packages" offers them).
      combine: (orderIds) => core().combineOrders(orderIds, { sameBuyer: false }).id,
    },

    createReturn(orderId, input = {}) {
      const order = core().order(orderId)
      const taken = new Set(
        [...core().state.returns.values()].filter((r) => r.order_id === orderId && !r.status.endsWith("_CANCEL")).flatMap((r) => r.unit_ids)
      )
      // Each line's quantity as that many units of its SKU not in another return yet.
      const unitIds = (input.lines ?? []).flatMap(({ line, quantity }) =>
        order.units
          .filter((u) => u.sku_id === line.variant_id && !taken.has(u.id))
          .slice(0, quantity)
          .map((u) => u.id)
      )
      const type: TiktokReturnType = input.solution === "refund_only" ? "REFUND" : "RETURN_AND_REFUND"
      const target = input.status && input.status !== "requested" ? returnTarget({ status: "RETURN_OR_REFUND_REQUEST_PENDING", return_type: type, arbitration_status: null }, input.status) : null
      const ret = core().createReturn(orderId, { type, unit_ids: unitIds, status: target?.to, arbitration_status: target?.arbitration })
      return returnView(ret)
    },
    advanceReturn(returnId, status) {
      const ret = core().returns.get(returnId)
      const { to, arbitration } = returnTarget(ret, status)
      core().returns.move(ret, to, arbitration)
      return returnView(ret)
    },
    return: (returnId) => returnView(core().returns.get(returnId)),
    settlement(orderId) {
      const state = core().state
      return settlementOf(orderTransactionsView(state, core().order(orderId)), state.adjustments.filter((a) => a.order_id === orderId))
    },
    addSettlementAdjustment(orderId, { amount, reason }) {
      addAdjustment(core().state, core().order(orderId), { amount: String(amount), type: adjustmentType(reason) })
    },
    // "Get Transactions by Order" names one order; a batch of escrow walks the statements: their list and one
    // statement's transactions (all the sandbox's orders settle the same day). Tracking numbers come with the order.
    settlementApi: { orders_per_call: 1, other_calls_per_batch: 2, raw_order_field: "order_id", adjustmentReason: adjustmentType },
    // Search Orders pages of 100, Get Order Detail 50 ids; the tracking number comes with the order.
    orderApi: { list_page_size: 100, detail_batch: 50 },

    setPushTarget: (url) => sandbox().setPushConfig(url),
    flushPushes: () => sandbox().flushPushes(),
    deliveries: () => sandbox().pushes.map((p) => ({ body: p.body, status: p.status, ok: p.ok })),
    // TikTok keeps no list of missed webhooks: what was never taken is what is still to be re-sent or given up.
    undeliveredCount: () => sandbox().lostPushes.length,
    orderStatusPush: (hookUrl, { shopId, orderId, status, time, sentAt }) =>
      sign(
        hookUrl,
        envelope(
          TYPE.orderStatus,
          shopId,
          { order_id: orderId, order_status: status === "cancelled" ? "CANCEL" : ORDER_STATUS[status], is_on_hold_order: false, update_time: time },
          sentAt ?? time
        )
      ),
    returnStatusPush: (hookUrl, { shopId, orderId, returnId, status, time }) => {
      // The in-process sandbox's return when there is one; a sandbox in its own process (chaos bench) signs the
      // push from what the caller says.
      const ret = running?.core.state.returns.get(returnId)
      const type = ret?.return_type ?? "RETURN_AND_REFUND"
      const { to } = returnTarget({ status: "RETURN_OR_REFUND_REQUEST_PENDING", return_type: type, arbitration_status: null }, status)
      const data = { order_id: orderId, return_role: "BUYER", return_type: type, return_status: to, return_id: returnId, create_time: ret?.create_time ?? time, update_time: time }
      // The same change is the same notification: a re-delivery repeats its tts_notification_id.
      const id = BigInt(`0x${createHash("sha256").update(JSON.stringify([shopId, data])).digest("hex").slice(0, 15)}`).toString().padStart(19, "7")
      return sign(hookUrl, JSON.stringify({ type: TYPE.returnStatus, tts_notification_id: id, shop_id: shopId, timestamp: time, data }))
    },
    deauthorizationPush: (hookUrl, { shopId, time }) =>
      sign(hookUrl, envelope(TYPE.deauthorized, shopId, { message: "The seller has deauthorized the app" }, time)),
    shoplessPush: (hookUrl, { orderId, time }) =>
      sign(hookUrl, envelope(TYPE.orderStatus, null, { order_id: orderId, order_status: "AWAITING_SHIPMENT", update_time: time }, time)),
    unsupportedPush: (hookUrl, { shopId, time }) => sign(hookUrl, envelope(TYPE.unsupported, shopId, { product_id: "1", status: "ACTIVATE" }, time)),
    sign,
    oversizedPush: (hookUrl, { shopId, bytes }) => sign(hookUrl, envelope(TYPE.orderStatus, shopId, { pad: "x".repeat(bytes) }, 1)),
    badlySignedPushes(_hookUrl, push) {
      const { body } = push
      const good = webhookAuthorization(TIKTOK_SHOP_APP_KEY, TIKTOK_SHOP_APP_SECRET, body)
      const orderId = String((JSON.parse(body) as { data: { order_id?: string } }).data.order_id)
      const withAuth = (payload: string, authorization: string | null): DriverPush => ({
        body: payload,
        headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
      })
      return [
        withAuth(body, null),
        withAuth(body, ""),
        withAuth(body, webhookAuthorization(TIKTOK_SHOP_APP_KEY, "not-the-secret", body)),
        withAuth(body, good.slice(0, 32)),
        withAuth(body.replace(orderId, "999999999"), good),
        withAuth(JSON.stringify(JSON.parse(body), null, 2), good),
        withAuth(body, webhookAuthorization("another-app", TIKTOK_SHOP_APP_SECRET, body)),
      ]
    },

    addFault({ operation, kind, count, after }) {
      const path = FAULT_PATHS[operation] ?? OPERATION_PATHS[operation]
      if (typeof path !== "string") return notYet(`faults on ${operation}`)
      sandbox().addFault({ path, kind, count, after })
    },
    clearFaults: () => sandbox().clearFaults(),
    calls: (operation) =>
      sandbox()
        .calls.filter((c) => operation === undefined || matches(c.path, operation))
        .map(callView),
    resetCalls: () => sandbox().resetCalls(),
    stockCalls: (filter = {}) =>
      sandbox()
        .calls.filter((c) => matches(c.path, "update_stock"))
        .map((c) => {
          const body = c.body as { skus?: { id: string }[] }
          return {
            shop_id: c.shop_id === null ? null : String(c.shop_id),
            listing_id: c.path.split("/")[4],
            variant_ids: (body.skus ?? []).map((s) => String(s.id)),
          }
        })
        .filter((c) => (filter.shopId === undefined || c.shop_id === filter.shopId) && (filter.listingId === undefined || c.listing_id === filter.listingId)),
    // Each quantity an inventory update applied, with the update's arrival (the sandbox's inventory update record).
    stockUpdates: (shopId) =>
      core()
        .state.inventoryUpdates.filter((u) => u.shop_id === shopId)
        .map((u) => ({ sku: u.seller_sku, stock: u.quantity, received_at: u.received_at })),
    // "Cancel Order" calls in the plugin's words: the reason name back to its vocabulary id, the SKUs as lines.
    cancellations: () =>
      sandbox()
        .calls.filter((c) => matches(c.path, "cancel_order"))
        .map((c) => {
          const body = c.body as { order_id: string; cancel_reason: string; skus?: { sku_id: string }[] }
          const units = core().state.orders.get(body.order_id)?.units ?? []
          return {
            reason: cancelReasonId(body.cancel_reason),
            lines: (body.skus ?? []).map((s) => ({ listing_id: units.find((u) => u.sku_id === s.sku_id)?.product_id ?? "", variant_id: s.sku_id })),
          }
        }),

    async startProcess({ port, logFile, seed: processSeed }) {
      const child = await startSandboxCli(
        "tiktok-shop",
        ["--app-key", TIKTOK_SHOP_APP_KEY, "--app-secret", TIKTOK_SHOP_APP_SECRET, "--service-id", TIKTOK_SHOP_SERVICE_ID],
        { port, logFile, seed: processSeed }
      )
      const { call } = child
      const remoteOrder = (o: Api): DriverOrder => {
        const lines = new Map<string, { listing_id: string; variant_id: string; sku: string; quantity: number }>()
        for (const u of o.line_items as Api[]) {
          const line = lines.get(u.sku_id) ?? { listing_id: u.product_id, variant_id: u.sku_id, sku: u.seller_sku, quantity: 0 }
          line.quantity += 1
          lines.set(u.sku_id, line)
        }
        return {
          id: o.id,
          shop_id: "",
          status: o.is_buyer_request_cancel ? "cancel_requested" : (ORDER_STATUS_BACK[o.status as TiktokOrderStatus] ?? "paid"),
          external_status: o.status,
          buyer_id: o.user_id,
          total: Number(o.payment.total_amount),
          tracking_number: o.tracking_number ?? "",
          updated_at: o.update_time,
          lines: [...lines.values()],
        }
      }
      const products = new Map<string, Api[]>()
      const remote: RemoteSandbox = {
        url: child.url,
        pid: child.pid,
        appEnv: {
          TIKTOK_SHOP_APP_KEY,
          TIKTOK_SHOP_APP_SECRET,
          TIKTOK_SHOP_SERVICE_ID,
          TIKTOK_SHOP_BASE_URL: child.url,
          TIKTOK_SHOP_AUTH_URL: child.url,
          TIKTOK_SHOP_AUTHORIZE_URL: child.url,
        },
        stop: () => child.stop(),
        async createShop(input = {}) {
          const { shops } = await call<{ shops: Api[] }>("POST", "/sandbox/sellers", { shops: [{ name: input.name ?? "Sandbox shop", region: "SG", currency: "SGD" }] })
          return { id: shops[0].id, name: shops[0].name, metadata: { cipher: shops[0].cipher } }
        },
        async issueTokens(shopId) {
          const { shop } = await call<{ shop: Api }>("GET", `/sandbox/shops/${shopId}`)
          const t = await call<{ access_token: string; refresh_token: string; expire_in: number }>("POST", `/sandbox/sellers/${shop.seller_open_id}/tokens`, {})
          return { access_token: t.access_token, refresh_token: t.refresh_token, expires_in_seconds: t.expire_in }
        },
        async createListings(shopId, listings) {
          for (const l of listings) {
            const { product } = await call<{ product: Api }>("POST", `/sandbox/shops/${shopId}/products`, {
              title: l.name,
              skus: l.variants?.length
                ? l.variants.map((v) => ({ seller_sku: v.sku, name: v.name, price: String(v.price), stock: v.stock }))
                : [{ seller_sku: l.sku ?? l.name.toUpperCase(), price: String(l.price ?? 10), stock: l.stock ?? 10 }],
            })
            products.set(shopId, [...(products.get(shopId) ?? []), product])
          }
        },
        async createOrder(shopId, input) {
          const skus = (products.get(shopId) ?? []).flatMap((p) => p.skus as Api[])
          const lines = input.items.map((it) => ({ sku_id: skus.find((s) => normalise(s.seller_sku) === normalise(it.sku))?.id ?? it.sku, quantity: it.quantity }))
          const { order } = await call<{ order: Api }>("POST", `/sandbox/shops/${shopId}/orders`, { status: ORDER_STATUS[input.status ?? "paid"], lines })
          return { ...remoteOrder(order), shop_id: shopId }
        },
        async advanceOrder(orderId, status) {
          if (status === "cancel_requested") return remoteOrder((await call<{ order: Api }>("POST", `/sandbox/orders/${orderId}/buyer-cancel`, {})).order)
          const current = (await call<{ order: Api }>("GET", `/sandbox/orders/${orderId}`)).order
          if (status === "cancelled" && current.is_buyer_request_cancel) {
            return remoteOrder((await call<{ order: Api }>("POST", `/sandbox/orders/${orderId}/buyer-cancel`, { settle: "accept" })).order)
          }
          return remoteOrder((await call<{ order: Api }>("POST", `/sandbox/orders/${orderId}/advance`, { to: ORDER_STATUS[status] })).order)
        },
        order: async (orderId) => remoteOrder((await call<{ order: Api }>("GET", `/sandbox/orders/${orderId}`)).order),
        async createReturn(orderId, input = {}) {
          const { return: view, rejections } = await call<{ return: Api; rejections: Api[] }>("POST", `/sandbox/orders/${orderId}/returns`, {
            type: input.solution === "refund_only" ? "REFUND" : "RETURN_AND_REFUND",
          })
          return driverReturn(view, rejections as { comment: string | null }[])
        },
        async advanceReturn(returnId, status) {
          const { return: current } = await call<{ return: Api }>("GET", `/sandbox/returns/${returnId}`)
          const { to, arbitration } = returnTarget(
            { status: current.return_status, return_type: current.return_type, arbitration_status: current.arbitration_status ?? null },
            status
          )
          const { return: view, rejections } = await call<{ return: Api; rejections: Api[] }>("POST", `/sandbox/returns/${returnId}/advance`, {
            to,
            ...(arbitration ? { arbitration_status: arbitration } : {}),
          })
          return driverReturn(view, rejections as { comment: string | null }[])
        },
        async return(returnId) {
          const { return: view, rejections } = await call<{ return: Api; rejections: Api[] }>("GET", `/sandbox/returns/${returnId}`)
          return driverReturn(view, rejections as { comment: string | null }[])
        },
        async addFault({ operation, kind, count, retry_after }) {
          const path = FAULT_PATHS[operation] ?? OPERATION_PATHS[operation]
          if (typeof path !== "string") return notYet(`faults on ${operation}`)
          await call("POST", "/sandbox/faults", { path, kind, count, retry_after })
        },
        async clearFaults() {
          await call("DELETE", "/sandbox/faults")
        },
        async settlement(orderId) {
          const { settlement, adjustments } = await call<{ settlement: Api; adjustments: { amount: string }[] }>("GET", `/sandbox/orders/${orderId}/settlement`)
          return settlementOf(settlement, adjustments)
        },
        async addSettlementAdjustment(orderId, { amount, reason }) {
          await call("POST", `/sandbox/orders/${orderId}/adjustments`, { amount: String(amount), type: adjustmentType(reason) })
        },
        async withholdTracking(calls) {
          await call("POST", "/sandbox/tracking/withhold", { calls })
        },
        async releaseTracking(orderId) {
          await call("POST", `/sandbox/orders/${orderId}/release-tracking`, {})
        },
      }
      return remote
    },
  }
  return driver
}
