export const defaultEventListFields = [
  "id",
  "platform",
  "connection_id",
  "external_shop_id",
  "idempotency_key",
  "type",
  "external_type",
  "external_order_id",
  "external_return_id",
  "status",
  "attempts",
  "next_attempt_at",
  "processed_at",
  "last_error",
  "received_at",
  "created_at",
  "updated_at",
]

/** One event also shows what the marketplace sent. */
export const defaultEventFields = [...defaultEventListFields, "payload", "raw_body", "processing_started_at"]

export const retrieveEventQueryConfig = { defaults: defaultEventFields, isList: false }
export const listEventsQueryConfig = { defaults: defaultEventListFields, defaultLimit: 50, isList: true }
