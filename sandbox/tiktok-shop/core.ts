import { ControlError } from "../kit/errors"
import { Lifecycle, type StatusTable } from "../kit/lifecycle"
import { SandboxCore } from "../kit/core"
import { SandboxStore, type KitConfig } from "../kit/state"
import { TokenVault, type IssuedTokens } from "../kit/tokens"
import type { SandboxLogger } from "../kit/types"
import type { SandboxAdjustment, SandboxStatement } from "./finance-model"
import { type SandboxReturn, TiktokReturns } from "./returns"
import { webhookAuthorization } from "./signing"

export type TiktokOrderStatus =
  | "UNPAID"
  | "ON_HOLD"
  | "AWAITING_SHIPMENT"
  | "PARTIALLY_SHIPPING"
  | "AWAITING_COLLECTION"
  | "IN_TRANSIT"
  | "DELIVERED"
  | "COMPLETED"
  | "CANCELLED"

export const ORDER_STATUSES: readonly TiktokOrderStatus[] = [
  "UNPAID",
  "ON_HOLD",
  "AWAITING_SHIPMENT",
  "PARTIALLY_SHIPPING",
  "AWAITING_COLLECTION",
  "IN_TRANSIT",
  "DELIVERED",
  "COMPLETED",
  "CANCELLED",
]

const MAIN_PATH: TiktokOrderStatus[] = ["ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"]

/** The order statuses of the Order API overview, in the order buyer, seller and carrier move them. */
export const ORDER_TABLE: StatusTable<TiktokOrderStatus> = {
  next: {
    UNPAID: "ON_HOLD",
    ON_HOLD: "AWAITING_SHIPMENT",
    AWAITING_SHIPMENT: "AWAITING_COLLECTION",
    PARTIALLY_SHIPPING: "IN_TRANSIT",
    AWAITING_COLLECTION: "IN_TRANSIT",
    IN_TRANSIT: "DELIVERED",
    DELIVERED: "COMPLETED",
  },
  pathTo: (target) => {
    if (target === "CANCELLED" || target === "UNPAID") return target === "CANCELLED" ? ["CANCELLED"] : []
    if (target === "PARTIALLY_SHIPPING") return ["ON_HOLD", "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"]
    return MAIN_PATH.slice(0, MAIN_PATH.indexOf(target) + 1)
  },
  terminal: ["COMPLETED", "CANCELLED"],
}

/**
 * A package's status as "Get Package Detail" and the order detail's per-line `package_status` print it:
 * TO_FULFILL (waiting for the seller to arrange shipment), PROCESSING (arranged, waiting for the carrier),
 * FULFILLING (collected, in transit), COMPLETED (delivered), CANCELLED.
 */
export type TiktokPackageStatus = "TO_FULFILL" | "PROCESSING" | "FULFILLING" | "COMPLETED" | "CANCELLED"

/** The steps a package goes through, in order (CANCELLED is off the path). */
const PACKAGE_STEPS: readonly TiktokPackageStatus[] = ["TO_FULFILL", "PROCESSING", "FULFILLING", "COMPLETED"]

/**
 * A package with a state of its own, made by "Split Orders" (one order, several packages shipping at different
 * times) or "Combine Package" (orders of one shop in one parcel). An order's package that is not in
 * `TiktokStore.packages` is the one TikTok made at payment: it holds the whole order and follows the order's
 * status, tracking number and handover (`SandboxOrder`), exactly as before orders could be split.
 */
export interface SandboxPackage {
  id: string
  shop_id: string
  /** "Get Package Detail"'s `split_and_combine_tag`. */
  tag: "SPLIT" | "COMBINE"
  status: TiktokPackageStatus
  tracking_number: string | null
  /** The 3PL has not assigned the tracking number yet (see TiktokStore.withholdTracking). */
  tracking_withheld: boolean
  handover_method: "PICKUP" | "DROP_OFF" | null
  create_time: number
  update_time: number
}

/** The order statuses a package change may move an order out of (before, the order is not shippable; after, it is final). */
const PACKAGE_DRIVEN: readonly TiktokOrderStatus[] = ["AWAITING_SHIPMENT", "AWAITING_COLLECTION", "PARTIALLY_SHIPPING", "IN_TRANSIT", "DELIVERED"]

/**
 * Regions whose orders split item by item (units of one SKU in different packages), as "Split Orders" lists them;
 * elsewhere (SEA, BR, local MX) a split moves all the units of a SKU together.
 */
const ITEM_LEVEL_SPLIT_REGIONS = ["US", "GB", "JP", "DE", "FR", "IT", "ES", "IE"]

/** Why "Split Orders" or "Combine Package" refuses: bad input, or a state TikTok does not split or combine. */
export interface PackageRefusal {
  kind: "params" | "not_allowed"
  message: string
}

/** "Get Package Detail"'s package_status of an order's own package (never split or combined): the order's. */
export function defaultPackageStatus(order: SandboxOrder): TiktokPackageStatus {
  switch (order.status) {
    case "AWAITING_COLLECTION":
      return "PROCESSING"
    case "IN_TRANSIT":
      return "FULFILLING"
    case "DELIVERED":
    case "COMPLETED":
      return "COMPLETED"
    case "CANCELLED":
      return "CANCELLED"
    default:
      // Not arranged yet: the package detail documents no value for it (Search Package's TO_FULFILL).
      return "TO_FULFILL"
  }
}

