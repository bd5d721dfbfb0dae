import { ControlError, Lifecycle, SandboxCore, SandboxStore, TokenVault, type KitConfig, type StatusTable } from "../kit"
import type { SandboxLogger } from "../kit/types"
import { LazadaReverseOrders, pushKey, type SandboxReverseOrder } from "./returns"
import { lazadaPushAuthorization } from "./signing"
import { COUNTRIES, ITEM_STATUSES, type Country, type ItemStatus, type SandboxAddress, type SandboxAdjustment, type SandboxOrder, type SandboxOrderItem } from "./orders-model"

export { COUNTRIES, ITEM_STATUSES }
export type { Country, ItemStatus, SandboxAddress, SandboxOrder, SandboxOrderItem }

/**
 * The Lazada sandbox's state and behaviour. Lazada has no order status: every order item (one unit: two units of a
 * SKU are two items) walks its own lifecycle (docId 121327), and an order's `statuses[]` is the set of its items'.
 */


export const CURRENCY: Record<Country, string> = { sg: "SGD", my: "MYR", th: "THB", ph: "PHP", vn: "VND", id: "IDR" }
/** The offset Seller Center writes order times in. */
export const UTC_OFFSET_HOURS: Record<Country, number> = { sg: 8, my: 8, th: 7, ph: 8, vn: 7, id: 7 }


const FORWARD: ItemStatus[] = ["pending", "packed", "ready_to_ship", "shipped", "delivered"]

/** The item lifecycle: unpaid -> pending -> packed -> ready_to_ship -> shipped -> delivered; canceled, returned... */
export const ITEM_TABLE: StatusTable<ItemStatus> = {
  next: { unpaid: "pending", pending: "packed", packed: "ready_to_ship", ready_to_ship: "shipped", shipped: "delivered" },
  pathTo: (target) => {
    if (FORWARD.includes(target)) return FORWARD.slice(0, FORWARD.indexOf(target) + 1)
    if (target === "returned") return [...FORWARD, "returned"]
    if (target === "failed" || target === "lost") return [...FORWARD.slice(0, 4), target]
    return target === "unpaid" ? [] : [target]
  },
  terminal: ["canceled", "returned", "failed", "lost"],
}

/** Statuses from which the buyer or seller may still cancel an item (before it ships). */
export const CANCELLABLE: ItemStatus[] = ["unpaid", "pending", "packed", "ready_to_ship"]

/** The seller may cancel "only order items with the Pending ~ Ready To Ship status" (guide "Order cancellation"). */
export const SELLER_CANCELLABLE: ItemStatus[] = ["pending", "packed", "ready_to_ship"]

/**
 * The reasons OrderCancelValidate offers a seller (the guide's sample: 10000019, 10000021, 10000023). The docs name no
 * reason for a buyer who asked the seller to cancel; the sandbox adds "Customer Requested" (its own id). Out of Stock
 * and Wrong Price set the SKU's stock to 0 (guide, note 2).
 */
export const SELLER_CANCEL_REASONS: readonly { reason_id: string; reason_name: string; zero_stock: boolean }[] = [
  { reason_id: "10000019", reason_name: "Sourcing Delay", zero_stock: false },
  { reason_id: "10000021", reason_name: "Out of Stock", zero_stock: true },
  { reason_id: "10000023", reason_name: "Wrong Price or Pricing Error", zero_stock: true },
  { reason_id: "10000031", reason_name: "Customer Requested", zero_stock: false },
]

/** The outcome of checking a seller cancellation: Lazada's error code, or the tip and the reasons. */
export type SellerCancelCheck =
  | { ok: false; code: string; message: string }
  | { ok: true; tip_type: "warning" | "error"; tip_content: string; units: SandboxOrderItem[] }

export interface SandboxCountryAccount {
  country: Country
  seller_id: string
  user_id: string
  short_code: string
}

/** A Lazada account (one login) authorized for one or more countries, each a seller id of its own. */
export interface SandboxAccount {
  account: string
  countries: SandboxCountryAccount[]
}

/** One SKU of a product (GetProducts `skus[]`). */
export interface SandboxSku {
  SkuId: number
  SellerSku: string
  price: number
  quantity: number
  Status: string
  Variation: string
}

