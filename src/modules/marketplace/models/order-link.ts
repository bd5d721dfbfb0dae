import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"
import { ReturnLink } from "./return-link"

/**
 * An external order linked to a native Medusa order (order link <-> order), with the marketplace's view of
 * it: status, update time (the anti-regression key) and the escrow / settlement the marketplace reports.
 * Amounts are exact decimals (Medusa BigNumber).
 */
export const OrderLink = model
  .define({ tableName: "marketplace_order_link", name: "OrderLink" }, {
    id: model.id({ prefix: "mpord" }).primaryKey(),
    // The marketplace's order id (Shopee's order_sn).
    external_order_id: model.text().searchable(),
    // The sales channel the order came through when the platform serves several (a channel the provider
    // declares in `vocabulary.order_channels`, e.g. "tokopedia"); null for the platform's own.
    channel: model.text().nullable(),
    // The marketplace's own status string.
    external_status: model.text(),
    // The status in the plugin's vocabulary (see providers/types/orders.ts ORDER_STATUSES).
    status: model.text(),
    // The marketplace's update time of the state last applied: an older state never overwrites a newer one.
    external_updated_at: model.dateTime(),
    external_created_at: model.dateTime().nullable(),
    // ISO 4217, lower case.
    currency_code: model.text(),
    // The order total as the marketplace states it.
    total: model.bigNumber().nullable(),
    // When Medusa's computed total differs from the marketplace's, both are recorded here, not corrected.
    total_mismatch: model.json().nullable(),
    // True when at least one line could not be matched to a variant and became a custom line item.
    has_unmatched_items: model.boolean().default(false),
    // The marketplace's parcel as last imported: kept here even when Medusa could not record a fulfilment for it
    // (no fulfillment provider registered, products on another shipping profile).
    tracking_number: model.text().nullable(),
    carrier: model.text().nullable(),
    // Why the marketplace's shipment is not a Medusa fulfilment, when it is not; null once it is.
    shipment_note: model.text().nullable(),
    // The last import error, if the last attempt failed.
    last_error: model.text().nullable(),
    // Escrow / settlement: what the buyer paid in all.
    escrow_buyer_total: model.bigNumber().nullable(),
    // Fees and contributions by kind: { commission: "1.20", service: "0.50", ... } as exact decimal strings.
    escrow_fees: model.json().nullable(),
    // The sum of the fees the seller pays.
    escrow_fee_total: model.bigNumber().nullable(),
    // Adjustments after completion: [{ reason, amount, at }].
    escrow_adjustments: model.json().nullable(),
    // What the marketplace pays out, after adjustments.
    escrow_net_payout: model.bigNumber().nullable(),
    escrow_currency_code: model.text().nullable(),
    escrow_payout_at: model.dateTime().nullable(),
    // When the escrow was last fetched, and the platform's raw breakdown.
    escrow_synced_at: model.dateTime().nullable(),
    escrow_raw: model.json().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "order_links" }),
    return_links: model.hasMany(() => ReturnLink, { mappedBy: "order_link" }),
  })
  .indexes([
    // One order link per external order: the last line of defence against duplicate imports.
    { on: ["connection_id", "external_order_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["connection_id", "status"] },
    // Analytics: a shop's orders by the day the marketplace placed them (GET /admin/marketplace/analytics).
    { on: ["connection_id", "external_created_at"], where: "deleted_at IS NULL AND external_created_at IS NOT NULL" },
  ])
