import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/** Per connection and stream: the marketplace update time up to which everything has been imported (UTC). */
export const Cursor = model
  .define({ tableName: "marketplace_cursor", name: "Cursor" }, {
    id: model.id({ prefix: "mpcur" }).primaryKey(),
    // "orders", "returns" or "escrow".
    stream: model.text(),
    // Everything updated before this instant has been imported.
    position: model.dateTime(),
    last_run_at: model.dateTime().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "cursors" }),
  })
  .indexes([{ on: ["connection_id", "stream"], unique: true, where: "deleted_at IS NULL" }])