export interface SandboxProduct {
  item_id: number
  seller_id: string
  name: string
  status: string
  created_time: number
  updated_time: number
  skus: SandboxSku[]
}

/** One UpdatePriceQuantity call as received: what the payload set, per SKU. */
export interface PriceQuantityCall {
  seller_id: string
  /** When the call arrived (ms, the sandbox clock): what the benches time. */
  received_at: number
  skus: { item_id: string; sku_id: string; seller_sku: string; quantity?: number; price?: string }[]
}

export interface LazadaConfig extends KitConfig {
  appKey: string
  appSecret: string
  /** Seconds between push attempts (docs: every 30 min, up to 12 re-deliveries). */
  redeliverySeconds: readonly number[]
  accessTtlSeconds: number
  refreshTtlSeconds: number
}

/** The carrier Lazada allocates (TFS: the platform picks the carrier; the sandbox always picks LEX). */
export const SHIPMENT_PROVIDER: Record<Country, string> = { sg: "LEX SG", my: "LEX MY", th: "LEX TH", ph: "LEX PH", vn: "LEX VN", id: "LEX ID" }

/** One unit's line in the Pack answer. */
export interface PackResult {
  order_item_id: string
  item_err_code: string
  msg: string
  tracking_number?: string
  shipment_provider?: string
  package_id?: string
  retry: boolean
}

export const LAZADA_REDELIVERY_SECONDS: readonly number[] = Array.from({ length: 12 }, () => 1800)

export class LazadaStore extends SandboxStore<LazadaConfig> {
  accounts = new Map<string, SandboxAccount>()
  /** seller id -> account */
  sellers = new Map<string, string>()
  orders = new Map<string, SandboxOrder>()
  items = new Map<string, SandboxOrderItem>()
  products = new Map<number, SandboxProduct>()
  /** Reverse orders of type RETURN and ONLY_REFUND (returns.ts); CANCEL ones live on their order items. */
  reverseOrders = new Map<string, SandboxReverseOrder>()
  priceQuantityCalls: PriceQuantityCall[] = []
  /** When each order item was first delivered (seconds): the day of its transaction rows (finance.ts). */
  deliveredAt = new Map<string, number>()
  /** Adjustment rows added after settlement (finance.ts), oldest first. */
  adjustments: SandboxAdjustment[] = []
  /** How many of the next packages made by Pack wait for their tracking number (the 3PL is slow to assign one). */
  withholdTracking = 0
  /** Packages whose tracking number the 3PL has not assigned yet: until released, or until they ship. */
  withheldPackages = new Set<string>()
  tokens: TokenVault<string>
  refreshCount = 0
  /** Refreshes per account. */
  refreshes = new Map<string, number>()

  constructor(config: LazadaConfig, seed: number | undefined, rateLimit: number | null) {
    super(config, seed, rateLimit)
    this.tokens = new TokenVault<string>(() => this.nowMs(), {
      accessTtlSeconds: config.accessTtlSeconds,
      refreshTtlSeconds: config.refreshTtlSeconds,
      codeTtlSeconds: 1800,
      // The old access token stays valid until it expires.
      oldAccessGraceSeconds: null,
    })
  }

  override reset(): void {
    super.reset()
    this.accounts.clear()
    this.sellers.clear()
    this.orders.clear()
    this.items.clear()
    this.products.clear()
    this.reverseOrders.clear()
    this.priceQuantityCalls = []
    this.deliveredAt.clear()
    this.adjustments = []
    this.withholdTracking = 0
    this.withheldPackages.clear()
    this.tokens.clear()
    this.refreshCount = 0
    this.refreshes.clear()
  }
}

export interface CreateOrderInput {
  seller_id: string
  items: { sku: string; sku_id?: string; product_id?: string; name?: string; variation?: string; price: string; quantity: number }[]
  status?: ItemStatus
  shipping_fee?: string
  voucher_seller?: string
  voucher_platform?: string
  created_at?: number
  /** A returning buyer: the same id and name on several orders. */
  buyer?: { id: string; first_name: string; last_name?: string }
}

function money(value: number): string {
  return value.toFixed(2)
}

export class LazadaSandboxCore extends SandboxCore<LazadaStore> {
  readonly items: Lifecycle<ItemStatus, SandboxOrderItem>
  readonly reverse: LazadaReverseOrders

