import { model } from "@medusajs/framework/utils"

/**
 * A shop's UTC day whose analytics rollup is behind its sources: an order placed that day was imported,
 * changed, returned or settled since the day was last computed. The import, escrow and return workflows only
 * mark the day (one upsert); the rollup is computed again later, once for all the changes of the day, by the
 * every-minute job and before the analytics page is read (see orchestration/analytics). `generation` goes up
 * with each mark, so a refresh clears only the marks it has seen: a day marked again while it was being
 * computed stays marked.
 */
export const AnalyticsStale = model
  .define({ tableName: "marketplace_analytics_stale", name: "AnalyticsStale" }, {
    id: model.id({ prefix: "mpastale" }).primaryKey(),
    connection_id: model.text(),
    // YYYY-MM-DD, as in marketplace_analytics_day.
    day: model.text(),
    generation: model.number().default(0),
  })
  .indexes([{ on: ["connection_id", "day"], unique: true, where: "deleted_at IS NULL" }])
