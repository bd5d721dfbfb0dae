import type { ProviderVocabulary } from "../types"

/** TikTok Shop's words, as far as this provider uses them (seller cancellations, ship methods), and the settlement's fee breakdown. */
export const TIKTOK_SHOP_VOCABULARY: ProviderVocabulary = {
  // "Cancel Order" (return_refund 202309): the seller's reasons of "Cancel reasons"; the provider sends the
  // unpaid or paid variant by the order's status, with `_uk` in the UK (orders.ts).
  cancel_reasons: [
    { id: "out_of_stock", label: "Out of stock", names_items: true },
    { id: "customer_request", label: "Buyer requested cancellation", names_items: false },
    { id: "undeliverable_area", label: "Unable to deliver to buyer address", names_items: false },
    { id: "wrong_price", label: "Pricing error", names_items: false },
  ],
  default_cancel_reason: "out_of_stock",
  // "Ship Package" (fulfillment 202309): the handover of a TikTok Shipping package, or the seller's own carrier
  // for a package whose `shipping_type` is SELLER (logistics.ts).
  ship_methods: [
    {
      id: "pickup",
      label: "Pickup",
      description: "TikTok's carrier collects the package at the seller's pickup address",
      connection_default: true,
      inputs: [
        { id: "pickup_start_time", label: "Pickup slot start (Unix time)", required: false },
        { id: "pickup_end_time", label: "Pickup slot end (Unix time)", required: false },
      ],
    },
    {
      id: "dropoff",
      label: "Drop-off",
      description: "The seller drops the package at a designated location",
      connection_default: true,
      inputs: [],
    },
    {
      id: "seller_shipping",
      label: "Seller shipping",
      description: "The seller's own carrier (packages shipped by the seller): tracking number and shipping provider id",
      connection_default: false,
      inputs: [
        { id: "tracking_number", label: "Tracking number", required: true },
        { id: "shipping_provider_id", label: "Shipping provider id (Get Shipping Providers)", required: true },
      ],
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
  // Tokopedia shops moved onto TikTok Shop (Tokopedia's Open API closed on 30 September 2025): their orders say
  // `commerce_platform: TOKOPEDIA` (mapping.ts channelOf).
  order_channels: [{ id: "tokopedia", label: "Tokopedia" }],
}