  constructor(state: LazadaStore, logger: SandboxLogger) {
    super(state, logger, {
      label: "lazada sandbox",
      // Lazada's push body: {seller_id, message_type, data, timestamp (ms), site}.
      envelope: ({ code, shopId, data }) => {
        const seller = String(shopId)
        const country = this.countryOfSeller(seller)
        return JSON.stringify({ seller_id: seller, message_type: Number(code), data, timestamp: state.nowMs(), site: `lazada_${country ?? "sg"}` })
      },
      sign: (_url, body) => ({ Authorization: lazadaPushAuthorization(state.config.appKey, state.config.appSecret, body) }),
      redeliverySeconds: state.config.redeliverySeconds,
      requireEmptyBody: false,
      // Lazada wants the 200 within 500 ms; the sandbox is more patient so slow test machines do not flake.
      timeoutMs: 5000,
    })
    this.reverse = new LazadaReverseOrders({
      nowMs: () => state.nowMs(),
      nextId: () => this.newReverseId(),
      reverseOrders: state.reverseOrders,
      // One reverse-order message (10) per line change, with the message page's key for the status.
      announce: (ro, line) => {
        const item = state.items.get(line.trade_order_line_id)
        this.push.send(10, ro.seller_id, {
          reverse_order_id: ro.reverse_order_id,
          reverse_status: pushKey(ro, line.reverse_status),
          trade_order_id: ro.trade_order_id,
          extraParams: {},
          trade_order_line_id: line.trade_order_line_id,
          buyer_id: item?.buyer_id ?? "",
          seller_id: ro.seller_id,
          reverse_order_line_id: line.reverse_order_line_id,
          status_update_time: Math.floor(line.modified_ms / 1000),
        })
      },
    })
    this.items = new Lifecycle(ITEM_TABLE, {
      now: () => state.nowSec(),
      status: (item) => item.status,
      // The order's clock: every item change moves the order's update time strictly forward.
      updateTime: (item) => this.orderOf(item).updated_at,
      setUpdateTime: (item, t) => {
        item.updated_at = t
        const order = this.orderOf(item)
        order.updated_at = Math.max(order.updated_at, t)
      },
      enter: (item, status, t, _previous, reason) => {
        item.status = status
        if (status === "delivered" && !state.deliveredAt.has(item.order_item_id)) state.deliveredAt.set(item.order_item_id, t)
        // Pack gives the package and its tracking number at once (the Pack answer carries both).
        // Units packed without the Pack API (the carrier, the seller centre) join their order's package.
        if (status === "packed" && !item.package_id) {
          item.package_id = this.orderOf(item).items.find((i) => i.package_id && i.status !== "canceled")?.package_id ?? this.newPackageId()
        }
        if (status === "packed" && !item.shipment_provider) item.shipment_provider = SHIPMENT_PROVIDER[this.orderOf(item).country]
        // A withheld package gets its number when released, or at the latest when the carrier picks it up.
        if (status === "shipped") state.withheldPackages.delete(item.package_id)
        if (["packed", "ready_to_ship", "shipped"].includes(status) && !item.tracking_code && !state.withheldPackages.has(item.package_id)) {
          item.tracking_code = this.trackingFor(item.package_id, t)
        }
        if (status === "canceled") item.reason = reason ?? "Out of stock"
        // Whatever the seller did next answered the buyer's cancellation request.
        item.need_cancel_confirm = false
      },
      announce: (item, status, _previous, t) => {
        const order = this.orderOf(item)
        this.push.send(0, order.seller_id, {
          order_status: status,
          trade_order_id: order.order_id,
          trade_order_line_id: item.order_item_id,
          status_update_time: t,
        })
        // The buyer's cancellation request is granted: its reverse order says so too.
        if (status === "canceled" && item.reverse_status === "CANCEL_INIT") this.sendReverse(item, "CANCEL_SUCCESS", t)
      },
    })
  }

  newPackageId(): string {
    return `FP${String(this.state.nextSeq()).padStart(9, "0")}`
  }

  /** One tracking number per package: the first of its items to get one sets it. */
  private trackingFor(packageId: string, t: number): string {
    const sibling = packageId ? [...this.state.items.values()].find((i) => i.package_id === packageId && i.tracking_code) : undefined
    return sibling?.tracking_code ?? `LZ${String(t)}${String(this.state.nextSeq()).padStart(4, "0")}`
  }

