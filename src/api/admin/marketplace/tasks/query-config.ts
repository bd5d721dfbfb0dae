/** Fields a task answers with by default. */
export const defaultTaskFields = [
  "id",
  "kind",
  "coalescing_key",
  "connection_id",
  "listing_id",
  "status",
  "payload",
  "attempts",
  "next_attempt_at",
  "processing_started_at",
  "completed_at",
  "last_error",
  "result",
  "created_at",
  "updated_at",
]

export const retrieveTaskQueryConfig = { defaults: defaultTaskFields, isList: false }
export const listTasksQueryConfig = { ...retrieveTaskQueryConfig, defaultLimit: 50, isList: true }
