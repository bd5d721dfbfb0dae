import type { ProviderLimits } from "../types"

/**
 * Lazada's documented caps: GetOrders pages of at most 100 (`offset` stops at 5000: the window is narrowed instead),
 * GetMultipleOrderItems 50 order ids, UpdatePriceQuantity 50 SKUs. Pushes are re-sent every 30 minutes up to 12
 * times (Lazada Push Mechanism).
 */
export const LAZADA_LIMITS: ProviderLimits = {
  order_list_window_seconds: 15 * 24 * 3600,
  order_list_page_size: 100,
  order_detail_batch: 50,
  escrow_batch: 50,
  stock_batch: 50,
  price_batch: 50,
  token_refresh_margin_seconds: 3600,
  webhook_redelivery_horizon_seconds: 12 * 1800,
}

/** GetOrders refuses an `offset` beyond this. */
export const LAZADA_MAX_ORDER_OFFSET = 5000