  /**
   * Pack (`/order/fulfill/pack`, docId 1470): the listed units of one order become one package (its id and tracking
   * number in the answer). Only `pending` units can be packed; each unit answers for itself (`item_err_code` "0" on
   * success), and every packed unit is pushed.
   */
  pack(order: SandboxOrder, itemIds: string[]): PackResult[] {
    const packageId = this.newPackageId()
    if (this.state.withholdTracking > 0) {
      this.state.withholdTracking -= 1
      this.state.withheldPackages.add(packageId)
    }
    const results: PackResult[] = []
    for (const id of itemIds) {
      const item = order.items.find((i) => i.order_item_id === id)
      if (!item) {
        results.push({ order_item_id: id, item_err_code: "700025", msg: "ORDER_ITEM_NOT_FOUND", retry: false })
        continue
      }
      if (item.status !== "pending") {
        results.push({ order_item_id: id, item_err_code: "700026", msg: `FO_ITEM_NOT_ALLOW_TO_PACK: item is ${item.status}`, retry: false })
        continue
      }
      item.package_id = packageId
      this.moveItem(item, "packed")
      results.push({ order_item_id: id, item_err_code: "0", msg: "success", tracking_number: item.tracking_code || undefined, shipment_provider: item.shipment_provider, package_id: item.package_id, retry: false })
    }
    return results
  }

  /** The 3PL assigns the tracking numbers it withheld for the order's packages. */
  releaseTracking(order: SandboxOrder): void {
    for (const item of order.items) {
      if (!item.package_id || !this.state.withheldPackages.has(item.package_id)) continue
      this.state.withheldPackages.delete(item.package_id)
      item.tracking_code = this.trackingFor(item.package_id, this.state.nowSec())
    }
  }

  /** The seller's units in a package. */
  packageItems(sellerId: string, packageId: string): SandboxOrderItem[] {
    return [...this.state.items.values()].filter((i) => i.package_id === packageId && this.orderOf(i).seller_id === sellerId)
  }

  /**
   * ReadyToShip (`/order/package/rts`, docId 1469): a packed package's units become `ready_to_ship` (pushed). The
   * error for a package that cannot go, or null.
   */
  readyToShip(sellerId: string, packageId: string): { item_err_code: string; msg: string } | null {
    const items = this.packageItems(sellerId, packageId)
    if (items.length === 0) return { item_err_code: "600001", msg: "package not found" }
    const live = items.filter((i) => i.status !== "canceled")
    if (live.length === 0) return { item_err_code: "600002", msg: "package already cancelled" }
    if (live.some((i) => i.status !== "packed" && i.status !== "ready_to_ship")) {
      return { item_err_code: "700000", msg: "PACKAGE_STATUS_NOT_ALLOW_TO_OP" }
    }
    for (const item of live) if (item.status === "packed") this.moveItem(item, "ready_to_ship")
    return null
  }

  countryOfSeller(sellerId: string): Country | null {
    const account = this.state.accounts.get(this.state.sellers.get(sellerId) ?? "")
    return account?.countries.find((c) => c.seller_id === sellerId)?.country ?? null
  }

  orderOf(item: SandboxOrderItem): SandboxOrder {
    const order = this.state.orders.get(item.order_id)
    if (!order) throw new Error(`item ${item.order_item_id} has no order`)
    return order
  }

  createAccount(input: { account: string; countries: { country: Country; seller_id?: string; short_code?: string }[] }): SandboxAccount {
    if (this.state.accounts.has(input.account)) throw new ControlError(409, `Account ${input.account} exists`)
    const account: SandboxAccount = {
      account: input.account,
      countries: input.countries.map((c) => {
        const sellerId = c.seller_id ?? String(100000000 + this.state.nextSeq())
        if (this.state.sellers.has(sellerId)) throw new ControlError(409, `Seller ${sellerId} exists`)
        return { country: c.country, seller_id: sellerId, user_id: String(200000000 + this.state.nextSeq()), short_code: c.short_code ?? `${c.country.toUpperCase()}${sellerId.slice(-4)}` }
      }),
    }
    this.state.accounts.set(account.account, account)
    for (const c of account.countries) this.state.sellers.set(c.seller_id, account.account)
    return account
  }

