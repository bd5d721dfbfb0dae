import type { ProviderVocabulary } from "../types"

/**
 * Lazada's words. Shipping is `dropship` (pack, then ready to ship). The seller's cancellation reasons are the ones
 * OrderCancelValidate offers (found there by name: see cancel.ts); Lazada gives one reason to every unit of the call
 * and the plugin cancels whole orders, so no reason names lines. Returns are reverse orders (returns.ts): RETURN
 * (the goods come back, to the merchant or a Lazada warehouse) and ONLY_REFUND.
 */
export const LAZADA_VOCABULARY: ProviderVocabulary = {
  cancel_reasons: [
    // "Out of Stock" and "Wrong Price or Pricing Error" set the SKUs' stock to 0 on Lazada (guide, note 2).
    { id: "out_of_stock", label: "Out of stock", names_items: false },
    { id: "sourcing_delay", label: "Sourcing delay", names_items: false },
    { id: "pricing_error", label: "Wrong price or pricing error", names_items: false },
    { id: "customer_request", label: "Customer request", names_items: false },
  ],
  default_cancel_reason: "out_of_stock",
  ship_methods: [
    {
      id: "dropship",
      label: "Pack and ready to ship",
      description: "Pack the items (/order/fulfill/pack), then ready-to-ship the package (/order/package/rts)",
      connection_default: true,
      inputs: [],
    },
  ],
  dispute_reasons: {
    entries: [],
    pattern: "^\\d{1,20}$",
    hint: "A reason id from GetReverseOrderReasonList (/order/reverse/reason/list) for the reverse order's line; Lazada requires a comment (text)",
  },
  return_solutions: [
    { id: "return_refund", label: "Return and refund", restock: true },
    { id: "refund_only", label: "Refund only", restock: false },
  ],
  // The kinds QueryTransactionDetails' rows are read into (finance.ts, by fee name; docs/lazada.md has the table).
  fee_kinds: [
    { id: "commission", label: "Commission", seller_pays: true, group: "commission" },
    { id: "transaction", label: "Payment fee", seller_pays: true, group: "transaction" },
    { id: "service", label: "Service fees (free shipping max, LazCoins, campaigns...)", seller_pays: true, group: "service" },
    { id: "voucher", label: "Seller vouchers and promotional charges", seller_pays: true, group: "voucher" },
    { id: "tax", label: "Tax (VAT, WHT)", seller_pays: true, group: "tax" },
    { id: "other", label: "Other fees", seller_pays: true, group: "other" },
    { id: "shipping_actual", label: "Shipping fee paid by seller", seller_pays: false, group: "shipping" },
    { id: "shipping_paid_by_buyer", label: "Shipping fee paid by customer", seller_pays: false, group: "shipping" },
  ],
  // Lazada gives every SKU its own sku_id, even for a product without variations.
  single_model_id: null,
  order_channels: [],
}