/**
 * The order's status as TikTok derives it from its packages: AWAITING_SHIPMENT while some are not arranged and
 * none left, AWAITING_COLLECTION once all are arranged, PARTIALLY_SHIPPING when some left but not all,
 * IN_TRANSIT when all left, DELIVERED when all are delivered. Cancelled packages do not count; null when none is left.
 */
export function statusFromPackages(statuses: TiktokPackageStatus[]): TiktokOrderStatus | null {
  const live = statuses.filter((s) => s !== "CANCELLED")
  if (!live.length) return null
  const left = live.filter((s) => s === "FULFILLING" || s === "COMPLETED")
  if (!left.length) return live.every((s) => s === "PROCESSING") ? "AWAITING_COLLECTION" : "AWAITING_SHIPMENT"
  if (left.length < live.length) return "PARTIALLY_SHIPPING"
  return live.every((s) => s === "COMPLETED") ? "DELIVERED" : "IN_TRANSIT"
}

export interface SandboxSeller {
  open_id: string
  name: string
  base_region: string
  shop_ids: string[]
}

export interface SandboxShop {
  id: string
  name: string
  region: string
  currency: string
  cipher: string
  code: string
  seller_open_id: string
}

export interface SandboxSku {
  id: string
  seller_sku: string
  name: string
  price: string
  inventory: { warehouse_id: string; quantity: number }[]
}

export interface SandboxProduct {
  id: string
  shop_id: string
  title: string
  status: string
  skus: SandboxSku[]
}

export interface SandboxLineUnit {
  id: string
  product_id: string
  sku_id: string
  seller_sku: string
  product_name: string
  sku_name: string
  original_price: string
  sale_price: string
  seller_discount: string
  platform_discount: string
  package_id: string
}

/** A cancellation of an order ("Search Cancellations"); the buyer's needs the seller's or the system's answer. */
export interface SandboxCancellation {
  id: string
  cancel_type: "CANCEL" | "BUYER_CANCEL"
  status: "CANCELLATION_REQUEST_PENDING" | "CANCELLATION_REQUEST_SUCCESS" | "CANCELLATION_REQUEST_CANCEL" | "CANCELLATION_REQUEST_COMPLETE"
  role: "BUYER" | "SELLER" | "SYSTEM"
  cancel_reason: string
  cancel_reason_text: string
  create_time: number
  update_time: number
}

export interface SandboxOrder {
  id: string
  shop_id: string
  status: TiktokOrderStatus
  create_time: number
  update_time: number
  paid_time: number | null
  commerce_platform: "TIKTOK_SHOP" | "TOKOPEDIA"
  user_id: string
  buyer_email: string
  buyer_message: string
  currency: string
  shipping_fee: string
  original_shipping_fee: string
  recipient: { name: string; phone: string; line1: string; city: string; province: string; postal_code: string; region_code: string }
  units: SandboxLineUnit[]
  package_ids: string[]
  tracking_number: string | null
  /** TIKTOK: the platform's carrier and label; SELLER: the seller ships and uploads the tracking number. */
  shipping_type: "TIKTOK" | "SELLER"
  /** How the package goes to the carrier, once shipped with "Ship Package" (null before). */
  handover_method: "PICKUP" | "DROP_OFF" | null
  shipping_provider_id: string
  shipping_provider_name: string
  /** The 3PL has not assigned the tracking number yet (see TiktokStore.withholdTracking). */
  tracking_withheld: boolean
  /** The order's cancellation request, if any (the latest one). */
  cancellation: SandboxCancellation | null
  /** When the order was settled (its completion), for the Finance API; null until then. */
  settle_time: number | null
}

/** One SKU's quantity as an inventory update set it, with the update's arrival (ms): what the benches time. */
export interface InventoryUpdate {
  shop_id: string
  product_id: string
  sku_id: string
  seller_sku: string
  warehouse_id: string
  quantity: number
  received_at: number
}

export interface TiktokConfig extends KitConfig {
  appKey: string
  appSecret: string
  serviceId: string
  accessTtlSeconds: number
  refreshTtlSeconds: number
}

export class TiktokStore extends SandboxStore<TiktokConfig> {
  sellers = new Map<string, SandboxSeller>()
  shops = new Map<string, SandboxShop>()
  shopsByCipher = new Map<string, SandboxShop>()
  products = new Map<string, SandboxProduct>()
  orders = new Map<string, SandboxOrder>()
  returns = new Map<string, SandboxReturn>()
  /** Daily statements by `<shop id>:<day>` and the adjustments made after settlement (finance.ts). */
  statements = new Map<string, SandboxStatement>()
  adjustments: SandboxAdjustment[] = []
  /** Every quantity an inventory update applied, oldest first (refused SKUs are not in it). */
  inventoryUpdates: InventoryUpdate[] = []
  /** Packages with a state of their own (split or combined), by id; an order's untouched package is not here. */
  packages = new Map<string, SandboxPackage>()
  /**
   * "Search Combinable Packages"'s pre-generated package ids -> the orders of that group; "Combine Package" names
   * one and the combined package takes that id.
   */
  combinable = new Map<string, string[]>()
  /** Shipping documents served at their doc_url: token -> package and expiry (24 h, as the docs say). */
  documents = new Map<string, { package_id: string; document_type: string; expires_at: number }>()
  /** Packages arranged from now on whose tracking number the 3PL withholds (until released or picked up). */
  withholdTracking = 0
  /** Where the sandbox listens, for the doc_urls it prints (set at start, kept across resets). */
  publicUrl: string | null = null
  /** The redirect URL registered with the app (Partner Center); the authorize page sends sellers there. */
  redirectUrl: string | null = null
  tokens: TokenVault<string>
  refreshCount = 0
  /** Refreshes per seller (open_id). */
  refreshes = new Map<string, number>()

