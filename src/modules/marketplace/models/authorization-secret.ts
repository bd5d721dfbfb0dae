import { model } from "@medusajs/framework/utils"

/**
 * An authorization's token pair (access and refresh tokens and their expiry), sealed with AES-256-GCM.
 * Deliberately left out of the module's generated service and joiner config: it is read and written only
 * through the service's credential methods, so no list, retrieve or query can return it.
 */
export const AuthorizationSecret = model
  .define({ tableName: "marketplace_authorization_secret", name: "AuthorizationSecret" }, {
    id: model.id({ prefix: "mpsec" }).primaryKey(),
    // The authorization the secret belongs to (one secret per authorization).
    authorization_id: model.text(),
    // "v1.<key id>.<iv>.<tag>.<ciphertext>", all base64url; see utils/crypto.ts.
    ciphertext: model.text(),
    // Which key sealed it, so a rotation knows what is left to re-encrypt.
    key_id: model.text(),
    // The id the ciphertext is bound to (its AES-GCM associated data). The authorization's own id, except for
    // a pair the migration moved from a connection: SQL cannot re-seal, so it stays bound to that connection's
    // id until the next refresh or key rotation seals it for the authorization.
    sealed_for: model.text(),
  })
  .indexes([{ on: ["authorization_id"], unique: true, where: "deleted_at IS NULL" }])
