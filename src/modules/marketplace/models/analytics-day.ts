import { model } from "@medusajs/framework/utils"

/**
 * The analytics of one shop, one UTC day and one currency, summed from the order links the marketplace placed
 * that day (their returns and escrow included): what GET /admin/marketplace/analytics reads, so that a 90-day
 * page reads about 90 rows per shop instead of every order. Derived data: recomputed whole for a day whenever
 * an order of that day is imported, updated, cancelled, returned or settled (see utils/analytics-rollup.ts).
 */
export const AnalyticsDay = model
  .define({ tableName: "marketplace_analytics_day", name: "AnalyticsDay" }, {
    id: model.id({ prefix: "mpaday" }).primaryKey(),
    // The shop (connection) whose orders these are.
    connection_id: model.text(),
    // The UTC day the marketplace placed the orders, as YYYY-MM-DD (sorts and compares as text).
    day: model.text(),
    // The orders' currency (ISO 4217, lower case): a day's orders in two currencies are two rows.
    currency_code: model.text(),
    // Orders placed, cancelled among them, and orders with a return the buyer did not withdraw.
    orders: model.number().default(0),
    cancellations: model.number().default(0),
    returns: model.number().default(0),
    // The marketplace's totals of the orders not cancelled.
    gross_sales: model.bigNumber().default(0),
    // What was refunded on the orders' returns.
    refunds: model.bigNumber().default(0),
    // The escrow's fee totals and net payouts of the settled orders, and how many are settled.
    fee_total: model.bigNumber().default(0),
    net_payout: model.bigNumber().default(0),
    settled_orders: model.number().default(0),
    // Fees and contributions by kind, summed: { commission: "12.40", ... } as exact decimal strings.
    fees: model.json().nullable(),
  })
  .indexes([
    // One row per shop, day and currency: the last line against a day counted twice.
    { on: ["connection_id", "day", "currency_code"], unique: true, where: "deleted_at IS NULL" },
  ])
