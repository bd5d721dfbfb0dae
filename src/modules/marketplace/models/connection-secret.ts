import { model } from "@medusajs/framework/utils"

/**
 * A connection's credentials (access and refresh tokens), sealed with AES-256-GCM. Deliberately left out of
 * the module's generated service and joiner config: it is read and written only through the service's
 * credential methods, so no list, retrieve or query can return it.
 */
export const ConnectionSecret = model
  .define({ tableName: "marketplace_connection_secret", name: "ConnectionSecret" }, {
    id: model.id({ prefix: "mpsec" }).primaryKey(),
    // The connection the secret belongs to (one secret per connection).
    connection_id: model.text(),
    // "v1.<key id>.<iv>.<tag>.<ciphertext>", all base64url; see utils/crypto.ts.
    ciphertext: model.text(),
    // Which key sealed it, so a rotation knows what is left to re-encrypt.
    key_id: model.text(),
  })
  .indexes([{ on: ["connection_id"], unique: true, where: "deleted_at IS NULL" }])
