export const defaultReturnLinkListFields = [
  "id",
  "connection_id",
  "order_link_id",
  "external_return_id",
  "external_order_id",
  "external_status",
  "status",
  "solution",
  "reason",
  "currency_code",
  "refund_amount",
  "refunded_amount",
  "external_updated_at",
  "note",
  "last_error",
  "created_at",
  "updated_at",
  "return.id",
  "return.status",
  "order_link.channel",
  "order_link.order.id",
  "order_link.order.display_id",
]

/** One return link also shows its lines and the Medusa return's items. */
export const defaultReturnLinkFields = [
  ...defaultReturnLinkListFields,
  "items",
  "return.items.item_id",
  "return.items.quantity",
  "return.items.received_quantity",
  "return.items.damaged_quantity",
  "return.received_at",
  "return.canceled_at",
]

export const retrieveReturnLinkQueryConfig = { defaults: defaultReturnLinkFields, isList: false }
export const listReturnLinksQueryConfig = { defaults: defaultReturnLinkListFields, defaultLimit: 50, isList: true }
