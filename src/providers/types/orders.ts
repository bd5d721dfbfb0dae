import type { ShopSession } from "./auth"
import type { Money, Page } from "./common"

/**
 * One plugin-wide order status set. Each provider maps its platform's statuses into it.
 * - `unpaid`: placed, not paid yet (not imported unless the connection imports unpaid orders)
 * - `paid`: paid, waiting for the seller to arrange shipment
 * - `processed`: shipment arranged / packed, waiting for the carrier
 * - `shipped`: handed to the carrier
 * - `delivered`: delivered to the buyer, not yet completed on the marketplace
 * - `completed`: final, settlement can happen
 * - `cancel_requested`: the buyer asked to cancel, the seller may still act
 * - `cancelled`: cancelled before completion
 * - `in_return`: a return / refund is in progress
 */
export const ORDER_STATUSES = [
  "unpaid",
  "paid",
  "processed",
  "shipped",
  "delivered",
  "completed",
  "cancel_requested",
  "cancelled",
  "in_return",
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export interface Address {
  name: string | null
  phone: string | null
  /** The address lines as given by the platform (possibly masked). */
  address_1: string | null
  address_2: string | null
  city: string | null
  district: string | null
  province: string | null
  postal_code: string | null
  /** ISO 3166-1 alpha-2, lower case. */
  country_code: string | null
  /** The platform's one-line full address, when it gives one. */
  full_address: string | null
}

export interface MarketplaceOrderItem {
  /** Unique within the order (platform line id, or item+model+index). */
  line_id: string
  external_item_id: string
  /**
   * The model / SKU id. For an item without variations, the provider's `vocabulary.single_model_id` (or the
   * item's own id, as the platform does).
   */
  external_model_id: string
  sku: string | null
  title: string
  variant_title: string | null
  /** Units ordered, cancelled ones included (see `cancelled_quantity`). */
  quantity: number
  /**
   * Units of this line cancelled on the marketplace while the rest of the order goes on (a partial
   * cancellation), at most `quantity`; 0 or absent when none is. A wholly cancelled order is told by its
   * `status` (`cancelled`), not by this. The core reduces the Medusa line by these units (an order edit),
   * releases their reservation, refunds them on the captured payment and never fulfils them. Fill it only when
   * the platform's payload says plainly which units are cancelled; never guess.
   */
  cancelled_quantity?: number
  /** What the buyer pays per unit before order-level vouchers. */
  unit_price: Money
  /** The list price per unit, when the platform gives it. */
  original_unit_price: Money | null
  image_url?: string | null
}

/**
 * Where one package (parcel) of an order is, in the plugin's vocabulary; each provider maps its platform's package
 * or item statuses into it:
 * - `pending`: not handed to the carrier yet (waiting, packed, arranged, awaiting collection);
 * - `shipped`: handed to the carrier (in transit, and after: failed delivery, on its way back);
 * - `delivered`: delivered to the buyer (or completed);
 * - `cancelled`: the package will not ship (its units cancelled).
 */
export const PACKAGE_STAGES = ["pending", "shipped", "delivered", "cancelled"] as const
export type PackageStage = (typeof PACKAGE_STAGES)[number]

export interface MarketplacePackage {
  external_id: string
  /** The platform's own status string of the package, when it has one. */
  status: string | null
  /**
   * Where this package is, when the platform says it per package (an order split into several packages that
   * ship and arrive at different times). Null or absent: the package follows the order's `status` (shipped for
   * `PARCEL_LEFT_STATUSES`, delivered for delivered and completed). The core makes one Medusa fulfilment per
   * package that left, shipped and delivered on its own.
   */
  stage?: PackageStage | null
  carrier: string | null
  /**
   * Filled by `getOrders` for parcels that left (shipped and later, `PARCEL_LEFT_STATUSES`), read in the
   * platform's batches (never one call per order), or by `fillTrackingNumbers` when the core asks `getOrders`
   * for `{ tracking: false }`; null while the carrier has not assigned one.
   */
  tracking_number: string | null
  /** Lines in this package; empty when the platform does not say (then: the whole order). */
  items: { line_id: string; quantity: number }[]
}

export interface MarketplaceOrder {
  external_id: string
  status: OrderStatus
  /** The platform's own status string. */
  external_status: string
  /** ISO 4217, lower case. */
  currency_code: string
  /** ISO 3166-1 alpha-2 of the shop / order, lower case, when known. */
  country_code: string | null
  created_at: Date
  /** The platform's last-update time: the anti-regression key. */
  updated_at: Date
  paid_at: Date | null
  buyer: {
    external_id: string | null
    username: string | null
    email: string | null
    phone: string | null
  }
  shipping_address: Address | null
  items: MarketplaceOrderItem[]
  shipping: {
    method_name: string | null
    carrier: string | null
    /** What the buyer paid for shipping (estimated when the platform gives nothing better). */
    amount: Money
  }
  /** Order-level discounts paid by the seller (seller vouchers etc.), as a positive amount. */
  discount_total: Money
  /** What the buyer pays in all, as the platform states it. */
  total: Money
  packages: MarketplacePackage[]
  payment_method: string | null
  note: string | null
  cancel_reason: string | null
  /**
   * The sales channel the order came through when the platform serves several (e.g. "tokopedia" for an order a
   * TikTok Shop shop received from Tokopedia); null or absent for the platform's own. The core keeps it in the
   * Medusa order's metadata as `marketplace_channel`.
   */
  channel?: string | null
  /** The platform's detail payload, kept for debugging. */
  raw: unknown
}

/** A lightweight reference from a list call. */
export interface OrderRef {
  external_id: string
  updated_at?: Date | null
  external_status?: string | null
  /**
   * What the list call returned of the order, on a platform whose list pages carry the order's detail (Lazada's
   * GetOrders gives each order's header as GetOrder does). Opaque to the core: it hands the page's refs back to
   * `getOrders` (`GetOrdersOptions.listed`) so the provider can skip a detail call per order. Absent elsewhere.
   */
  listed_detail?: unknown
}

export interface ListChangedOrdersInput {
  /** Inclusive. The core never asks for a window longer than `limits.order_list_window_seconds`. */
  updated_from: Date
  /** Exclusive or inclusive as the platform does; the core overlaps windows anyway. */
  updated_to: Date
  /** The page token returned by the previous page of the same window. */
  page_token?: string | null
  /** Ask for unpaid orders too. */
  include_unpaid?: boolean
}

export interface GetOrdersOptions {
  /**
   * Read the tracking numbers of the parcels that left (default true). False: leave them null, for a caller
   * that fills them across many orders with `fillTrackingNumbers` (only asked of a provider that has it; one
   * whose detail call carries the tracking numbers fills them anyway).
   */
  tracking?: boolean
  /**
   * The refs the list page these ids came from returned (a pull or a backfill, read just before): a provider
   * whose list carries the detail (`OrderRef.listed_detail`) uses it instead of reading the order again. An id
   * without a listed detail is read as usual.
   */
  listed?: OrderRef[]
}

export interface CancelOrderInput {
  external_order_id: string
  /** One of the provider's `vocabulary.cancel_reasons` ids; the core checks it before calling. */
  reason: string
  /** For a reason that `names_items`: the lines concerned (e.g. the ones out of stock). */
  items?: { external_item_id: string; external_model_id: string }[]
}

/**
 * Capability `orders`: the order list by update time, order details in batches, the seller's cancellation,
 * and the order's page in the seller centre.
 */
export interface MarketplaceOrders {
  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>>
  /**
   * Orders with their packages (and the tracking numbers of parcels that left), in the platform's largest
   * batches; an empty or blank id list calls nothing. Orders the platform does not know are left out.
   */
  getOrders(session: ShopSession, external_ids: string[], options?: GetOrdersOptions): Promise<MarketplaceOrder[]>
  /**
   * Optional, for a platform whose tracking numbers take calls of their own (batched by `limits.tracking_batch`
   * packages): fills `tracking_number` on the packages of the given orders' parcels that left and have none yet
   * (`packagesAwaitingTracking`), across all the orders, in the platform's largest batches. A number the carrier
   * has not assigned stays null. The import fetches details with `{ tracking: false }` and fills the numbers here
   * once a full batch of packages has gathered over several detail batches. Omitted where the detail call
   * already carries tracking numbers.
   */
  fillTrackingNumbers?(session: ShopSession, orders: MarketplaceOrder[]): Promise<void>
  /** Cancels as the seller, before shipping; a refusal is a `MarketplaceApiError` kind `not_allowed`. */
  cancelOrder(session: ShopSession, input: CancelOrderInput): Promise<void>
  /** A link to the order in the platform's seller centre, for the admin; null when there is none. */
  orderUrl(session: Pick<ShopSession, "shop_id" | "region">, external_order_id: string): string | null
}
