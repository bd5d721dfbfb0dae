import type { ProviderVocabulary } from "../types"

/** TikTok Shop's words, as far as this provider uses them (cancellations and shipping come later). */
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
  dispute_reasons: { entries: [], pattern: null, hint: "Disputes are not supported for TikTok Shop yet" },
  return_solutions: [
    { id: "RETURN_AND_REFUND", label: "Return and refund", restock: true },
    { id: "REFUND", label: "Refund only", restock: false },
    { id: "REPLACEMENT", label: "Replacement", restock: true },
  ],
  fee_kinds: [],
  // Every TikTok SKU has an id of its own, even for a product without variations.
  single_model_id: null,
}
