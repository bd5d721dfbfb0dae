import type { ProviderVocabulary } from "../types"

/** TikTok Shop's words, as far as this provider uses them (seller cancellations and shipping come later), and the settlement's fee breakdown. */
export const TIKTOK_SHOP_VOCABULARY: ProviderVocabulary = {
  cancel_reasons: [{ id: "seller_out_of_stock", label: "Out of stock", names_items: true }],
  default_cancel_reason: "seller_out_of_stock",
  ship_methods: [
    {
      id: "tiktok",
      label: "TikTok Shipping",
      description: "The platform arranges the carrier and prints the label",
      connection_default: true,
      inputs: [],
    },
  ],
  // Reject reasons depend on the return and the market: the seller reads them from "Get Reject Reasons"
  // (`/return_refund/202309/reject_reasons`), e.g. seller_reject_apply_package_has_not_exceeded_estimated_delivery_time.
  dispute_reasons: {
    entries: [],
    pattern: "^[a-z][a-z0-9_]{2,127}$",
    hint: "A TikTok Shop reject reason id, from Get Reject Reasons (e.g. seller_reject_apply_package_has_not_exceeded_estimated_delivery_time)",
  },
  // `return_type`: RETURN_AND_REFUND (the goods come back), REFUND (the buyer keeps them), REPLACEMENT.
  return_solutions: [
    { id: "return_refund", label: "Return and refund", restock: true },
    { id: "refund_only", label: "Refund only", restock: false },
    { id: "replacement", label: "Replacement", restock: true },
  ],
  // "Get Transactions by Order" (finance 202501): fees and taxes by kind, shipping by part (see finance.ts).
  fee_kinds: [
    { id: "commission", label: "Platform commission", seller_pays: true, group: "commission" },
    { id: "affiliate_commission", label: "Affiliate commission", seller_pays: true, group: "commission" },
    { id: "transaction", label: "Transaction fee", seller_pays: true, group: "transaction" },
    { id: "service", label: "Service fees", seller_pays: true, group: "service" },
    { id: "tax", label: "Tax", seller_pays: true, group: "tax" },
    { id: "other", label: "Other fees", seller_pays: true, group: "other" },
    { id: "shipping_actual", label: "Shipping actual", seller_pays: false, group: "shipping" },
    { id: "shipping_paid_by_buyer", label: "Shipping paid by buyer", seller_pays: false, group: "shipping" },
    { id: "shipping_rebate", label: "Shipping discount by TikTok", seller_pays: false, group: "shipping" },
    { id: "shipping_other", label: "Other shipping costs", seller_pays: true, group: "shipping" },
  ],
  // Every TikTok SKU has an id of its own, even for a product without variations.
  single_model_id: null,
}
