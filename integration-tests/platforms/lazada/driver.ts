import axios from "axios"
import {
  addAdjustment,
  AUTH_ROOT,
  countryRoot,
  CURRENCY,
  ITEM_TABLE,
  lazadaPushAuthorization,
  orderTransactions,
  pushKey,
  SELLER_CANCEL_REASONS,
  startLazadaSandbox,
  type Country,
  type ItemStatus,
  type LazadaSandbox,
  type SandboxAccount,
  type SandboxOrder,
  type SandboxProduct,
  type ReverseStatus,
  type SandboxReverseOrder,
} from "../../../sandbox/lazada"
import type { OrderStatus, ReturnStatus } from "../../../src/providers/types"
import { currencyDecimals, roundMoney } from "../../../sandbox/kit/money"
import { startSandboxCli } from "../remote"
import type {
  DriverCall,
  DriverSettlement,
  DriverListing,
  DriverListingInput,
  DriverOperation,
  DriverOrder,
  DriverPackages,
  DriverPush,
  DriverReturn,
  RemoteSandbox,
  SandboxDriver,
} from "../types"

export const LAZADA_APP_KEY = "100778"
export const LAZADA_APP_SECRET = "integration-lazada-secret"

/** The item status every remaining item is moved to for a plugin status. */
const ITEM_STATUS: Partial<Record<OrderStatus, ItemStatus>> = {
  unpaid: "unpaid",
  paid: "pending",
  processed: "ready_to_ship",
  shipped: "shipped",
  delivered: "delivered",
  // Lazada has no "completed": a delivered order is as far as it goes.
  completed: "delivered",
  cancelled: "canceled",
  in_return: "returned",
}

/**
 * The order's plugin status from its items, as the driver reads the sandbox (written here from the docs' item
 * statuses, not taken from the provider): cancelled items do not count unless all are; otherwise the least
 * advanced item's stage.
 */
const STAGE: Record<string, [number, OrderStatus]> = {
  unpaid: [0, "unpaid"],
  pending: [1, "paid"],
  packed: [2, "processed"],
  ready_to_ship: [2, "processed"],
  shipped: [3, "shipped"],
  delivered: [4, "delivered"],
  returned: [5, "in_return"],
  failed: [5, "in_return"],
}

function statusOf(order: SandboxOrder): OrderStatus {
  const live = order.items.filter((i) => i.status !== "canceled" && i.status !== "lost")
  if (live.length === 0) return "cancelled"
  if (live.some((i) => i.need_cancel_confirm)) return "cancel_requested"
  return live.map((i) => STAGE[i.status] ?? STAGE.pending).sort((a, b) => a[0] - b[0])[0][1]
}

/** What a reverse order's state is made of (its lines'), as the driver reads and moves it. */
type ReverseLineState = { reverse_status: ReverseStatus; is_dispute: boolean; ofc_status: string }
type ReverseChange = { reverse_status?: ReverseStatus; is_dispute?: boolean; ofc_status?: string }

/**
 * Where the buyer, the seller or Lazada takes a reverse order for each plugin status (the processing guide's steps):
 * `accepted` the seller's agreeReturn, `processing` the parcel on its way back (or Lazada arbitrating a refusal, or a
 * refund-only dispute), `disputed` the seller's refusal, `refunded` REFUND_SUCCESS, `cancelled` the buyer's withdrawal,
 * `closed` the end (ofc_status CLOSED) of a refunded reverse order or of a refusal that stood.
 */
function reverseTarget(ro: { request_type: string; lines: ReverseLineState[] }, status: ReturnStatus): ReverseChange {
  const current = ro.lines.find((l) => l.reverse_status !== "REQUEST_CANCEL")?.reverse_status ?? "REQUEST_INITIATE"
  const refused = current === "REQUEST_REJECT" || current === "REFUND_REJECT"
  const onlyRefund = ro.request_type === "ONLY_REFUND"
  switch (status) {
    case "requested":
      return { reverse_status: "REQUEST_INITIATE", is_dispute: false }
    case "accepted":
      return onlyRefund ? { reverse_status: "REFUND_SUCCESS" } : { reverse_status: "AGREE_RETURN", is_dispute: false }
    case "processing":
      return refused || onlyRefund ? { is_dispute: true } : { reverse_status: "BUYER_RETURN_ITEM", is_dispute: false }
    case "disputed":
      return { reverse_status: current === "RETURN_DELIVERED" ? "REFUND_REJECT" : "REQUEST_REJECT", is_dispute: false }
    case "refunded":
      return { reverse_status: "REFUND_SUCCESS", is_dispute: false }
    case "cancelled":
      return { reverse_status: "REQUEST_CANCEL", is_dispute: false }
    case "closed":
      return { ofc_status: "CLOSED", is_dispute: false }
  }
}

