import { model } from "@medusajs/framework/utils"

/**
 * One change of an order's escrow as the marketplace reported it: the first fetch, and every later fetch
 * that differed (fees settled, an adjustment after completion). The order link keeps only the latest state;
 * these rows are its history.
 */
export const EscrowChange = model
  .define({ tableName: "marketplace_escrow_change", name: "EscrowChange" }, {
    id: model.id({ prefix: "mpesc" }).primaryKey(),
    // The order link whose escrow changed (kept as a plain id: history outlives a removed link).
    order_link_id: model.text(),
    connection_id: model.text(),
    // The marketplace's order id, for reading the history without a join.
    external_order_id: model.text(),
    // The escrow fields that changed ("buyer_total", "fees", "adjustments", "net_payout", ...); "created" first.
    changed_fields: model.json(),
    // The escrow before and after, as exact decimal strings: { buyer_total, fees, fee_total, adjustments, ... }.
    previous: model.json().nullable(),
    current: model.json(),
    // The net payout after this change, and how much it moved (exact decimals).
    net_payout: model.bigNumber(),
    net_payout_delta: model.bigNumber(),
    // When the plugin saw the change.
    recorded_at: model.dateTime(),
  })
  .indexes([{ on: ["order_link_id", "recorded_at"] }, { on: ["connection_id", "recorded_at"] }])
