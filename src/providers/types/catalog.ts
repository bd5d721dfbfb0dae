import type { ShopSession } from "./auth"
import type { Money, Page } from "./common"

/** One sellable unit on the marketplace (item + model, or product + SKU). */
export interface MarketplaceListing {
  external_item_id: string
  /**
   * The model / SKU id. For an item without variations, the provider's `vocabulary.single_model_id` (or the
   * item's own id, as the platform does).
   */
  external_model_id: string
  sku: string | null
  title: string
  variant_title: string | null
  price: Money | null
  currency_code: string | null
  stock: number | null
  status: string | null
}

export interface StockUpdate {
  external_item_id: string
  external_model_id: string
  quantity: number
  /** The platform's location / warehouse id, when the shop has several. */
  external_location_id?: string | null
}

export interface PriceUpdate {
  external_item_id: string
  external_model_id: string
  price: Money
}

/** The outcome of one unit in a batched push. */
export interface PushResult {
  external_item_id: string
  external_model_id: string
  ok: boolean
  /** A failure the next attempt may fix (network, rate limit, 5xx). */
  retryable?: boolean
  error?: string | null
}

/**
 * Capability `catalog`: the shop's listings (for matching to variants), and stock and price pushes in
 * batches of `limits.stock_batch` / `limits.price_batch`, one result per unit.
 */
export interface MarketplaceCatalog {
  listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>>
  pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]>
  pushPrice(session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]>
}
