/**
 * Fields an authorization answers with. Its tokens are not a field of the authorization at all (they live in
 * an encrypted table outside the query graph), so no field list can reach them.
 */
export const defaultAuthorizationFields = [
  "id",
  "platform",
  "external_seller_id",
  "status",
  "access_token_expires_at",
  "refresh_token_expires_at",
  "authorized_at",
  "last_error",
  "shops",
  "metadata",
  "created_at",
  "updated_at",
]
