import { model } from "@medusajs/framework/utils"

/**
 * The units of one product sold by one shop on one UTC day (orders not cancelled), from Medusa's order lines
 * at the order's current version: what the analytics page's top products read. A product is its variant, or
 * the line's title for a line matched to no variant (`product_key`). Derived data, recomputed with the day
 * (see utils/analytics-rollup.ts).
 */
export const AnalyticsProductDay = model
  .define({ tableName: "marketplace_analytics_product_day", name: "AnalyticsProductDay" }, {
    id: model.id({ prefix: "mpapday" }).primaryKey(),
    connection_id: model.text(),
    // The UTC day the marketplace placed the orders, as YYYY-MM-DD.
    day: model.text(),
    currency_code: model.text(),
    // The variant id, or the line title of an unmatched (custom) line.
    product_key: model.text(),
    variant_id: model.text().nullable(),
    product_id: model.text().nullable(),
    sku: model.text().nullable(),
    title: model.text(),
    // Units sold, their value (units x unit price), and the orders that had the product.
    quantity: model.bigNumber().default(0),
    sales: model.bigNumber().default(0),
    orders: model.number().default(0),
  })
  .indexes([
    { on: ["connection_id", "day", "currency_code", "product_key"], unique: true, where: "deleted_at IS NULL" },
  ])
