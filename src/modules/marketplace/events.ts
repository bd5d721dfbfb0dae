/** The events the plugin emits on Medusa's event bus (subscribe to them from your own code). */
export const MarketplaceEvents = {
  /** A wake-up (no payload): deliveries were committed to the inbox and wait to be processed. */
  INBOX_RECEIVED: "marketplace.inbox.received",
  /** `{ id }`: a backfill / manual sync run was requested. */
  SYNC_RUN_REQUESTED: "marketplace.sync_run.requested",
  /** `{ id, created }`: a shop was connected or reconnected through OAuth. */
  CONNECTION_AUTHORIZED: "marketplace.connection.authorized",
  /** `{ id, order_id, connection_id, external_order_id, status }`: a marketplace order became a Medusa order. */
  ORDER_IMPORTED: "marketplace.order.imported",
  /** Same payload: a newer marketplace state was applied to an imported order. */
  ORDER_UPDATED: "marketplace.order.updated",
  /** `{ connection_id, external_order_id, error }`: an import failed (it is retried). */
  ORDER_FAILED: "marketplace.order.failed",
  /** `{ id, return_id, order_id, connection_id, external_return_id, status }`: a marketplace return was first recorded. */
  RETURN_IMPORTED: "marketplace.return.imported",
  /** Same payload: a newer state of a marketplace return was applied. */
  RETURN_UPDATED: "marketplace.return.updated",
  /** `{ connection_id, external_return_id, error }`: a return import failed (it is retried). */
  RETURN_FAILED: "marketplace.return.failed",
} as const
