import type { ProviderLimits } from "../types"

/**
 * TikTok Shop's documented caps: order search pages of at most 100, order detail of at most 50 ids
 * (`/order/202507/orders`), inventory updates per product. The order search has no documented window cap; a
 * 15-day window keeps each walk short. Settlement ("Get Transactions by Order") is one call per order: `escrow_batch`
 * is how many orders one getEscrows takes, read one by one, with one statement walk for their adjustments.
 */
export const TIKTOK_SHOP_LIMITS: ProviderLimits = {
  order_list_window_seconds: 15 * 24 * 3600,
  order_list_page_size: 100,
  order_detail_batch: 50,
  escrow_batch: 50,
  stock_batch: 50,
  price_batch: 50,
  token_refresh_margin_seconds: 3600,
  // Webhooks are retried after 2 min, 30 min, 3 h and 12 h (then none): the last one 15 h 32 min after the first.
  webhook_redelivery_horizon_seconds: 120 + 1800 + 3 * 3600 + 12 * 3600,
}
