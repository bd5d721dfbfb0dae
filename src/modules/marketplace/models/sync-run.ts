import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/** One pull, backfill or listing sync, with the progress counts the admin shows. */
export const SyncRun = model
  .define({ tableName: "marketplace_sync_run", name: "SyncRun" }, {
    id: model.id({ prefix: "mprun" }).primaryKey(),
    // "pull", "backfill", "listings", "reconcile".
    kind: model.text(),
    status: model
      .enum(["pending", "running", "completed", "failed", "cancelled"])
      .default("pending"),
    // The requested range of marketplace update times.
    range_from: model.dateTime().nullable(),
    range_to: model.dateTime().nullable(),
    // Where a resumed run starts again: everything before it is done.
    resume_from: model.dateTime().nullable(),
    seen: model.number().default(0),
    created: model.number().default(0),
    updated: model.number().default(0),
    unchanged: model.number().default(0),
    skipped: model.number().default(0),
    failed: model.number().default(0),
    // Share of the range done, 0 to 1.
    progress: model.float().default(0),
    cancel_requested: model.boolean().default(false),
    error: model.text().nullable(),
    started_at: model.dateTime().nullable(),
    finished_at: model.dateTime().nullable(),
    // When the worker running it last reported; a stale value means it died and the run can be resumed.
    heartbeat_at: model.dateTime().nullable(),
    connection: model.belongsTo(() => Connection, { mappedBy: "sync_runs" }),
  })
  .indexes([{ on: ["connection_id", "created_at"] }, { on: ["status"] }])
