import { model } from "@medusajs/framework/utils"
import { Authorization } from "./authorization"
import { ConnectionWarehouse } from "./connection-warehouse"
import { Cursor } from "./cursor"
import { Listing } from "./listing"
import { OrderLink } from "./order-link"
import { ReturnLink } from "./return-link"
import { SyncRun } from "./sync-run"
import { Task } from "./task"

/**
 * One connected shop on one marketplace. Its tokens belong to its authorization (one grant may cover several
 * shops), sealed outside the query graph, so that no list or retrieve of a connection can ever carry them.
 * The sales channel, stock location and region it feeds are module links (see src/links).
 */
export const Connection = model
  .define({ tableName: "marketplace_connection", name: "Connection" }, {
    id: model.id({ prefix: "mpcon" }).primaryKey(),
    // The provider id: "shopee", "tiktok", "lazada".
    platform: model.text(),
    // The marketplace's id of the shop.
    external_shop_id: model.text(),
    // The shop's name as the marketplace shows it.
    name: model.text().searchable().nullable(),
    // The marketplace region of the shop ("SG", "MY", "ID"...), when known. (`region` is the linked
    // Medusa region.)
    shop_region: model.text().nullable(),
    // The shop's currency (ISO 4217, lower case), when known.
    currency_code: model.text().nullable(),
    // An API host for this shop only (a sandbox or a regional host); null uses the provider's default.
    api_base_url: model.text().nullable(),
    // active: syncing; needs_reauth: the marketplace refused our token; disabled: the merchant turned it off.
    status: model.enum(["active", "needs_reauth", "disabled"]).default("active"),
    // The grant whose tokens the shop's calls use; null until the shop is authorized.
    authorization: model.belongsTo(() => Authorization, { mappedBy: "connections" }).nullable(),
    // When the merchant last authorized the shop.
    authorized_at: model.dateTime().nullable(),
    // When the last scheduled pull finished.
    last_pull_at: model.dateTime().nullable(),
    // The last error that changed the status (never contains a secret).
    last_error: model.text().nullable(),
    // Merchant settings: stock rules, unpaid policy, pull interval... (see src/modules/marketplace/types.ts).
    settings: model.json().nullable(),
    // Non-secret values the provider needs (e.g. a shop cipher).
    metadata: model.json().nullable(),
    // The Medusa shipping option ("<shop> (<Platform> logistics)", on the plugin's marketplace fulfillment
    // provider, at the connection's stock location) that imported orders' shipping methods reference.
    shipping_option_id: model.text().nullable(),
    listings: model.hasMany(() => Listing, { mappedBy: "connection" }),
    order_links: model.hasMany(() => OrderLink, { mappedBy: "connection" }),
    return_links: model.hasMany(() => ReturnLink, { mappedBy: "connection" }),
    tasks: model.hasMany(() => Task, { mappedBy: "connection" }),
    cursors: model.hasMany(() => Cursor, { mappedBy: "connection" }),
    sync_runs: model.hasMany(() => SyncRun, { mappedBy: "connection" }),
    warehouses: model.hasMany(() => ConnectionWarehouse, { mappedBy: "connection" }),
  })
  .indexes([
    // One connection per shop: reconnecting a shop reuses its row.
    { on: ["platform", "external_shop_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["status"] },
    // One connection per shipping option: an option is never shared nor created twice.
    { on: ["shipping_option_id"], unique: true, where: "deleted_at IS NULL AND shipping_option_id IS NOT NULL" },
  ])
