import type { ProviderVocabulary } from "../types"

/** Shopee's words: cancel_order's reasons, ship_order's methods, returns, and the escrow's fee breakdown. */
export const SHOPEE_VOCABULARY: ProviderVocabulary = {
  cancel_reasons: [
    { id: "out_of_stock", label: "Out of stock", names_items: true },
    { id: "customer_request", label: "Customer request", names_items: false },
    { id: "undeliverable_area", label: "Undeliverable area", names_items: false },
  ],
  default_cancel_reason: "out_of_stock",
  ship_methods: [
    {
      id: "pickup",
      label: "Pickup",
      description: "The carrier collects the parcel at the seller's pickup address",
      connection_default: true,
      inputs: [
        { id: "address_id", label: "Pickup address", required: false },
        { id: "pickup_time_id", label: "Pickup time slot", required: false },
      ],
    },
    {
      id: "dropoff",
      label: "Drop-off",
      description: "The seller drops the parcel at a carrier branch",
      connection_default: true,
      inputs: [{ id: "branch_id", label: "Branch", required: false }],
    },
    {
      id: "non_integrated",
      label: "Non-integrated",
      description: "A carrier outside Shopee's logistics",
      connection_default: false,
      inputs: [{ id: "tracking_number", label: "Tracking number", required: false }],
    },
  ],
  dispute_reasons: {
    entries: [],
    pattern: "^\\d+$",
    hint: "Shopee expects a numeric dispute_reason_id (from get_return_dispute_reason)",
  },
  return_solutions: [
    { id: "return_refund", label: "Return and refund", restock: true },
    { id: "refund_only", label: "Refund only", restock: false },
  ],
  fee_kinds: [
    { id: "commission", label: "Commission", seller_pays: true, group: "commission" },
    { id: "service", label: "Service", seller_pays: true, group: "service" },
    { id: "transaction", label: "Transaction", seller_pays: true, group: "transaction" },
    { id: "shipping_paid_by_buyer", label: "Shipping paid by buyer", seller_pays: false, group: "shipping" },
    { id: "shipping_actual", label: "Shipping actual", seller_pays: false, group: "shipping" },
    { id: "shipping_rebate", label: "Shipping rebate", seller_pays: false, group: "shipping" },
    { id: "shipping_seller_paid", label: "Shipping seller paid", seller_pays: true, group: "shipping" },
    { id: "seller_voucher", label: "Seller voucher", seller_pays: false, group: "voucher" },
    { id: "platform_voucher", label: "Platform voucher", seller_pays: false, group: "voucher" },
    { id: "coins", label: "Coins", seller_pays: false, group: "voucher" },
    { id: "tax", label: "Tax", seller_pays: true, group: "tax" },
    { id: "other", label: "Other", seller_pays: true, group: "other" },
  ],
  // Shopee gives an item without variations model_id 0.
  single_model_id: "0",
  order_channels: [],
}
