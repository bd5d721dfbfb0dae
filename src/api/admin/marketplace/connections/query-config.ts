/**
 * Fields a connection answers with by default. Credentials are not a field of the connection at all (they
 * live in an encrypted table outside the query graph), so no `fields` parameter can reach them.
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
  "access_token_expires_at",
  "refresh_token_expires_at",
  "authorized_at",
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