/** What the plugin reads in a line's state (the provider's rule, restated from the docs and docs/lazada.md). */
function lineStatusOf(line: ReverseLineState): ReturnStatus {
  if (line.reverse_status === "REQUEST_CANCEL") return "cancelled"
  if (line.ofc_status === "CLOSED") return "closed"
  if (line.is_dispute && line.reverse_status !== "REFUND_SUCCESS") return "processing"
  const map: Record<ReverseStatus, ReturnStatus> = {
    REQUEST_INITIATE: "requested",
    AGREE_RETURN: "accepted",
    BUYER_RETURN_ITEM: "processing",
    RETURN_DELIVERED: "processing",
    REFUND_SUCCESS: "refunded",
    REQUEST_REJECT: "disputed",
    REFUND_REJECT: "disputed",
    REQUEST_CANCEL: "cancelled",
  }
  return map[line.reverse_status]
}

const RANK: Record<ReturnStatus, number> = { requested: 0, disputed: 1, accepted: 2, processing: 3, refunded: 4, closed: 5, cancelled: 6 }

/** A sandbox reverse order -> the driver's view; amounts in minor units ("in cent, except VN"). */
function driverReturn(ro: SandboxReverseOrder, country: string): DriverReturn {
  const live = ro.lines.filter((l) => l.reverse_status !== "REQUEST_CANCEL")
  const deciding = (live.length ? live : ro.lines).reduce((a, b) => (RANK[lineStatusOf(b)] < RANK[lineStatusOf(a)] ? b : a))
  const external = [deciding.reverse_status, deciding.is_dispute ? "DISPUTE" : null, deciding.ofc_status === "CLOSED" ? "CLOSED" : null].filter(Boolean).join(":")
  const minor = (live.length ? live : ro.lines).reduce((t, l) => t + l.refund_amount, 0)
  return {
    id: ro.reverse_order_id,
    order_id: ro.trade_order_id,
    status: live.length ? lineStatusOf(deciding) : "cancelled",
    external_status: external,
    refund_amount: country === "vn" ? minor : minor / 100,
    dispute_texts: ro.lines.flatMap((l) => l.refusals.map((r) => r.comment)),
    updated_at: Math.floor(Math.max(...ro.lines.map((l) => l.modified_ms)) / 1000),
  }
}

const OPERATION_PATHS: Record<DriverOperation, string> = {
  get_order: `${countryRoot("sg")}/orders/items/get`,
  list_orders: `${countryRoot("sg")}/orders/get`,
  update_stock: `${countryRoot("sg")}/product/price_quantity/update`,
  update_price: `${countryRoot("sg")}/product/price_quantity/update`,
  exchange_code: `${AUTH_ROOT}/rest/auth/token/create`,
  cancel_order: `${countryRoot("sg")}/order/reverse/cancel/create`,
  ship_order: `${countryRoot("sg")}/order/fulfill/pack`,
  // QueryTransactionDetails, one order a call (trade_order_id).
  get_settlement: `${countryRoot("sg")}/finance/transaction/details/get`,
  // ReverseOrderReturnUpdate takes the seller's every action (agreeReturn, refuseReturn...): the refusals are those
  // with a reason (see calls()).
  dispute_return: `${countryRoot("sg")}/order/reverse/return/update`,
}

const TERMINAL: readonly string[] = ITEM_TABLE.terminal

/** The sandbox's seller cancellation reasons (InitReverseOrderCancel `reason_id`) in the plugin's words. */
const CANCEL_REASON_WORDS: Record<string, string> = {
  "Out of Stock": "out_of_stock",
  "Sourcing Delay": "sourcing_delay",
  "Wrong Price or Pricing Error": "pricing_error",
  "Customer Requested": "customer_request",
}
const cancelReasonWord = (reasonId: string): string => {
  const name = SELLER_CANCEL_REASONS.find((r) => r.reason_id === reasonId)?.reason_name
  return (name && CANCEL_REASON_WORDS[name]) ?? `lazada:${reasonId}`
}

const normalise = (sku: string) => sku.trim().toLowerCase()

/** An order line for the sandbox's order creation: the listing's SKU when the shop has it. */
function orderLine(pick: { sku: string; quantity: number }, found: { product: SandboxProduct; sku: SandboxProduct["skus"][number] } | null, currency: string) {
  return {
    sku: found?.sku.SellerSku ?? pick.sku,
    sku_id: found ? String(found.sku.SkuId) : undefined,
    product_id: found ? String(found.product.item_id) : undefined,
    name: found?.product.name,
    price: roundMoney(found?.sku.price ?? 10, currency).toFixed(2),
    quantity: pick.quantity,
  }
}

/**
 * The shape of QueryTransactionDetails for the escrow specs: one order a call (`trade_order_id`); no other call per
 * batch, and GetOrder per order for an import by id (the order's address and totals; a backfill has them from GetOrders); the stored raw escrow names its order in `order_no`; an adjustment's reason is the row's `comment`, which is
 * what the driver writes (the finance team's comment).
 */
const SETTLEMENT_API = { orders_per_call: 1, other_calls_per_batch: 0, other_calls_per_order: 1, raw_order_field: "order_no", adjustmentReason: (reason: string) => reason }

/**
 * An order's settlement in the driver's terms, from the sandbox's transaction rows (written here from the row names
 * the sandbox prints, not taken from the provider): charges are negative; adjustment rows come after settlement.
 * Fees the seller pays: commission, payment fee (transaction), the service fee and the seller's vouchers.
 */
