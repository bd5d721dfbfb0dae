import { model } from "@medusajs/framework/utils"

/**
 * One comparison of a connection's marketplace orders in a range with the order links and the Medusa
 * orders: the discrepancies found (rows), the counts (summary), fee totals by kind and net payout per day.
 */
export const ReconciliationReport = model
  .define({ tableName: "marketplace_reconciliation_report", name: "ReconciliationReport" }, {
    id: model.id({ prefix: "mprec" }).primaryKey(),
    connection_id: model.text(),
    // "manual" (admin route) or "scheduled" (the daily job keeps only its latest per connection).
    trigger: model.enum(["manual", "scheduled"]).default("manual"),
    status: model.enum(["running", "completed", "failed"]).default("running"),
    // The range of marketplace update times compared, [range_from, range_to).
    range_from: model.dateTime(),
    range_to: model.dateTime(),
    // Counts by discrepancy kind plus totals: { marketplace_orders, order_links, missing_in_medusa, ... }.
    summary: model.json().nullable(),
    // Fee totals by kind over the orders with escrow: { commission: "12.40", ... } (exact decimal strings).
    fee_totals: model.json().nullable(),
    // Net payout per UTC day of payout (or completion when the platform gives no payout time): { "2026-11-20": "81.10" }.
    payout_by_day: model.json().nullable(),
    // One entry per discrepancy: { kind, external_order_id, order_link_id, order_id, expected, actual, detail }.
    rows: model.json().nullable(),
    currency_code: model.text().nullable(),
    error: model.text().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["connection_id", "created_at"] }, { on: ["connection_id", "trigger", "status"] }])