  constructor(config: TiktokConfig, seed: number | undefined, rateLimit: number | null) {
    super(config, seed, rateLimit)
    this.tokens = new TokenVault<string>(() => this.nowMs(), {
      accessTtlSeconds: config.accessTtlSeconds,
      refreshTtlSeconds: config.refreshTtlSeconds,
      codeTtlSeconds: 30 * 60,
      oldAccessGraceSeconds: null,
    })
  }

  override reset(): void {
    super.reset()
    this.sellers.clear()
    this.shops.clear()
    this.shopsByCipher.clear()
    this.products.clear()
    this.orders.clear()
    this.returns.clear()
    this.packages.clear()
    this.combinable.clear()
    this.statements.clear()
    this.adjustments = []
    this.inventoryUpdates = []
    this.documents.clear()
    this.withholdTracking = 0
    this.redirectUrl = null
    this.tokens.clear()
    this.refreshCount = 0
    this.refreshes.clear()
  }
}

/** Long numeric ids as TikTok prints them (18-19 digits), unique within a run. */
function longId(prefix: string, seq: number): string {
  return `${prefix}${String(seq).padStart(12, "0")}`
}

export class TiktokSandboxCore extends SandboxCore<TiktokStore> {
  readonly orders: Lifecycle<TiktokOrderStatus, SandboxOrder>
  readonly returns: TiktokReturns

  constructor(state: TiktokStore, logger: SandboxLogger) {
    super(state, logger, {
      label: "tiktok-shop sandbox",
      // The webhook body: type, tts_notification_id, shop_id, timestamp, data.
      envelope: ({ msgId, code, shopId, data, timestamp }) =>
        JSON.stringify({ type: Number(code), tts_notification_id: notificationId(msgId), shop_id: String(shopId), timestamp, data }),
      sign: (_url, body) => ({ Authorization: webhookAuthorization(state.config.appKey, state.config.appSecret, body) }),
      // Re-sent 2 min, 30 min, 3 h and 12 h after a failed delivery, then never.
      redeliverySeconds: [120, 1800, 3 * 3600, 12 * 3600],
      requireEmptyBody: false,
      timeoutMs: 3000,
    })
    this.orders = new Lifecycle(ORDER_TABLE, {
      now: () => state.nowSec(),
      status: (o) => o.status,
      updateTime: (o) => o.update_time,
      setUpdateTime: (o, t) => {
        o.update_time = t
      },
      enter: (o, status, t) => {
        o.status = status
        if (status !== "UNPAID" && status !== "CANCELLED" && o.paid_time === null) o.paid_time = t
        if (status === "COMPLETED") o.settle_time = t
        // A split or combined order moved as a whole (the control API, a cancellation): its packages follow.
        if (this.ownPackages(o).length) return this.packagesFollow(o, status)
        // The carrier's number comes once the package is arranged, unless the 3PL is slow; at pickup at the latest.
        if (status === "AWAITING_COLLECTION" && !o.tracking_number) {
          if (state.withholdTracking > 0) {
            state.withholdTracking -= 1
            o.tracking_withheld = true
          } else o.tracking_number = trackingFor(o)
        }
        if (status === "IN_TRANSIT" && !o.tracking_number) {
          o.tracking_number = trackingFor(o)
          o.tracking_withheld = false
        }
      },
      announce: (o, status, _previous, t) => this.pushOrderStatus(o, status, t),
    })
    this.returns = new TiktokReturns(state, (r) => this.pushReturnStatus(r))
  }

  /** Type 12 ("Return status change"): order, return, its type, status and times. */
  pushReturnStatus(ret: SandboxReturn): void {
    this.push.send(12, ret.shop_id, {
      order_id: ret.order_id,
      return_role: ret.role,
      return_type: ret.return_type,
      return_status: ret.status,
      return_id: ret.id,
      create_time: ret.create_time,
      update_time: ret.update_time,
    })
  }

  /** A buyer's return request on a shipped order (see TiktokReturns.create). */
  createReturn(orderId: string, input: Parameters<TiktokReturns["create"]>[1]): SandboxReturn {
    const order = this.order(orderId)
    return this.returns.create(order, input, {
      returnId: longId("403531", this.state.nextSeq()),
      lineId: () => longId("403522", this.state.nextSeq()),
    })
  }

  /** Type 1; the webhook says CANCEL where the API says CANCELLED. */
  pushOrderStatus(order: SandboxOrder, status: TiktokOrderStatus, t: number): void {
    this.push.send(1, order.shop_id, {
      order_id: order.id,
      order_status: status === "CANCELLED" ? "CANCEL" : status,
      is_on_hold_order: status === "ON_HOLD",
      update_time: t,
    })
  }