function settlementOf(orderId: string, rows: { fee_name: string; amount: string }[], currency: string): DriverSettlement {
  if (!rows.length) throw new Error(`Order ${orderId} is not settled yet`)
  const sum = (name: string) => rows.filter((r) => r.fee_name === name).reduce((n, r) => n + Number(r.amount), 0)
  const round = (n: number) => roundMoney(n, currency)
  const adjustments = rows.filter((r) => /adjustment/i.test(r.fee_name)).reduce((n, r) => n + Number(r.amount), 0)
  const all = rows.reduce((n, r) => n + Number(r.amount), 0)
  const fees = {
    commission: round(-sum("Commission")),
    service: round(-sum("Free Shipping Max Fee")),
    transaction: round(-sum("Payment Fee")),
    shipping_actual: round(-sum("Shipping Fee Paid by Seller")),
  }
  return {
    buyer_total: round(sum("Item Price Credit") + sum("Shipping Fee (Paid By Customer)") + sum("Promotional Charges Vouchers")),
    net_payout: round(all - adjustments),
    net_payout_after_adjustments: round(all),
    fees,
    fee_total: round(fees.commission + fees.service + fees.transaction - sum("Promotional Charges Vouchers")),
  }
}

function notYet(what: string): never {
  throw new Error(`${what} is not supported by the Lazada sandbox driver yet`)
}

/** The driver plus what only Lazada has: one order item (one unit) moving on its own. */
export interface LazadaSandboxDriver extends SandboxDriver {
  /** Moves one unit of `sku` in the order (the first that can move) to `status`, with its push. */
  moveItem(orderId: string, sku: string, status: ItemStatus): DriverOrder
}

