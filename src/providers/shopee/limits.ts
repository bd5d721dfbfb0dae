import type { ProviderLimits } from "../types"

/**
 * Shopee's documented caps: 15-day order list window, 100 per page, 50 ids per detail / escrow / tracking-number
 * (get_mass_tracking_number) / stock / price call.
 */
export const SHOPEE_LIMITS: ProviderLimits = {
  order_list_window_seconds: 15 * 24 * 3600,
  order_list_page_size: 100,
  order_detail_batch: 50,
  escrow_batch: 50,
  tracking_batch: 50,
  stock_batch: 50,
  price_batch: 50,
  token_refresh_margin_seconds: 600,
  // Push Mechanism: an unacknowledged push is sent again after about 300 s, 1800 s and 10800 s.
  webhook_redelivery_horizon_seconds: 300 + 1800 + 10800,
}