  createSeller(input: { name?: string; base_region?: string; shops: { id?: string; name?: string; region: string; currency: string }[] }): SandboxSeller {
    const open_id = `seller_${this.state.nextSeq()}${this.state.random.int(1000, 9999)}`
    const seller: SandboxSeller = { open_id, name: input.name ?? "Sandbox Seller", base_region: input.base_region ?? input.shops[0]?.region ?? "ID", shop_ids: [] }
    for (const s of input.shops) {
      const seq = this.state.nextSeq()
      const id = s.id ?? longId("749554", seq)
      if (this.state.shops.has(id)) throw new ControlError(409, `Shop ${id} exists`)
      const cipher = `GCP_${Buffer.from(`${id}:${this.state.random.int(100000, 999999)}`).toString("base64url")}`
      const shop: SandboxShop = { id, name: s.name ?? `Sandbox shop ${id}`, region: s.region, currency: s.currency, cipher, code: `${s.region}LC${seq}`, seller_open_id: open_id }
      this.state.shops.set(id, shop)
      this.state.shopsByCipher.set(cipher, shop)
      seller.shop_ids.push(id)
    }
    this.state.sellers.set(open_id, seller)
    return seller
  }

  seller(openId: string): SandboxSeller {
    const seller = this.state.sellers.get(openId)
    if (!seller) throw new ControlError(404, `Seller ${openId} not found`)
    return seller
  }

  shop(id: string): SandboxShop {
    const shop = this.state.shops.get(id)
    if (!shop) throw new ControlError(404, `Shop ${id} not found`)
    return shop
  }

  issueTokens(openId: string): IssuedTokens {
    return this.state.tokens.issue(openId)
  }