  /** Issues a single-use authorization code for an account (what the consent page's "Authorize" does). */
  issueCode(account: string): string {
    if (!this.state.accounts.has(account)) throw new ControlError(404, `Account ${account} not found`)
    return this.state.tokens.issueCode(account)
  }

  createOrder(input: CreateOrderInput): SandboxOrder {
    const country = this.countryOfSeller(input.seller_id)
    if (!country) throw new ControlError(404, `Seller ${input.seller_id} not found`)
    const now = this.state.nowSec()
    const createdAt = input.created_at ?? now
    const orderId = String(300000000000000 + this.state.nextSeq())
    const buyerId = input.buyer?.id ?? String(400000000 + this.state.nextSeq())
    const order: SandboxOrder = {
      order_id: orderId,
      seller_id: input.seller_id,
      country,
      created_at: createdAt,
      updated_at: createdAt,
      customer_first_name: input.buyer?.first_name ?? "Tan",
      customer_last_name: input.buyer ? (input.buyer.last_name ?? "") : "Mei Ling",
      payment_method: "COD",
      shipping_fee: input.shipping_fee ?? "0.00",
      voucher_seller: input.voucher_seller ?? "0.00",
      voucher_platform: input.voucher_platform ?? "0.00",
      address: {
        first_name: "Tan",
        last_name: "Mei Ling",
        phone: "6591234567",
        address1: "1 Sandbox Road #01-01",
        address2: "",
        address3: country === "sg" ? "Singapore" : "Kuala Lumpur",
        address4: country === "sg" ? "Singapore" : "Kuala Lumpur",
        address5: "Central",
        city: country === "sg" ? "Singapore" : "Kuala Lumpur",
        post_code: "049123",
        country: country === "sg" ? "Singapore" : country.toUpperCase(),
      },
      items: [],
    }
    this.state.orders.set(orderId, order)
    for (const line of input.items) {
      const skuId = line.sku_id ?? String(500000 + [...line.sku].reduce((n, ch) => n * 31 + ch.charCodeAt(0), 7) % 400000)
      const productId = line.product_id ?? String(700000 + (Number(skuId) % 100000))
      for (let unit = 0; unit < line.quantity; unit++) {
        const item: SandboxOrderItem = {
          order_item_id: String(300000000000000 + this.state.nextSeq()),
          order_id: orderId,
          status: "unpaid",
          sku: line.sku,
          shop_sku: `${productId}_${country.toUpperCase()}AMZ-${skuId}`,
          sku_id: skuId,
          name: line.name ?? line.sku,
          variation: line.variation ?? "",
          item_price: money(Number(line.price)),
          paid_price: money(Number(line.price)),
          voucher_amount: "0.00",
          shipping_amount: "0.00",
          package_id: "",
          tracking_code: "",
          shipment_provider: "",
          reason: "",
          need_cancel_confirm: false,
          reverse_order_id: "",
          reverse_order_line_id: "",
          reverse_status: "",
          buyer_id: buyerId,
          created_at: createdAt,
          updated_at: createdAt,
        }
        order.items.push(item)
        this.state.items.set(item.order_item_id, item)
        if (input.status && input.status !== "unpaid") this.items.settle(item, input.status, createdAt, () => 60)
      }
    }
    order.updated_at = Math.max(order.updated_at, ...order.items.map((i) => i.updated_at))
    for (const item of order.items) {
      this.push.send(0, order.seller_id, {
        order_status: item.status,
        trade_order_id: order.order_id,
        trade_order_line_id: item.order_item_id,
        status_update_time: order.updated_at,
      })
    }
    return order
  }

  order(orderId: string): SandboxOrder {
    const order = this.state.orders.get(orderId)
    if (!order) throw new ControlError(404, `Order ${orderId} not found`)
    return order
  }

  item(orderId: string, itemId: string): SandboxOrderItem {
    const item = this.order(orderId).items.find((i) => i.order_item_id === itemId)
    if (!item) throw new ControlError(404, `Order item ${itemId} not found in order ${orderId}`)
    return item
  }

