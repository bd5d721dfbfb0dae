import { model } from "@medusajs/framework/utils"

/**
 * One webhook delivery in the durable inbox. Stored before the webhook is acknowledged; processed
 * asynchronously with retries. Deduplicated by (platform, idempotency_key).
 */
export const MarketplaceEvent = model
  .define({ tableName: "marketplace_event", name: "MarketplaceEvent" }, {
    id: model.id({ prefix: "mpevt" }).primaryKey(),
    platform: model.text(),
    // The connection the event is about; null when the shop is not connected (then status is ignored).
    connection_id: model.text().nullable(),
    external_shop_id: model.text().nullable(),
    // The platform's message id, or a hash of what identifies the message.
    idempotency_key: model.text(),
    // The plugin's event type (providers/types/webhooks.ts EVENT_TYPES) and the platform's own code.
    type: model.text(),
    external_type: model.text().nullable(),
    external_order_id: model.text().nullable(),
    external_return_id: model.text().nullable(),
    // The order's update time the message reports, when it gives one: a message not newer than the order
    // already imported carries nothing new, and the order is not fetched again for it.
    order_updated_at: model.dateTime().nullable(),
    // pending -> processing -> done, or failed (retried at next_attempt_at) -> dead after the last attempt;
    // ignored: verified but nothing to do (shop not connected, unsupported type).
    status: model
      .enum(["pending", "processing", "done", "failed", "dead", "ignored"])
      .default("pending"),
    attempts: model.number().default(0),
    next_attempt_at: model.dateTime().nullable(),
    // When a worker took it; an old value with status processing means that worker died.
    processing_started_at: model.dateTime().nullable(),
    processed_at: model.dateTime().nullable(),
    last_error: model.text().nullable(),
    received_at: model.dateTime(),
    // The parsed payload, and the body exactly as received (what the signature covered).
    payload: model.json().nullable(),
    raw_body: model.text().nullable(),
  })
  .indexes([
    // The same delivery twice stores one row.
    { on: ["platform", "idempotency_key"], unique: true, where: "deleted_at IS NULL" },
    { on: ["status", "next_attempt_at"] },
    { on: ["connection_id", "received_at"] },
  ])
