/** Fields a listing answers with by default. */
export const defaultListingFields = [
  "id",
  "connection_id",
  "external_item_id",
  "external_model_id",
  "sku",
  "title",
  "variant_title",
  "match_status",
  "match_method",
  "external_price",
  "external_stock",
  "last_pushed_stock",
  "last_pushed_price",
  "last_pushed_at",
  "stock_rules",
  "created_at",
  "updated_at",
  "product_variant.id",
  "product_variant.sku",
  "product_variant.title",
]

export const retrieveListingQueryConfig = { defaults: defaultListingFields, isList: false }
export const listListingsQueryConfig = { ...retrieveListingQueryConfig, defaultLimit: 50, isList: true }

/** A listing's push history is its push tasks. */
export const listingHistoryQueryConfig = {
  defaults: ["id", "kind", "status", "attempts", "result", "last_error", "created_at", "updated_at", "completed_at", "next_attempt_at"],
  defaultLimit: 50,
  isList: true,
}