  /** Moves one item (to `target`, or its natural next status); cancellation only before it ships. */
  moveItem(item: SandboxOrderItem, target?: ItemStatus, reason?: string): ItemStatus {
    if (this.items.isTerminal(item.status)) throw new ControlError(409, `Item ${item.order_item_id} is ${item.status}: it moves no more`)
    if (target === "canceled") {
      if (!CANCELLABLE.includes(item.status)) throw new ControlError(409, `Item ${item.order_item_id} is ${item.status}: too late to cancel`)
      this.items.move(item, "canceled", reason)
      return "canceled"
    }
    if (target === "returned" && item.status !== "delivered") {
      throw new ControlError(409, `Item ${item.order_item_id} is ${item.status}: only a delivered item is returned`)
    }
    const reached = this.items.advance(item, target)
    if (!reached) throw new ControlError(409, `Item ${item.order_item_id} is ${item.status}: no next status`)
    return reached
  }

  /**
   * Moves one item to `target` as buyer, seller and carrier would: forward through every status between (one push
   * each: a package and a tracking code on the way), or straight to a cancellation, a return, a failure.
   */
  walkItem(item: SandboxOrderItem, target: ItemStatus, reason?: string): void {
    if (item.status === target) return
    if (!FORWARD.includes(target) || (item.status !== "unpaid" && !FORWARD.includes(item.status))) {
      this.moveItem(item, target, reason)
      return
    }
    // An unpaid item starts the walk with its payment.
    const from = item.status === "unpaid" ? -1 : FORWARD.indexOf(item.status)
    const to = FORWARD.indexOf(target)
    if (to < from) throw new ControlError(409, `Item ${item.order_item_id} is ${item.status}: it does not go back to ${target}`)
    for (const step of FORWARD.slice(from + 1, to + 1)) this.moveItem(item, step)
  }

  createProduct(sellerId: string, input: { name: string; skus: { sku: string; name?: string; price: number; stock: number }[] }): SandboxProduct {
    if (!this.countryOfSeller(sellerId)) throw new ControlError(404, `Seller ${sellerId} not found`)
    const now = this.state.nowSec()
    const product: SandboxProduct = {
      item_id: 700000000 + this.state.nextSeq(),
      seller_id: sellerId,
      name: input.name,
      status: "Active",
      created_time: now,
      updated_time: now,
      skus: input.skus.map((s) => ({
        SkuId: 800000000 + this.state.nextSeq(),
        SellerSku: s.sku,
        price: s.price,
        quantity: s.stock,
        Status: "active",
        Variation: s.name ?? "",
      })),
    }
    this.state.products.set(product.item_id, product)
    return product
  }

  /** The SKU a seller writes as `sellerSku` (trimmed, case-folded), with its product. */
  skuOf(sellerId: string, sellerSku: string): { product: SandboxProduct; sku: SandboxSku } | null {
    const wanted = sellerSku.trim().toLowerCase()
    for (const product of this.state.products.values()) {
      if (product.seller_id !== sellerId) continue
      const sku = product.skus.find((s) => s.SellerSku.trim().toLowerCase() === wanted)
      if (sku) return { product, sku }
    }
    return null
  }

  /**
   * The buyer asks to cancel the order's units that have not shipped yet: each waits for the seller's answer
   * (`need_cancel_confirm`), keeps its status, and its order line's change is pushed (message 0). The request is a
   * reverse order of type CANCEL (one for the request, one reverse line per unit, its id on the order item): each
   * line is pushed as a reverse-order message (10) with `CANCEL_INIT` (the reverse-order message page), and with
   * `CANCEL_SUCCESS` once the unit is cancelled.
   */
  requestCancel(order: SandboxOrder): SandboxOrder {
    const items = order.items.filter((i) => CANCELLABLE.includes(i.status) && i.status !== "unpaid" && !i.need_cancel_confirm)
    if (items.length === 0) throw new ControlError(409, `Order ${order.order_id} has no paid unit that has not shipped`)
    const reverseOrderId = this.newReverseId()
    for (const item of items) {
      const t = Math.max(this.state.nowSec(), order.updated_at + 1)
      item.need_cancel_confirm = true
      item.updated_at = t
      order.updated_at = t
      item.reverse_order_id = reverseOrderId
      item.reverse_order_line_id = this.newReverseId()
      this.push.send(0, order.seller_id, { order_status: item.status, trade_order_id: order.order_id, trade_order_line_id: item.order_item_id, status_update_time: t })
      this.sendReverse(item, "CANCEL_INIT", t)
    }
    return order
  }

