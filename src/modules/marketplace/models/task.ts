import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/**
 * One outbound change waiting to go out (push stock, push price, ship...). Tasks with the same coalescing
 * key collapse into one while pending: ten stock changes of one listing become one call.
 */
export const Task = model
  .define({ tableName: "marketplace_task", name: "Task" }, {
    id: model.id({ prefix: "mptsk" }).primaryKey(),
    // What to do: "push_stock", "push_price", "ship_order", ...
    kind: model.text(),
    // e.g. "push_stock:<listing id>"; at most one pending task per key.
    coalescing_key: model.text(),
    // pending -> processing -> done, or failed (retried) -> dead; held: waiting for the merchant's confirmation.
    status: model
      .enum(["pending", "processing", "done", "failed", "dead", "held"])
      .default("pending"),
    // What the task needs (listing id, values); the latest enqueue wins.
    payload: model.json().nullable(),
    // The listing a push_stock / push_price task is about: its push history is its tasks.
    listing_id: model.text().nullable(),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    processing_started_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    // What the marketplace answered.
    result: model.json().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "tasks" }),
  })
  .indexes([
    // At most one pending task per coalescing key.
    { on: ["coalescing_key"], unique: true, where: "status = 'pending' AND deleted_at IS NULL" },
    { on: ["status", "next_attempt_at"] },
    { on: ["connection_id", "status"] },
    { on: ["listing_id", "created_at"] },
  ])
