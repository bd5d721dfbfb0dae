import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/**
 * One sellable unit on a marketplace (item + model, or product + SKU). Linked to a Medusa product variant
 * through the listing <-> product variant link when matched.
 */
export const Listing = model
  .define({ tableName: "marketplace_listing", name: "Listing" }, {
    id: model.id({ prefix: "mplst" }).primaryKey(),
    // The marketplace's item / product id.
    external_item_id: model.text(),
    // The model / SKU id; the provider's `vocabulary.single_model_id` for an item without variations.
    external_model_id: model.text(),
    // The seller SKU on the marketplace, used to match a variant.
    sku: model.text().searchable().nullable(),
    title: model.text().searchable().nullable(),
    variant_title: model.text().nullable(),
    // matched: linked to one variant; unmatched: no variant has the SKU; ambiguous: several do.
    match_status: model.enum(["matched", "unmatched", "ambiguous"]).default("unmatched"),
    // How it was matched: by SKU, or by hand in the admin.
    match_method: model.enum(["sku", "manual"]).nullable(),
    // The price and stock the marketplace last reported.
    external_price: model.bigNumber().nullable(),
    external_stock: model.number().nullable(),
    // What the plugin last pushed, and when.
    last_pushed_stock: model.number().nullable(),
    last_pushed_price: model.bigNumber().nullable(),
    last_pushed_at: model.dateTime().nullable(),
    // Per-listing stock rule override (same shape as the connection's stock rules).
    stock_rules: model.json().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "listings" }),
  })
  .indexes([
    // One listing per marketplace unit.
    {
      on: ["connection_id", "external_item_id", "external_model_id"],
      unique: true,
      where: "deleted_at IS NULL",
    },
    { on: ["connection_id", "sku"] },
    { on: ["connection_id", "match_status"] },
  ])
