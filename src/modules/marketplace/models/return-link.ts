import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"
import { OrderLink } from "./order-link"

/** An external return / refund linked to a Medusa return (return link <-> return). */
export const ReturnLink = model
  .define({ tableName: "marketplace_return_link", name: "ReturnLink" }, {
    id: model.id({ prefix: "mpret" }).primaryKey(),
    // The marketplace's return id (Shopee's return_sn).
    external_return_id: model.text().searchable(),
    // The marketplace's order id the return belongs to (kept even before the order is imported).
    external_order_id: model.text().searchable().nullable(),
    external_status: model.text(),
    // The status in the plugin's vocabulary (see providers/types/returns.ts RETURN_STATUSES).
    status: model.text(),
    // One of the provider's return solutions (vocabulary.return_solutions; Shopee: "return_refund", "refund_only").
    solution: model.text().nullable(),
    // The marketplace's update time of the state last applied (anti-regression).
    external_updated_at: model.dateTime(),
    currency_code: model.text().nullable(),
    refund_amount: model.bigNumber().nullable(),
    // What has been recorded as refunded on the Medusa order's payment (never more than refund_amount).
    refunded_amount: model.bigNumber().nullable(),
    // The buyer's reason, as the marketplace gives it.
    reason: model.text().nullable(),
    // The returned lines: [{ external_item_id, external_model_id, sku, quantity, refund_amount }].
    items: model.json().nullable(),
    // Why the Medusa side differs from the marketplace's (no Medusa return: nothing fulfilled, order not imported...).
    note: model.text().nullable(),
    last_error: model.text().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "return_links" }),
    order_link: model.belongsTo(() => OrderLink, { mappedBy: "return_links" }).nullable(),
  })
  .indexes([
    { on: ["connection_id", "external_return_id"], unique: true, where: "deleted_at IS NULL" },
  ])
