import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/**
 * Where a connection's stock comes from: one Medusa stock location counted into one of the platform's
 * warehouses, or into "the shop" (no warehouse id) on platforms without warehouses, as Shopee. Several
 * locations may feed one warehouse (their stock is added up). A connection without rows uses its linked
 * stock location for the shop, as before warehouses existed.
 */
export const ConnectionWarehouse = model
  .define({ tableName: "marketplace_connection_warehouse", name: "ConnectionWarehouse" }, {
    id: model.id({ prefix: "mpwh" }).primaryKey(),
    connection: model.belongsTo(() => Connection, { mappedBy: "warehouses" }),
    // The Medusa stock location counted (a module link would allow one location per connection only).
    stock_location_id: model.text(),
    // The platform's warehouse id; null: the shop as a whole (platforms without warehouses).
    external_warehouse_id: model.text().nullable(),
  })
  .indexes([
    // A location is counted once per connection: into one warehouse.
    { on: ["connection_id", "stock_location_id"], unique: true, where: "deleted_at IS NULL" },
  ])
