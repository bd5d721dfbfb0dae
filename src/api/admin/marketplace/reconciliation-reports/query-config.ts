const summaryFields = [
  "id",
  "connection_id",
  "trigger",
  "status",
  "range_from",
  "range_to",
  "summary",
  "fee_totals",
  "payout_by_day",
  "currency_code",
  "error",
  "completed_at",
  "created_at",
  "updated_at",
]

export const retrieveReconciliationReportQueryConfig = { defaults: [...summaryFields, "rows"], isList: false }
// Lists leave the rows out (they can be long): read one report, or its CSV, for those.
export const listReconciliationReportsQueryConfig = { defaults: summaryFields, defaultLimit: 20, isList: true }
