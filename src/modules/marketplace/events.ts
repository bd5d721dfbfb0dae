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
  /**
   * `{ id, order_id, fulfillment_id, external_order_id, tracking_number, carrier }`: the marketplace shipped an
   * imported order and its Medusa shipment was created.
   */
  ORDER_SHIPPED: "marketplace.order.shipped",
  /** `{ id, order_id, fulfillment_id, external_order_id }`: a fulfilment made in Medusa was arranged on the marketplace. */
  FULFILLMENT_ARRANGED: "marketplace.fulfillment.arranged",
  /** `{ id, tracking_number, document_stored }`: a marketplace fulfilment got its tracking number / shipping document. */
  FULFILLMENT_TRACKING_UPDATED: "marketplace.fulfillment.tracking_updated",
  /** `{ order_id, external_order_id, reason }`: a Medusa cancellation was sent to the marketplace. */
  ORDER_CANCELLED_ON_MARKETPLACE: "marketplace.order.cancelled_on_marketplace",
  /** `{ connection_id, external_order_id, error }`: an import failed (it is retried). */
  ORDER_FAILED: "marketplace.order.failed",
  /** `{ id, return_id, order_id, connection_id, external_return_id, status }`: a marketplace return was first recorded. */
  RETURN_IMPORTED: "marketplace.return.imported",
  /** Same payload: a newer state of a marketplace return was applied. */
  RETURN_UPDATED: "marketplace.return.updated",
  /** `{ connection_id, external_return_id, error }`: a return import failed (it is retried). */
  RETURN_FAILED: "marketplace.return.failed",
} as const