  /** Sets a field the control API may change without a push (an order that drifted unseen). */
  patchOrder(id: string, patch: Partial<Pick<SandboxOrder, "status" | "create_time" | "update_time">>): SandboxOrder {
    const order = this.order(id)
    Object.assign(order, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)))
    return order
  }

  createProduct(shopId: string, input: { title: string; skus: { seller_sku: string; name?: string; price: string; stock?: number; warehouse_ids?: string[] }[] }): SandboxProduct {
    this.shop(shopId)
    const product: SandboxProduct = {
      id: longId("172958", this.state.nextSeq()),
      shop_id: shopId,
      title: input.title,
      status: "ACTIVATE",
      skus: input.skus.map((s) => ({
        id: longId("172959", this.state.nextSeq()),
        seller_sku: s.seller_sku,
        name: s.name ?? s.seller_sku,
        price: s.price,
        inventory: (s.warehouse_ids ?? [`WH${shopId.slice(-4)}`]).map((warehouse_id) => ({ warehouse_id, quantity: s.stock ?? 10 })),
      })),
    }
    this.state.products.set(product.id, product)
    return product
  }

  createOrder(
    shopId: string,
    input: {
      status?: TiktokOrderStatus
      commerce_platform?: "TIKTOK_SHOP" | "TOKOPEDIA"
      lines: { sku_id: string; quantity: number; seller_discount?: string; platform_discount?: string }[]
      shipping_fee?: string
      buyer?: { user_id: string; name: string }
      shipping_type?: "TIKTOK" | "SELLER"
    }
  ): SandboxOrder {
    const shop = this.shop(shopId)
    const now = this.state.nowSec()
    const id = longId("576461", this.state.nextSeq())
    const packageId = longId("115292", this.state.nextSeq())
    const units: SandboxLineUnit[] = []
    for (const line of input.lines) {
      const found = [...this.state.products.values()].flatMap((p) => p.skus.map((s) => ({ p, s }))).find(({ s }) => s.id === line.sku_id)
      if (!found || found.p.shop_id !== shopId) throw new ControlError(400, `SKU ${line.sku_id} is not listed in shop ${shopId}`)
      const sellerDiscount = line.seller_discount ?? "0"
      const platformDiscount = line.platform_discount ?? "0"
      for (let i = 0; i < line.quantity; i++) {
        units.push({
          id: longId("577087", this.state.nextSeq()),
          product_id: found.p.id,
          sku_id: found.s.id,
          seller_sku: found.s.seller_sku,
          product_name: found.p.title,
          sku_name: found.s.name,
          original_price: found.s.price,
          sale_price: String(Number((Number(found.s.price) - Number(sellerDiscount) - Number(platformDiscount)).toFixed(4))),
          seller_discount: sellerDiscount,
          platform_discount: platformDiscount,
          package_id: packageId,
        })
      }
    }
    if (!units.length) throw new ControlError(400, "An order needs at least one unit")
    const order: SandboxOrder = {
      id,
      shop_id: shopId,
      status: "UNPAID",
      create_time: now,
      update_time: now,
      paid_time: null,
      commerce_platform: input.commerce_platform ?? (shop.region === "ID" ? "TOKOPEDIA" : "TIKTOK_SHOP"),
      user_id: input.buyer?.user_id ?? longId("702143", this.state.nextSeq()),
      buyer_email: "",
      buyer_message: "",
      currency: shop.currency,
      shipping_fee: input.shipping_fee ?? "0",
      original_shipping_fee: input.shipping_fee ?? "0",
      recipient: { name: input.buyer?.name ?? "Sandbox Buyer", phone: "(+62)812****567", line1: "Jl. Sandbox No. 1", city: "Jakarta Pusat", province: "DKI Jakarta", postal_code: "10310", region_code: shop.region },
      units,
      package_ids: [packageId],
      tracking_number: null,
      shipping_type: input.shipping_type ?? "TIKTOK",
      handover_method: null,
      shipping_provider_id: "6617675021119438849",
      shipping_provider_name: "J&T Express",
      tracking_withheld: false,
      cancellation: null,
      settle_time: null,
    }
    // TikTok's relay address for the buyer, stable per buyer.
    order.buyer_email = `v${order.user_id.slice(-8)}@scs2.tiktok.com`
    this.orders.settle(order, input.status ?? "AWAITING_SHIPMENT", now, () => 60)
    this.state.orders.set(id, order)
    this.pushOrderStatus(order, order.status, order.update_time)
    return order
  }

  /**
   * The buyer asks to cancel an order that has not left yet: the order shows `is_buyer_request_cancel` until the
   * seller or the system answers; type 11 ("Cancellation status change") announces it.
   */
  requestBuyerCancel(orderId: string): SandboxCancellation {
    const order = this.order(orderId)
    if (!["ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION"].includes(order.status)) {
      throw new ControlError(409, `Order ${order.id} is ${order.status}: the buyer can no longer ask to cancel it`)
    }
    if (order.cancellation?.status === "CANCELLATION_REQUEST_PENDING") throw new ControlError(409, `Order ${order.id} already has a pending cancellation`)
    const t = Math.max(this.state.nowSec(), order.update_time + 1)
    order.cancellation = {
      id: longId("403530", this.state.nextSeq()),
      cancel_type: "BUYER_CANCEL",
      status: "CANCELLATION_REQUEST_PENDING",
      role: "BUYER",
      cancel_reason: "ecom_order_to_ship_canceled_reason_no_longer_needed",
      cancel_reason_text: "No longer needed",
      create_time: t,
      update_time: t,
    }
    order.update_time = t
    this.pushCancellation(order, order.cancellation)
    return order.cancellation
  }

  /**
   * The answer to a pending buyer cancellation: accepted (the order is cancelled and the buyer refunded:
   * CANCELLATION_REQUEST_COMPLETE, then the order's own type 1), or withdrawn by the buyer.
   */
  settleBuyerCancel(orderId: string, outcome: "accept" | "withdraw"): SandboxOrder {
    const order = this.order(orderId)
    const cancellation = order.cancellation
    if (cancellation?.status !== "CANCELLATION_REQUEST_PENDING") throw new ControlError(409, `Order ${order.id} has no pending cancellation`)
    const t = Math.max(this.state.nowSec(), order.update_time + 1)
    cancellation.status = outcome === "accept" ? "CANCELLATION_REQUEST_COMPLETE" : "CANCELLATION_REQUEST_CANCEL"
    cancellation.update_time = t
    if (outcome === "accept") this.orders.move(order, "CANCELLED")
    else order.update_time = t
    this.pushCancellation(order, cancellation)
    return order
  }

  /** Type 11: the webhook says CANCELLATION_REQUEST_CANCELLED where the search says CANCELLATION_REQUEST_CANCEL. */
  pushCancellation(order: SandboxOrder, c: SandboxCancellation): void {
    this.push.send(11, order.shop_id, {
      order_id: order.id,
      cancellations_role: c.role,
      cancel_status: c.status === "CANCELLATION_REQUEST_CANCEL" ? "CANCELLATION_REQUEST_CANCELLED" : c.status,
      cancel_id: c.id,
      create_time: c.create_time,
    })
  }

  /** The slow 3PL assigns the withheld tracking number now. */
  releaseTracking(orderId: string): SandboxOrder {
    const order = this.order(orderId)
    if (order.tracking_withheld && !order.tracking_number) order.tracking_number = trackingFor(order)
    order.tracking_withheld = false
    for (const pkg of this.ownPackages(order)) {
      if (pkg.tracking_withheld && !pkg.tracking_number) pkg.tracking_number = packageTracking(pkg)
      pkg.tracking_withheld = false
    }
    this.refreshOrderTracking(order)
    return order
  }

  /** The order's packages that have a state of their own (all of them once split or combined, else none). */
  ownPackages(order: SandboxOrder): SandboxPackage[] {
    return order.package_ids.map((id) => this.state.packages.get(id)).filter((p): p is SandboxPackage => !!p)
  }

  /** Every order with units in the package (several for a combined one), oldest first. */
  ordersOfPackage(packageId: string): SandboxOrder[] {
    return [...this.state.orders.values()].filter((o) => o.package_ids.includes(packageId))
  }

  /** Type 4 ("Package update"): a split or combine by the seller, each package with the orders it holds. */
  pushPackageUpdate(shopId: string, scType: "SPLIT" | "COMBINE", packages: SandboxPackage[], t: number): void {
    this.push.send(4, shopId, {
      sc_type: scType,
      role_type: "ROLE_SELLER",
      package_list: packages.map((p) => ({ package_id: p.id, order_id_list: this.ordersOfPackage(p.id).map((o) => o.id) })),
      update_time: t,
    })
  }

  /**
   * Why "Split Orders" would refuse these groups of line items (unit ids), or null. The groups must place every
   * line item of the order once; the order must be paid and not arranged (AWAITING_SHIPMENT, every package still
   * TO_FULFILL), not combined with another order, with no cancellation pending, into two packages at least; outside
   * the item-level regions all the units of a SKU stay in one package.
   */
  splitRefusal(order: SandboxOrder, groups: string[][]): PackageRefusal | null {
    const params = (message: string): PackageRefusal => ({ kind: "params", message })
    const notAllowed = (message: string): PackageRefusal => ({ kind: "not_allowed", message })
    const units = new Map(order.units.map((u) => [u.id, u]))
    const seen = new Set<string>()
    for (const group of groups) {
      if (!group.length) return params("a splittable group needs order_line_item_ids")
      for (const id of group) {
        if (!units.has(id)) return params(`order_line_item_id ${id} is not in order ${order.id}`)
        if (seen.has(id)) return params(`order_line_item_id ${id} is in two splittable groups`)
        seen.add(id)
      }
    }
    if (seen.size !== units.size) return params(`the splittable groups must place every line item of order ${order.id}`)
    if (order.status !== "AWAITING_SHIPMENT") return notAllowed(`order ${order.id} is ${order.status}`)
    if (order.cancellation?.status === "CANCELLATION_REQUEST_PENDING") return notAllowed(`order ${order.id} has a cancellation request pending`)
    if (groups.length < 2) return notAllowed("an order splits into two packages at least")
    const own = this.ownPackages(order)
    if (own.some((p) => p.tag === "COMBINE")) return notAllowed(`order ${order.id} is combined with other orders`)
    if (own.some((p) => p.status !== "TO_FULFILL")) return notAllowed(`a package of order ${order.id} is already arranged`)
    if (!ITEM_LEVEL_SPLIT_REGIONS.includes(this.shop(order.shop_id).region)) {
      const groupOfSku = new Map<string, number>()
      for (const [i, group] of groups.entries()) {
        for (const id of group) {
          const sku = units.get(id)!.sku_id
          if ((groupOfSku.get(sku) ?? i) !== i) return notAllowed(`all the units of SKU ${sku} must stay in one package`)
          groupOfSku.set(sku, i)
        }
      }
    }
    return null
  }

  /**
   * "Split Orders": one new package per group of line items (unit ids), in group order, each TO_FULFILL with a
   * state of its own; the order's former packages are gone. Type 4 (SPLIT) announces it; the order's status does
   * not change (nothing is arranged yet).
   */
  splitOrder(orderId: string, groups: string[][]): SandboxPackage[] {
    const order = this.order(orderId)
    const refusal = this.splitRefusal(order, groups)
    if (refusal) throw new ControlError(refusal.kind === "params" ? 400 : 409, refusal.message)
    const t = Math.max(this.state.nowSec(), order.update_time + 1)
    for (const id of order.package_ids) this.state.packages.delete(id)
    const packages = groups.map((group) => {
      const pkg = this.newPackage(order.shop_id, "SPLIT", t)
      for (const unit of order.units) if (group.includes(unit.id)) unit.package_id = pkg.id
      return pkg
    })
    order.package_ids = packages.map((p) => p.id)
    order.update_time = t
    this.pushPackageUpdate(order.shop_id, "SPLIT", packages, t)
    return packages
  }

  /** An order that may go into a combined package: paid, not arranged, in its own untouched package, no cancellation pending. */
  private combinable(order: SandboxOrder): boolean {
    return (
      order.status === "AWAITING_SHIPMENT" &&
      order.cancellation?.status !== "CANCELLATION_REQUEST_PENDING" &&
      order.package_ids.length === 1 &&
      !this.state.packages.has(order.package_ids[0])
    )
  }

  /** Orders TikTok ships together: one shop, one buyer, one address, one shipping type. */
  private combineKey(order: SandboxOrder): string {
    const r = order.recipient
    return JSON.stringify([order.shop_id, order.user_id, r.name, r.line1, r.city, r.postal_code, order.shipping_type])
  }

  /**
   * Why these orders cannot be combined now, or null. TikTok combines one buyer's orders to one address
   * (`sameBuyer`, what "Search Combinable Packages" offers and "Combine Package" checks); the test driver's
   * combination stands for a seller's choice in Seller Center and only asks for one shop and one shipping type.
   */
  combineRefusal(orderIds: string[], options: { sameBuyer?: boolean } = {}): string | null {
    const ids = [...new Set(orderIds)]
    if (ids.length < 2) return "a combined package holds two orders at least"
    const orders = ids.map((id) => this.state.orders.get(id))
    const missing = ids.find((_, i) => !orders[i])
    if (missing) return `order ${missing} not found`
    const sameBuyer = options.sameBuyer ?? true
    const key = (o: SandboxOrder) => (sameBuyer ? this.combineKey(o) : JSON.stringify([o.shop_id, o.shipping_type]))
    for (const order of orders as SandboxOrder[]) {
      if (!this.combinable(order)) return `order ${order.id} cannot be combined (${order.status}${order.package_ids.length > 1 ? ", split" : ""})`
      if (key(order) !== key(orders[0]!)) return `order ${order.id} is not for the same ${sameBuyer ? "shop, buyer, address and shipping type" : "shop and shipping type"}`
    }
    return null
  }

  /**
   * "Search Combinable Packages": the shop's orders that may ship together (see `combineRefusal`), grouped, two or
   * more per group, each group with a pre-generated package id that stays the same while the group does.
   */
  combinableGroups(shopId: string): { id: string; order_ids: string[] }[] {
    const groups = new Map<string, string[]>()
    for (const order of this.state.orders.values()) {
      if (order.shop_id !== shopId || !this.combinable(order)) continue
      const key = this.combineKey(order)
      groups.set(key, [...(groups.get(key) ?? []), order.id])
    }
    return [...groups.values()].filter((ids) => ids.length > 1).map((ids) => ({ id: this.preGeneratedPackage(ids), order_ids: ids }))
  }

  private preGeneratedPackage(orderIds: string[]): string {
    const key = [...orderIds].sort().join(",")
    for (const [id, ids] of this.state.combinable) if ([...ids].sort().join(",") === key) return id
    const id = longId("115293", this.state.nextSeq())
    this.state.combinable.set(id, [...orderIds])
    return id
  }

  /**
   * "Combine Package" (`sameBuyer`, the default) or the seller's combination (see `combineRefusal`): the orders'
   * units go into one package (the pre-generated id of their group), TO_FULFILL with a state of its own, listed by
   * each order; type 4 (COMBINE) announces it.
   */
  combineOrders(orderIds: string[], options: { packageId?: string; sameBuyer?: boolean } = {}): SandboxPackage {
    const refusal = this.combineRefusal(orderIds, options)
    if (refusal) throw new ControlError(409, refusal)
    const orders = [...new Set(orderIds)].map((id) => this.order(id))
    const t = Math.max(this.state.nowSec(), ...orders.map((o) => o.update_time + 1))
    const pkg = this.newPackage(orders[0].shop_id, "COMBINE", t, options.packageId ?? this.preGeneratedPackage(orders.map((o) => o.id)))
    this.state.combinable.delete(pkg.id)
    for (const order of orders) {
      for (const unit of order.units) unit.package_id = pkg.id
      order.package_ids = [pkg.id]
      order.update_time = t
    }
    this.pushPackageUpdate(pkg.shop_id, "COMBINE", [pkg], t)
    return pkg
  }

  private newPackage(shopId: string, tag: SandboxPackage["tag"], t: number, id?: string): SandboxPackage {
    const pkg: SandboxPackage = {
      id: id ?? longId("115292", this.state.nextSeq()),
      shop_id: shopId,
      tag,
      status: "TO_FULFILL",
      tracking_number: null,
      tracking_withheld: false,
      handover_method: null,
      create_time: t,
      update_time: t,
    }
    this.state.packages.set(pkg.id, pkg)
    return pkg
  }

  /**
   * The carrier (or Ship Package, for PROCESSING) moves one package on to `to`, step by step: PROCESSING
   * (arranged: the 3PL's tracking number, unless withheld), FULFILLING (collected: the number at the latest),
   * COMPLETED (delivered). After each step the orders it carries take the status TikTok derives (type 1 when it
   * changes; a step that changes no order's status is pushed by nothing, its update time moves). An order's own
   * package (never split or combined) moves its order instead, as advancing the order does.
   */
  advancePackage(packageId: string, to: "PROCESSING" | "FULFILLING" | "COMPLETED"): SandboxOrder[] {
    const pkg = this.state.packages.get(packageId)
    if (!pkg) {
      const order = this.orderOfPackage(packageId)
      if (!order) throw new ControlError(404, `Package ${packageId} not found`)
      const target = ({ PROCESSING: "AWAITING_COLLECTION", FULFILLING: "IN_TRANSIT", COMPLETED: "DELIVERED" } as const)[to]
      if (!PACKAGE_DRIVEN.includes(order.status) || MAIN_PATH.indexOf(order.status) >= MAIN_PATH.indexOf(target)) {
        throw new ControlError(409, `Package ${packageId} of order ${order.id} (${order.status}) cannot move on to ${to}`)
      }
      this.orders.move(order, target)
      return [order]
    }
    const from = PACKAGE_STEPS.indexOf(pkg.status)
    const target = PACKAGE_STEPS.indexOf(to)
    const orders = this.ordersOfPackage(pkg.id)
    if (from < 0 || from >= target || !orders.some((o) => PACKAGE_DRIVEN.includes(o.status))) {
      throw new ControlError(409, `Package ${pkg.id} is ${pkg.status}: it cannot move on to ${to}`)
    }
    for (const step of PACKAGE_STEPS.slice(from + 1, target + 1)) {
      this.stepPackage(pkg, step)
      this.ordersFollow(pkg)
    }
    return orders
  }

  /** One package enters `status` now, with the fields that come with it. */
  private stepPackage(pkg: SandboxPackage, status: TiktokPackageStatus): void {
    pkg.status = status
    pkg.update_time = Math.max(this.state.nowSec(), pkg.update_time + 1)
    // The carrier's number comes once the package is arranged, unless the 3PL is slow; at pickup at the latest.
    if (status === "PROCESSING" && !pkg.tracking_number) {
      if (this.state.withholdTracking > 0) {
        this.state.withholdTracking -= 1
        pkg.tracking_withheld = true
      } else pkg.tracking_number = packageTracking(pkg)
    }
    if (status === "FULFILLING" && !pkg.tracking_number) {
      pkg.tracking_number = packageTracking(pkg)
      pkg.tracking_withheld = false
    }
  }

  /** The orders a package carries take the status TikTok derives from their packages (with their type 1 push). */
  private ordersFollow(pkg: SandboxPackage): void {
    for (const order of this.ordersOfPackage(pkg.id)) {
      this.refreshOrderTracking(order)
      const derived = statusFromPackages(this.ownPackages(order).map((p) => p.status))
      if (derived && derived !== order.status && PACKAGE_DRIVEN.includes(order.status)) this.orders.move(order, derived)
      else order.update_time = Math.max(this.state.nowSec(), order.update_time + 1)
    }
  }

  /**
   * A split or combined order moved as a whole (`orders.move`): its packages are brought up to the order's
   * status (arranged, collected, delivered, cancelled), and the other orders of a combined package follow them.
   */
  private packagesFollow(order: SandboxOrder, status: TiktokOrderStatus): void {
    const own = this.ownPackages(order)
    const floor: Partial<Record<TiktokOrderStatus, TiktokPackageStatus>> = {
      AWAITING_COLLECTION: "PROCESSING",
      IN_TRANSIT: "FULFILLING",
      DELIVERED: "COMPLETED",
      COMPLETED: "COMPLETED",
    }
    const moved = new Set<SandboxPackage>()
    if (status === "CANCELLED") {
      // A package shared with an order still live keeps shipping for that order.
      for (const pkg of own) {
        if (pkg.status === "COMPLETED" || this.ordersOfPackage(pkg.id).some((o) => o.status !== "CANCELLED")) continue
        pkg.status = "CANCELLED"
        pkg.update_time = Math.max(this.state.nowSec(), pkg.update_time + 1)
      }
    } else if (status === "PARTIALLY_SHIPPING") {
      // Partly shipped: one package has left, if none had.
      const live = own.filter((p) => p.status !== "CANCELLED")
      const waiting = live.find((p) => p.status === "TO_FULFILL" || p.status === "PROCESSING")
      if (waiting && !live.some((p) => p.status === "FULFILLING" || p.status === "COMPLETED")) {
        for (const step of PACKAGE_STEPS.slice(PACKAGE_STEPS.indexOf(waiting.status) + 1, PACKAGE_STEPS.indexOf("FULFILLING") + 1)) this.stepPackage(waiting, step)
        moved.add(waiting)
      }
    } else if (floor[status]) {
      const target = PACKAGE_STEPS.indexOf(floor[status]!)
      for (const pkg of own) {
        const from = PACKAGE_STEPS.indexOf(pkg.status)
        if (from < 0 || from >= target) continue
        for (const step of PACKAGE_STEPS.slice(from + 1, target + 1)) this.stepPackage(pkg, step)
        moved.add(pkg)
      }
    }
    this.refreshOrderTracking(order)
    for (const pkg of moved) {
      for (const other of this.ordersOfPackage(pkg.id)) {
        if (other === order) continue
        this.refreshOrderTracking(other)
        const derived = statusFromPackages(this.ownPackages(other).map((p) => p.status))
        if (derived && derived !== other.status && PACKAGE_DRIVEN.includes(other.status)) this.orders.move(other, derived)
      }
    }
  }

  /**
   * The order-level `tracking_number` of a split or combined order: the first of its packages' that has one (the
   * order detail has one such field; each line item carries its own package's).
   */
  private refreshOrderTracking(order: SandboxOrder): void {
    const own = this.ownPackages(order)
    if (own.length) order.tracking_number = own.find((p) => p.tracking_number)?.tracking_number ?? null
  }

  /**
   * "Ship Package" on a split or combined package: the seller's own tracking number (seller shipping) or the
   * handover method, then PROCESSING.
   */
  shipPackage(pkg: SandboxPackage, input: { handover_method?: "PICKUP" | "DROP_OFF"; tracking_number?: string }): void {
    if (input.tracking_number) pkg.tracking_number = input.tracking_number
    if (input.handover_method) pkg.handover_method = input.handover_method
    this.advancePackage(pkg.id, "PROCESSING")
  }

  /** The order whose package this is (the first, for a combined package). */
  orderOfPackage(packageId: string): SandboxOrder | null {
    return [...this.state.orders.values()].find((o) => o.package_ids.includes(packageId)) ?? null
  }

  order(id: string): SandboxOrder {
    const order = this.state.orders.get(id)
    if (!order) throw new ControlError(404, `Order ${id} not found`)
    return order
  }

  /** The seller revokes the app: tokens stop working; type 6 for each shop. */
  deauthorize(openId: string): void {
    const seller = this.seller(openId)
    this.state.tokens.expire(openId, true)
    for (const shopId of seller.shop_ids) this.push.send(6, shopId, { message: "The seller has deauthorized the app" })
  }
}

/** The carrier's tracking number of an order's package. */
function trackingFor(order: SandboxOrder): string {
  return `JX${order.id.slice(-10)}`
}

/** The carrier's tracking number of a split or combined package. */
function packageTracking(pkg: SandboxPackage): string {
  return `JX${pkg.id.slice(-10)}`
}

/** The kit's message id as TikTok's numeric notification id (19 digits). */
function notificationId(msgId: string): string {
  return (BigInt(`0x${msgId.slice(0, 15)}`) % 10n ** 19n).toString().padStart(19, "7")
}
