import type { ProviderVocabulary } from "../types"

/**
 * Lazada's words. Shipping is `dropship` (pack, then ready to ship). Cancellation and returns are not offered by this
 * provider yet: their lists hold what the docs name, for the admin, and the operations answer "not supported".
 */
export const LAZADA_VOCABULARY: ProviderVocabulary = {
  cancel_reasons: [{ id: "out_of_stock", label: "Out of stock", names_items: true }],
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
  dispute_reasons: { entries: [], pattern: null, hint: "Lazada's refuseReturn takes a reason from the reverse order's reason list" },
  return_solutions: [
    { id: "return_refund", label: "Return and refund", restock: true },
    { id: "refund_only", label: "Refund only", restock: false },
  ],
  fee_kinds: [
    { id: "commission", label: "Commission", seller_pays: true, group: "commission" },
    { id: "payment_fee", label: "Payment fee", seller_pays: true, group: "transaction" },
    { id: "shipping_fee", label: "Shipping fee", seller_pays: false, group: "shipping" },
    { id: "voucher", label: "Voucher", seller_pays: false, group: "voucher" },
    { id: "other", label: "Other", seller_pays: true, group: "other" },
  ],
  // Lazada gives every SKU its own sku_id, even for a product without variations.
  single_model_id: null,
}
