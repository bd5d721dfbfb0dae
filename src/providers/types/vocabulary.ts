import type { FeeGroup } from "./settlement"

/** One word of a provider's vocabulary: the id the API and the provider use, and what the admin shows. */
export interface VocabularyEntry {
  id: string
  label: string
  description?: string
}

/** A reason the seller may give when cancelling an order. */
export interface CancelReason extends VocabularyEntry {
  /** The reason names the order lines it concerns (e.g. the ones out of stock). */
  names_items: boolean
}

/** One value a ship method needs, passed in `ship_details` under `id`. */
export interface ShipMethodInput extends VocabularyEntry {
  /**
   * The method cannot be used without it. False when the provider picks a value by itself (a default address,
   * the first branch...) or the platform asks for it only for some orders.
   */
  required: boolean
}

/** A way of handing a parcel to the carrier. */
export interface ShipMethodEntry extends VocabularyEntry {
  inputs: ShipMethodInput[]
  /** The method can be a connection's default (`settings.ship_method`). */
  connection_default: boolean
}

/** Dispute reasons: a fixed list, or ids the platform hands out per return (then `pattern` checks their shape). */
export interface DisputeReasons {
  entries: VocabularyEntry[]
  /** A regular expression a reason outside `entries` must match; null when only `entries` are valid. */
  pattern: string | null
  /** How the merchant finds a valid reason, for error messages and the admin. */
  hint: string
}

/** How a return is settled. */
export interface ReturnSolution extends VocabularyEntry {
  /** The goods come back (received and restocked); otherwise the buyer keeps them (refund only). */
  restock: boolean
}

/** A fee or contribution in the escrow. */
export interface FeeKindEntry extends VocabularyEntry {
  /** A charge the seller pays out of the order (part of the fee total); otherwise shown as a contribution. */
  seller_pays: boolean
  group: FeeGroup
}

/**
 * The words a platform uses where the plugin cannot choose them: the provider declares them, the core checks
 * input against them, and the admin shows them (GET /admin/marketplace/providers) without knowing them.
 */
export interface ProviderVocabulary {
  cancel_reasons: CancelReason[]
  /** The reason used when the merchant gives none; one of `cancel_reasons`. */
  default_cancel_reason: string
  ship_methods: ShipMethodEntry[]
  dispute_reasons: DisputeReasons
  return_solutions: ReturnSolution[]
  fee_kinds: FeeKindEntry[]
  /**
   * The model id of the single unit of an item without variations ("0" on Shopee), or null when every unit
   * has an id of its own. Order lines and listings carry it; the admin does not show it as a model.
   */
  single_model_id: string | null
  /**
   * The sales channels other than the platform itself that its orders may come through (`MarketplaceOrder.channel`),
   * e.g. Tokopedia on TikTok Shop; [] when every order is the platform's own. A connection may send each one's
   * orders to a sales channel of their own (`settings.channel_sales_channels`), and the admin shows the label.
   */
  order_channels: VocabularyEntry[]
}