  /**
   * OrderCancelValidate's checks (docId 1426): the ids must be units of the order (E0102 empty or malformed, E0123
   * lines that are not the order's). A unit past ready to ship is answered with an "error" tip, not an error code (the
   * guide: "the specific reason will be displayed in the tip_content field").
   */
  checkSellerCancel(order: SandboxOrder, itemIds: string[]): SellerCancelCheck {
    if (itemIds.length === 0) return { ok: false, code: "102", message: "E0102: trade order line id is empty or invalid" }
    const strangers = itemIds.filter((id) => !order.items.some((i) => i.order_item_id === id))
    if (strangers.length > 0) return { ok: false, code: "123", message: `E0123: invalid trade order lines ${strangers.join(",")}` }
    const units = order.items.filter((i) => itemIds.includes(i.order_item_id))
    const late = units.filter((i) => !SELLER_CANCELLABLE.includes(i.status))
    if (late.length > 0) {
      const what = late.map((i) => `${i.order_item_id} is ${i.status}`).join(", ")
      return { ok: true, tip_type: "error", tip_content: `Only order items from Pending to Ready To Ship can be cancelled: ${what}`, units }
    }
    return {
      ok: true,
      tip_type: "warning",
      tip_content: "SKU stock may be set to 0 after cancellation due to reasons: 'out of stock' or 'incorrect pricing'.",
      units,
    }
  }

  /**
   * InitReverseOrderCancel (docId 1474): the units are cancelled with the reason, each pushed (message 0). A packed
   * unit takes the other units of its package with it (guide, note 3). Out of Stock and Wrong Price set the stock of
   * the SKUs to 0.
   */
  sellerCancel(order: SandboxOrder, units: SandboxOrderItem[], reason: (typeof SELLER_CANCEL_REASONS)[number]): SandboxOrderItem[] {
    const packages = new Set(units.filter((i) => i.package_id && i.status !== "pending").map((i) => i.package_id))
    const all = order.items.filter((i) => units.includes(i) || (packages.has(i.package_id) && SELLER_CANCELLABLE.includes(i.status)))
    for (const item of all) this.moveItem(item, "canceled", reason.reason_name)
    if (reason.zero_stock) {
      for (const item of all) {
        const sku = [...this.state.products.values()].filter((p) => p.seller_id === order.seller_id).flatMap((p) => p.skus).find((s) => String(s.SkuId) === item.sku_id)
        if (sku) sku.quantity = 0
      }
    }
    return all
  }

  private newReverseId(): string {
    return String(600000000000000 + this.state.nextSeq())
  }

  /** The reverse-order message (10) for a unit's reverse line, as the message page's sample writes it. */
  private sendReverse(item: SandboxOrderItem, reverseStatus: string, t: number): void {
    const order = this.orderOf(item)
    item.reverse_status = reverseStatus
    this.push.send(10, order.seller_id, {
      reverse_order_id: item.reverse_order_id,
      reverse_status: reverseStatus,
      trade_order_id: order.order_id,
      extraParams: {},
      trade_order_line_id: item.order_item_id,
      buyer_id: item.buyer_id,
      seller_id: order.seller_id,
      reverse_order_line_id: item.reverse_order_line_id,
      status_update_time: t,
    })
  }

  /** Sends a reverse-order push (message_type 10) for one item, for a reverse order of its own (control API). */
  pushReverse(item: SandboxOrderItem, reverseStatus: string): string {
    const order = this.orderOf(item)
    const reverseOrderId = this.newReverseId()
    this.push.send(10, order.seller_id, {
      reverse_order_id: reverseOrderId,
      reverse_order_line_id: this.newReverseId(),
      reverse_status: reverseStatus,
      trade_order_id: order.order_id,
      trade_order_line_id: item.order_item_id,
      seller_id: order.seller_id,
      status_update_time: this.state.nowSec(),
    })
    return reverseOrderId
  }

  /** The authorization-expiry push (message_type 8) for a seller. */
  pushTokenExpiry(sellerId: string, expiresAtSec: number): void {
    this.push.send(8, sellerId, { app_key: this.state.config.appKey, auth_expiry_time: expiresAtSec, seller_id: sellerId })
  }
}
