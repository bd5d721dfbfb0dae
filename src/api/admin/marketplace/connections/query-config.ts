/**
 * Fields a connection answers with by default. Credentials are not a field of the connection nor of its
 * authorization (they live in an encrypted table outside the query graph), so no `fields` parameter can
 * reach them. The token expiry times are the authorization's: every shop of a grant shares them.
 */
export const defaultConnectionFields = [
  "id",
  "platform",
  "external_shop_id",
  "name",
  "shop_region",
  "currency_code",
  "api_base_url",
  "status",
  "authorized_at",
  "authorization.id",
  "authorization.status",
  "authorization.access_token_expires_at",
  "authorization.refresh_token_expires_at",
  "last_pull_at",
  "last_error",
  "settings",
  "metadata",
  "created_at",
  "updated_at",
  "sales_channel.id",
  "sales_channel.name",
  "stock_location.id",
  "stock_location.name",
  "warehouses.id",
  "warehouses.stock_location_id",
  "warehouses.external_warehouse_id",
  "region.id",
  "region.name",
  "region.currency_code",
]

export const retrieveConnectionQueryConfig = {
  defaults: defaultConnectionFields,
  isList: false,
}

export const listConnectionsQueryConfig = {
  ...retrieveConnectionQueryConfig,
  defaultLimit: 20,
  isList: true,
}