/** The Lazada sandbox (sandbox/lazada) behind the driver interface. A driver shop is one seller (one country). */
export function lazadaDriver(): LazadaSandboxDriver {
  let running: LazadaSandbox | undefined
  /** The first order line of orders read from a sandbox process, for the pushes the driver signs. */
  const lineIds = new Map<string, string>()
  /** Orders made unreadable, with the price their first item had. */
  const unreadable = new Map<string, string>()
  const sandbox = () => {
    if (!running) throw new Error("The Lazada sandbox is not started yet")
    return running
  }
  const accountOf = (shopId: string): string => {
    const account = sandbox().core.state.sellers.get(shopId)
    if (!account) throw new Error(`No Lazada seller ${shopId} in the sandbox`)
    return account
  }

  const listingView = (p: SandboxProduct): DriverListing => ({
    id: String(p.item_id),
    name: p.name,
    variants: p.skus.map((s) => ({ id: String(s.SkuId), sku: s.SellerSku, stock: s.quantity, price: s.price })),
  })

  const orderView = (order: SandboxOrder): DriverOrder => {
    const lines = new Map<string, { listing_id: string; variant_id: string; sku: string; quantity: number }>()
    for (const item of order.items) {
      const listingId = item.shop_sku.split("_")[0]
      const key = `${item.sku_id}@${item.item_price}`
      const line = lines.get(key) ?? { listing_id: listingId, variant_id: item.sku_id, sku: item.sku, quantity: 0 }
      line.quantity += 1
      lines.set(key, line)
    }
    const price = order.items.reduce((t, i) => t + Number(i.item_price), 0)
    return {
      id: order.order_id,
      shop_id: order.seller_id,
      status: statusOf(order),
      external_status: [...new Set(order.items.map((i) => i.status))].sort().join(","),
      buyer_id: order.items[0]?.buyer_id ?? "",
      total: Math.round((price + Number(order.shipping_fee) - Number(order.voucher_seller) - Number(order.voucher_platform)) * 100) / 100,
      tracking_number: order.items.find((i) => i.tracking_code)?.tracking_code ?? "",
      updated_at: order.updated_at,
      lines: [...lines.values()],
    }
  }

  /** Lazada's push, signed with the sandbox's own code (sandbox/lazada/signing.ts), never the provider's. */
  const sign = (_hookUrl: string, body: string): DriverPush => ({
    body,
    headers: { "content-type": "application/json", authorization: lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, body) },
  })
  const envelope = (sellerId: string | null, messageType: number, data: Record<string, unknown>, time: number) =>
    JSON.stringify({ seller_id: sellerId ?? "null", message_type: messageType, data, timestamp: time * 1000, site: "lazada_sg" })

  const callView = (c: LazadaSandbox["calls"][number]): DriverCall => {
    // QueryTransactionDetails names its one order in trade_order_id.
    const ids = String(c.query.order_ids ?? c.query.order_id ?? (c.path === OPERATION_PATHS.get_settlement ? c.query.trade_order_id : undefined) ?? "")
      .replace(/[[\]\s]/g, "")
      .split(",")
      .filter(Boolean)
    const operation = (Object.entries(OPERATION_PATHS).find(([, path]) => path === c.path)?.[0] ?? null) as DriverOperation | null
    return { operation, shop_id: c.shop_id === null ? null : String(c.shop_id), orders: ids, raw: { path: c.path, query: c.query, body: c.body } }
  }

  const productInput = (l: DriverListingInput) =>
    l.variants?.length
      ? { name: l.name, skus: l.variants.map((v) => ({ sku: v.sku, name: v.name, price: v.price, stock: v.stock })) }
      : { name: l.name, skus: [{ sku: l.sku ?? l.name.toUpperCase(), price: l.price ?? 10, stock: l.stock ?? 0 }] }

  const moveTo = (order: SandboxOrder, status: OrderStatus, announce: boolean) => {
    const core = sandbox().core
    if (status === "cancel_requested") {
      if (announce) core.requestCancel(order)
      else for (const item of order.items) if (!core.items.isTerminal(item.status) && item.status !== "unpaid") item.need_cancel_confirm = true
      return
    }
    const target = ITEM_STATUS[status]
    if (!target) notYet(`An order in ${status}`)
    for (const item of order.items) {
      if (core.items.isTerminal(item.status) || item.status === target) continue
      if (!announce) {
        item.status = target
        item.need_cancel_confirm = false
        continue
      }
      // Forward through the statuses between, one push each, as the buyer, seller and carrier would.
      core.walkItem(item, target)
    }
  }

  /**
   * Packages as the seller makes them in Seller Center and the carrier moves them: Lazada packs units, not orders, so
   * one order becomes several packages by packing its units in several Pack calls (the sandbox's `core.pack`, what
   * `/order/fulfill/pack` does: a package id and tracking number per call, each unit's change pushed). Lazada does
   * not combine orders into one package (a Pack names one order's units): no `combine`.
   */
  const packages: DriverPackages = {
    split(orderId, groups) {
      const core = sandbox().core
      const order = core.order(orderId)
      const live = order.items.filter((i) => !core.items.isTerminal(i.status))
      // Only `pending` units can be packed (the status flow: "Only pending and repacked order item id can call pack").
      if (statusOf(order) !== "paid" || live.some((i) => i.status !== "pending")) {
        throw new Error(`Order ${orderId} is ${statusOf(order)} (${[...new Set(live.map((i) => i.status))].join(",")}): only a paid order not packed yet splits`)
      }
      const wanted = groups.map((group) => new Set(group.map(normalise)))
      const strays = live.filter((i) => wanted.filter((g) => g.has(normalise(i.sku))).length !== 1)
      if (strays.length) throw new Error(`Order ${orderId}: the groups must name each of its SKUs once (${[...new Set(strays.map((i) => i.sku))].join(", ")})`)
      return wanted.map((group, index) => {
        const units = live.filter((i) => group.has(normalise(i.sku)))
        if (!units.length) throw new Error(`Order ${orderId} has no live unit of ${groups[index].join(", ")}`)
        const results = core.pack(order, units.map((u) => u.order_item_id))
        const failed = results.filter((r) => r.item_err_code !== "0")
        if (failed.length) throw new Error(`Order ${orderId}: Pack refused ${failed.map((r) => `${r.order_item_id} (${r.msg})`).join(", ")}`)
        return results[0].package_id as string
      })
    },
    advance(orderId, packageId, stage) {
      const core = sandbox().core
      const order = core.order(orderId)
      const units = order.items.filter((i) => i.package_id === packageId && !core.items.isTerminal(i.status))
      if (!units.length) throw new Error(`Order ${orderId} has no package ${packageId} with a unit that can move`)
      // ReadyToShip first, as the seller must before the carrier collects (`/order/package/rts`), then the carrier's
      // moves unit by unit, one push each.
      if (units.some((u) => u.status === "packed")) {
        const error = core.readyToShip(order.seller_id, packageId)
        if (error) throw new Error(`Package ${packageId}: ReadyToShip refused (${error.msg})`)
      }
      for (const unit of units) core.walkItem(unit, stage)
      return orderView(order)
    },
    list(orderId) {
      const order = sandbox().core.order(orderId)
      const byPackage = new Map<string, SandboxOrder["items"]>()
      for (const item of order.items) {
        if (item.package_id) byPackage.set(item.package_id, [...(byPackage.get(item.package_id) ?? []), item])
      }
      return [...byPackage.entries()].map(([id, items]) => {
        const units: Record<string, number> = {}
        // A cancelled unit keeps its package id, but is no longer in the parcel.
        for (const item of items.filter((i) => i.status !== "canceled")) units[item.sku] = (units[item.sku] ?? 0) + 1
        return { id, units, tracking_number: items.find((i) => i.tracking_code)?.tracking_code ?? null }
      })
    },
  }

  const driver: LazadaSandboxDriver = {
    platform: "lazada",
    displayName: "Lazada",
    webhookPath: "/hooks/marketplace/lazada",
    // "Answer 200 within 500 ms" (the sandbox's own pushes wait 5 s, so slow test machines do not flake).
    webhookDeadlineMs: 500,
    orderStatusPushKind: { external_type: "0", payload: { message_type: 0 } },
    orderStatusPushFields: { order_id: "trade_order_id", status: "order_status", update_time: "status_update_time" },
    refundedReturnStatus: "refunded",
    finalStatus: "delivered",
    sellerCentreHost: "sellercenter.lazada.sg",
    shippingOptionName: (shopName) => `${shopName} (Lazada logistics)`,

    async start() {
      running = await startLazadaSandbox({ port: 0, appKey: LAZADA_APP_KEY, appSecret: LAZADA_APP_SECRET, seed: Number(process.env.SANDBOX_SEED || 20261122) })
      process.env.LAZADA_APP_KEY = LAZADA_APP_KEY
      process.env.LAZADA_APP_SECRET = LAZADA_APP_SECRET
      process.env.LAZADA_AUTH_URL = running.authUrl
      process.env.LAZADA_API_URL_TEMPLATE = running.apiUrlTemplate
    },
    async stop() {
      await running?.close()
      running = undefined
      delete process.env.LAZADA_APP_KEY
      delete process.env.LAZADA_APP_SECRET
      delete process.env.LAZADA_AUTH_URL
      delete process.env.LAZADA_API_URL_TEMPLATE
    },
    reset() {
      unreadable.clear()
      sandbox().reset()
      sandbox().setPushConfig(null)
    },
    get url() {
      return sandbox().url
    },

    createShop(input = {}) {
      const country = (input.country ?? "sg").toLowerCase() as Country
      const name = input.name ?? "Sandbox shop"
      const account = sandbox().createAccount(`shop-${input.id ?? sandbox().core.state.nextSeq()}@lazada.sandbox`, [
        { country, seller_id: input.id, short_code: name },
      ])
      // What the grant's country_user_info gives the connection: its country.
      return { id: account.countries[0].seller_id, name, metadata: { country } }
    },
    issueTokens(shopId) {
      const tokens = sandbox().core.state.tokens.issue(accountOf(shopId))
      return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, expires_in_seconds: tokens.expire_in }
    },
    expireTokens(shopId, alsoRefreshTokens) {
      sandbox().core.state.tokens.expire(accountOf(shopId), alsoRefreshTokens)
    },
    refreshCount: (shopId) => sandbox().core.state.refreshes.get(accountOf(shopId)) ?? 0,
    get authorizeUrlPrefix() {
      return `${sandbox().authUrl}/oauth/authorize`
    },
    async authorize(authUrl, shopId) {
      const page = await axios.get(authUrl, { validateStatus: () => true })
      expect(page.status).toBe(200)
      const account = encodeURIComponent(accountOf(shopId))
      const link = String(page.data).match(new RegExp(`href="([^"]*account=${account.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^"]*)"`))
      expect(link).toBeTruthy()
      const confirm = new URL(link![1].replace(/&amp;/g, "&"), sandbox().url)
      const answer = await axios.get(confirm.toString(), { maxRedirects: 0, validateStatus: () => true })
      expect(answer.status).toBe(302)
      const redirect = new URL(answer.headers.location as string)
      return { redirect, params: Object.fromEntries(redirect.searchParams.entries()) }
    },
    authorizeLinkSelector: (shopId) => `a.confirm[href*="account=${encodeURIComponent(accountOf(shopId))}&"]`,
    // The authorization URL carries the redirect (redirect_uri).
    setAppRedirectUrl: () => undefined,
    incompleteCallback: () => ({ state: "x" }),

    createListings: (shopId, listings) => listings.map((l) => listingView(sandbox().core.createProduct(shopId, productInput(l)))),
    listings: (shopId) =>
      [...sandbox().core.state.products.values()].filter((p) => p.seller_id === shopId).map(listingView),
    variant(shopId, sku) {
      for (const listing of driver.listings(shopId)) {
        const variant = listing.variants.find((v) => normalise(v.sku) === normalise(sku))
        if (variant) return { ...variant, listing_id: listing.id }
      }
      throw new Error(`No variant ${sku} in shop ${shopId}`)
    },
    setVariantStock(shopId, sku, stock) {
      const found = sandbox().core.skuOf(shopId, sku)
      if (!found) throw new Error(`No variant ${sku} in shop ${shopId}`)
      found.sku.quantity = stock
    },

    createOrders(shopId, input = {}) {
      if (input.channel !== undefined) throw new Error(`${driver.displayName} orders come through no other channel`)
      const core = sandbox().core
      const picks =
        input.items ??
        [...core.state.products.values()]
          .filter((p) => p.seller_id === shopId)
          .flatMap((p) => p.skus.filter((s) => s.quantity > 0).map((s) => ({ sku: s.SellerSku, quantity: 1 })))
          .slice(0, 1)
      if (picks.length === 0) throw new Error(`Shop ${shopId} has no SKU in stock to order`)
      const status = input.status ?? "paid"
      const itemStatus = ITEM_STATUS[status]
      if (!itemStatus) notYet(`An order in ${status}`)
      const currency = CURRENCY[core.countryOfSeller(shopId) ?? "sg"]
      return Array.from({ length: input.count ?? 1 }, () => {
        const items = picks.map((p) => orderLine(p, core.skuOf(shopId, p.sku), currency))
        // As the seeded generators of other sandboxes do: some orders carry a seller voucher of about 10%.
        const discounted = core.state.random.int(0, 2) === 0
        const price = items.reduce((t, i) => t + Number(i.price) * i.quantity, 0)
        const order = core.createOrder({
          seller_id: shopId,
          status: itemStatus,
          ...(discounted ? { voucher_seller: roundMoney(price * 0.1, currency).toFixed(currencyDecimals(currency)) } : {}),
          buyer: input.buyer ? { id: input.buyer.id, first_name: input.buyer.name } : undefined,
          items,
        })
        return orderView(order)
      })
    },
    createOrder: (shopId, input = {}) => driver.createOrders(shopId, { ...input, count: 1 })[0],
    order: (orderId) => orderView(sandbox().core.order(orderId)),
    advanceOrder(orderId, status) {
      const order = sandbox().core.order(orderId)
      moveTo(order, status, true)
      return orderView(order)
    },
    driftOrder(orderId, status) {
      const order = sandbox().core.order(orderId)
      // A drifted order is answered properly again.
      const price = unreadable.get(orderId)
      if (price !== undefined) order.items[0].item_price = price
      unreadable.delete(orderId)
      moveTo(order, status, false)
    },
    makeUnreadable(orderId) {
      // An amount that is no number: the provider cannot read the order.
      const item = sandbox().core.order(orderId).items[0]
      unreadable.set(orderId, item.item_price)
      item.item_price = "n/a"
    },
    setOrderTimes(orderId, times) {
      const order = sandbox().core.order(orderId)
      if (times.created_at !== undefined) order.created_at = times.created_at
      if (times.updated_at !== undefined) order.updated_at = times.updated_at
    },
    // Pack gives the tracking number; a slow 3PL leaves it empty until released (or until the package ships).
    withholdTracking: (calls) => {
      sandbox().core.state.withholdTracking = calls
    },
    releaseTracking: (orderId) => sandbox().core.releaseTracking(sandbox().core.order(orderId)),
    line(orderId, sku) {
      const line = driver.order(orderId).lines.find((l) => normalise(l.sku) === normalise(sku))
      if (!line) throw new Error(`Order ${orderId} has no line ${sku}`)
      return { listing_id: line.listing_id, variant_id: line.variant_id }
    },
    packages,

    createReturn(orderId, input = {}) {
      const core = sandbox().core
      const order = core.order(orderId)
      const taken = core.reverse.taken(orderId)
      const returnable = (i: SandboxOrder["items"][number]) => (i.status === "shipped" || i.status === "delivered") && !taken.has(i.order_item_id)
      // Each line's quantity as that many units of its SKU not in another reverse order yet; the whole order by default.
      const units = input.lines
        ? input.lines.flatMap(({ line, quantity }) => order.items.filter((i) => i.sku_id === line.variant_id && returnable(i)).slice(0, quantity))
        : order.items.filter(returnable)
      // Lazada: a reverse order only after delivery; the buyer received what is still on its way.
      for (const unit of units) if (unit.status === "shipped") core.walkItem(unit, "delivered")
      const ro = core.reverse.create(order, {
        item_ids: units.map((u) => u.order_item_id),
        request_type: input.solution === "refund_only" ? "ONLY_REFUND" : "RETURN",
        vn: order.country === "vn",
      })
      if (input.status && input.status !== "requested") core.reverse.move(ro, reverseTarget(ro, input.status))
      return driverReturn(ro, order.country)
    },
    advanceReturn(returnId, status) {
      const core = sandbox().core
      const ro = core.reverse.get(returnId)
      core.reverse.move(ro, reverseTarget(ro, status))
      return driverReturn(ro, core.order(ro.trade_order_id).country)
    },
    return(returnId) {
      const ro = sandbox().core.reverse.get(returnId)
      return driverReturn(ro, sandbox().core.order(ro.trade_order_id).country)
    },
    settlement(orderId) {
      const order = sandbox().core.order(orderId)
      return settlementOf(orderId, orderTransactions(sandbox().core.state, order), CURRENCY[order.country])
    },
    addSettlementAdjustment(orderId, { amount, reason }) {
      addAdjustment(sandbox().core.state, sandbox().core.order(orderId), { amount: String(amount), comment: reason })
    },
    settlementApi: SETTLEMENT_API,
    // GetOrders pages of 100, GetMultipleOrderItems 50 order ids; the tracking code comes with the items.
    orderApi: { list_page_size: 100, detail_batch: 50, list_carries_detail: true },

    setPushTarget: (url) => sandbox().setPushConfig(url),
    flushPushes: () => sandbox().flushPushes(),
    deliveries: () => sandbox().pushes.map((p) => ({ body: p.body, status: p.status, ok: p.ok })),
    undeliveredCount: () => sandbox().pushes.filter((p) => p.attempt === 1 && !p.ok).length,
    orderStatusPush: (hookUrl, { shopId, orderId, status, time, sentAt }) => {
      // The in-process sandbox's order, or one read from a sandbox process (startProcess).
      const lineId = running?.core.state.orders.get(orderId)?.items[0]?.order_item_id ?? lineIds.get(orderId) ?? `${orderId}1`
      return sign(
        hookUrl,
        envelope(shopId, 0, { order_status: ITEM_STATUS[status] ?? "pending", trade_order_id: orderId, trade_order_line_id: lineId, status_update_time: time }, sentAt ?? time)
      )
    },
    returnStatusPush: (hookUrl, { shopId, orderId, returnId, status, time }) => {
      // The in-process sandbox's reverse order when there is one; a sandbox in its own process signs from what the caller says.
      const ro = running?.core.state.reverseOrders.get(returnId) ?? { request_type: "RETURN" as const, is_rtm: true, lines: [] }
      const line = ro.lines[0]
      const target = reverseTarget({ request_type: ro.request_type, lines: ro.lines.length ? ro.lines : [{ reverse_status: "REQUEST_INITIATE", is_dispute: false, ofc_status: "INITIAL" }] }, status)
      const reverseStatus = pushKey(ro, target.reverse_status ?? line?.reverse_status ?? "REQUEST_INITIATE")
      return sign(
        hookUrl,
        envelope(
          shopId,
          10,
          {
            reverse_order_id: returnId,
            reverse_status: reverseStatus,
            trade_order_id: orderId,
            extraParams: {},
            trade_order_line_id: line?.trade_order_line_id ?? lineIds.get(orderId) ?? `${orderId}1`,
            seller_id: shopId,
            reverse_order_line_id: line?.reverse_order_line_id ?? `${returnId}1`,
            status_update_time: time,
          },
          time
        )
      )
    },
    deauthorizationPush: () => notYet("A deauthorization push (Lazada documents none)"),
    shoplessPush: (hookUrl, { orderId, time }) =>
      sign(hookUrl, envelope(null, 0, { order_status: "pending", trade_order_id: orderId, trade_order_line_id: `${orderId}1`, status_update_time: time }, time)),
    unsupportedPush: (hookUrl, { shopId, time }) => sign(hookUrl, envelope(shopId, 99, { anything: 1 }, time)),
    sign,
    oversizedPush: (hookUrl, { shopId, bytes }) => sign(hookUrl, envelope(shopId, 0, { pad: "x".repeat(bytes) }, 1)),
    badlySignedPushes(hookUrl, push) {
      const { body } = push
      const good = lazadaPushAuthorization(LAZADA_APP_KEY, LAZADA_APP_SECRET, body)
      const orderId = String((JSON.parse(body) as { data: { trade_order_id?: string } }).data.trade_order_id)
      const withAuth = (payload: string, authorization: string | null): DriverPush => ({
        body: payload,
        headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
      })
      return [
        withAuth(body, null),
        withAuth(body, ""),
        withAuth(body, lazadaPushAuthorization(LAZADA_APP_KEY, "not-the-secret", body)),
        withAuth(body, lazadaPushAuthorization("999999", LAZADA_APP_SECRET, body)),
        withAuth(body, good.slice(0, 32)),
        withAuth(body.replace(orderId, "999999999"), good),
        withAuth(JSON.stringify(JSON.parse(body), null, 2), good),
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
        .core.state.priceQuantityCalls.flatMap((c) => {
          const byListing = new Map<string, string[]>()
          for (const s of c.skus.filter((s) => s.quantity !== undefined)) byListing.set(s.item_id, [...(byListing.get(s.item_id) ?? []), s.sku_id])
          return [...byListing.entries()].map(([listing_id, variant_ids]) => ({ shop_id: c.seller_id, listing_id, variant_ids }))
        })
        .filter((c) => (filter.shopId === undefined || c.shop_id === filter.shopId) && (filter.listingId === undefined || c.listing_id === filter.listingId)),
    // The quantities UpdatePriceQuantity applied, with the call's arrival (the sandbox's record of those calls).
    stockUpdates: (shopId) =>
      sandbox()
        .core.state.priceQuantityCalls.filter((c) => c.seller_id === shopId)
        .flatMap((c) => c.skus.flatMap((s) => (s.quantity === undefined ? [] : [{ sku: s.seller_sku, stock: s.quantity, received_at: c.received_at }]))),
    // Lazada cancels units: the lines are those of the units the call named (every unit the seller could cancel).
    cancellations: () =>
      sandbox()
        .calls.filter((c) => c.path === OPERATION_PATHS.cancel_order)
        .map((c) => {
          const order = sandbox().core.state.orders.get(String(c.query.order_id))
          let ids: string[] = []
          try {
            ids = (JSON.parse(String(c.query.order_item_id_list)) as unknown[]).map(String)
          } catch {
            ids = []
          }
          const lines = new Map<string, { listing_id: string; variant_id: string }>()
          for (const item of order?.items.filter((i) => ids.includes(i.order_item_id)) ?? []) {
            lines.set(item.sku_id, { listing_id: item.shop_sku.split("_")[0], variant_id: item.sku_id })
          }
          return { reason: cancelReasonWord(String(c.query.reason_id ?? "")), lines: [...lines.values()] }
        }),
    moveItem(orderId, sku, status) {
      const core = sandbox().core
      const order = core.order(orderId)
      const item = order.items.find((i) => normalise(i.sku) === normalise(sku) && !core.items.isTerminal(i.status))
      if (!item) throw new Error(`Order ${orderId} has no unit of ${sku} that can move`)
      core.moveItem(item, status)
      return orderView(order)
    },
    async startProcess({ port, logFile, seed }) {
      const child = await startSandboxCli("lazada", ["--app-key", LAZADA_APP_KEY, "--app-secret", LAZADA_APP_SECRET], { port, logFile, seed })
      const { call } = child
      const products = new Map<string, SandboxProduct[]>()
      const remoteOrder = (order: SandboxOrder): DriverOrder => {
        if (order.items[0]) lineIds.set(order.order_id, order.items[0].order_item_id)
        return orderView(order)
      }
      const skuOf = (shopId: string, sku: string) => {
        for (const product of products.get(shopId) ?? []) {
          const found = product.skus.find((s) => normalise(s.SellerSku) === normalise(sku))
          if (found) return { product, sku: found }
        }
        return null
      }
      let accounts = 0
      const remote: RemoteSandbox = {
        url: child.url,
        pid: child.pid,
        appEnv: {
          LAZADA_APP_KEY,
          LAZADA_APP_SECRET,
          LAZADA_AUTH_URL: `${child.url}${AUTH_ROOT}`,
          LAZADA_API_URL_TEMPLATE: `${child.url}/lazada/{country}/rest`,
        },
        stop: () => child.stop(),
        async createShop(input = {}) {
          const name = input.name ?? "Sandbox shop"
          const { account } = await call<{ account: SandboxAccount }>("POST", "/sandbox/accounts", {
            account: `shop-${++accounts}@lazada.sandbox`,
            countries: [{ country: "sg", short_code: name.slice(0, 32) }],
          })
          return { id: account.countries[0].seller_id, name, metadata: { country: "sg" } }
        },
        async issueTokens(shopId) {
          const t = await call<{ access_token: string; refresh_token: string; expire_in: number }>("POST", `/sandbox/sellers/${shopId}/tokens`, {})
          return { access_token: t.access_token, refresh_token: t.refresh_token, expires_in_seconds: t.expire_in }
        },
        async createListings(shopId, listings) {
          for (const l of listings) {
            const { product } = await call<{ product: SandboxProduct }>("POST", `/sandbox/sellers/${shopId}/products`, productInput(l))
            products.set(shopId, [...(products.get(shopId) ?? []), product])
          }
        },
        async createOrder(shopId, input) {
          const itemStatus = ITEM_STATUS[input.status ?? "paid"]
          if (!itemStatus) notYet(`An order in ${input.status}`)
          const items = input.items.map((it) => orderLine(it, skuOf(shopId, it.sku), "SGD"))
          return remoteOrder((await call<{ order: SandboxOrder }>("POST", `/sandbox/sellers/${shopId}/orders`, { items, status: itemStatus })).order)
        },
        async advanceOrder(orderId, status) {
          if (status === "cancel_requested") return remoteOrder((await call<{ order: SandboxOrder }>("POST", `/sandbox/orders/${orderId}/cancel-request`, {})).order)
          const target = ITEM_STATUS[status]
          if (!target) notYet(`An order in ${status}`)
          const { order } = await call<{ order: SandboxOrder }>("GET", `/sandbox/orders/${orderId}`)
          // Nothing to move (Lazada has no "completed": a delivered order stays delivered).
          if (!order.items.some((i) => !TERMINAL.includes(i.status) && i.status !== target)) return remoteOrder(order)
          return remoteOrder((await call<{ order: SandboxOrder }>("POST", `/sandbox/orders/${orderId}/advance`, { status: target })).order)
        },
        order: async (orderId) => remoteOrder((await call<{ order: SandboxOrder }>("GET", `/sandbox/orders/${orderId}`)).order),
        async createReturn(orderId, input = {}) {
          const { order } = await call<{ order: SandboxOrder }>("GET", `/sandbox/orders/${orderId}`)
          // A reverse order only after delivery: the buyer received what is still on its way.
          if (order.items.some((i) => i.status === "shipped")) await call("POST", `/sandbox/orders/${orderId}/advance`, { status: "delivered" })
          const { reverse_order } = await call<{ reverse_order: SandboxReverseOrder }>("POST", `/sandbox/orders/${orderId}/reverse-orders`, {
            request_type: input.solution === "refund_only" ? "ONLY_REFUND" : "RETURN",
          })
          return driverReturn(reverse_order, order.country)
        },
        async advanceReturn(returnId, status) {
          const { reverse_order: current } = await call<{ reverse_order: SandboxReverseOrder }>("GET", `/sandbox/reverse-orders/${returnId}`)
          const { reverse_order } = await call<{ reverse_order: SandboxReverseOrder }>("POST", `/sandbox/reverse-orders/${returnId}/advance`, reverseTarget(current, status))
          return driverReturn(reverse_order, "sg")
        },
        async return(returnId) {
          const { reverse_order } = await call<{ reverse_order: SandboxReverseOrder }>("GET", `/sandbox/reverse-orders/${returnId}`)
          return driverReturn(reverse_order, "sg")
        },
        async settlement(orderId) {
          const { transactions } = await call<{ transactions: { fee_name: string; amount: string }[] }>("GET", `/sandbox/orders/${orderId}/settlement`)
          return settlementOf(orderId, transactions, "SGD")
        },
        async addSettlementAdjustment(orderId, { amount, reason }) {
          await call("POST", `/sandbox/orders/${orderId}/adjustments`, { amount: amount.toFixed(2), comment: reason })
        },
        async addFault({ operation, kind, count, retry_after }) {
          await call("POST", "/sandbox/faults", { path: OPERATION_PATHS[operation], kind, count, retry_after })
        },
        async clearFaults() {
          await call("DELETE", "/sandbox/faults")
        },
      }
      return remote
    },
  }
  return driver
}
