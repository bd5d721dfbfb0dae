import type { ProviderVocabulary } from "../types"

/** TikTok Shop's words, as far as this provider uses them (seller cancellations and shipping come later). */
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
  fee_kinds: [],
  // Every TikTok SKU has an id of its own, even for a product without variations.
  single_model_id: null,
}
