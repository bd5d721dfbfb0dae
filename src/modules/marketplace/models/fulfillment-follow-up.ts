import { model } from "@medusajs/framework/utils"

/**
 * The follow-up of a fulfilment the merchant made in Medusa for a marketplace order: its tracking number and
 * shipping document are fetched from the marketplace with backoff. A queue on the module's queue primitive
 * (src/modules/marketplace/queue.ts): due rows are claimed with `FOR UPDATE SKIP LOCKED`.
 */
export const FulfillmentFollowUp = model
  .define({ tableName: "marketplace_fulfillment_follow_up", name: "FulfillmentFollowUp" }, {
    id: model.id({ prefix: "mpfup" }).primaryKey(),
    // The Fulfillment module's fulfilment (another module: an id, not a relation).
    fulfillment_id: model.text(),
    // The connection and the marketplace order it ships (what the fulfilment's data says), for reading and filtering.
    connection_id: model.text(),
    external_order_id: model.text(),
    // pending -> processing -> done, or failed (retried at next_attempt_at) -> dead after the last attempt.
    status: model.enum(["pending", "processing", "done", "failed", "dead"]).default("pending"),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    // When a worker took it; an old value with status processing means that worker died.
    processing_started_at: model.dateTime().nullable(),
    // When it settled done (or dead): the retention counts from here.
    completed_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
  })
  .indexes([
    // One follow-up per fulfilment.
    { on: ["fulfillment_id"], unique: true, where: "deleted_at IS NULL" },
    { on: ["status", "next_attempt_at"] },
    { on: ["connection_id"] },
  ])
