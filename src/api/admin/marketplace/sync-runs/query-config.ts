export const defaultSyncRunFields = [
  "id",
  "connection_id",
  "kind",
  "status",
  "range_from",
  "range_to",
  "resume_from",
  "seen",
  "created",
  "updated",
  "unchanged",
  "skipped",
  "failed",
  "progress",
  "cancel_requested",
  "error",
  "started_at",
  "finished_at",
  "heartbeat_at",
  "created_at",
  "updated_at",
]

export const retrieveSyncRunQueryConfig = { defaults: defaultSyncRunFields, isList: false }
export const listSyncRunsQueryConfig = { ...retrieveSyncRunQueryConfig, defaultLimit: 20, isList: true }
