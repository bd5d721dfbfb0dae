import { model } from "@medusajs/framework/utils"
import { Connection } from "./connection"

/**
 * One seller authorization (one OAuth grant) on one marketplace. It owns the token pair (sealed in
 * `AuthorizationSecret`, outside the query graph) and its refresh; the shops it covers become connections
 * that point to it. A Shopee grant covers one shop; a TikTok Shop grant covers several (each with its own
 * cipher); a Lazada seller authorizes one account per country.
 */
export const Authorization = model
  .define({ tableName: "marketplace_authorization", name: "Authorization" }, {
    id: model.id({ prefix: "mpauth" }).primaryKey(),
    // The provider id: "shopee", "tiktok", "lazada".
    platform: model.text(),
    // The marketplace's id of the seller who granted it, on platforms that have one (null for Shopee).
    external_seller_id: model.text().nullable(),
    // active: the tokens work; needs_reauth: the marketplace refused them for good (every connection of the
    // grant then needs re-authorization too).
    status: model.enum(["active", "needs_reauth"]).default("active"),
    // When the stored access token stops working (the token itself is in the secret row).
    access_token_expires_at: model.dateTime().nullable(),
    // When the stored refresh token stops working; re-authorization is needed after it.
    refresh_token_expires_at: model.dateTime().nullable(),
    // When the seller last granted it.
    authorized_at: model.dateTime().nullable(),
    // The last error that changed the status (never contains a secret).
    last_error: model.text().nullable(),
    // The shops the grant covers, as the marketplace listed them at the last authorization (GrantedShop[],
    // see types.ts): the merchant chooses which of them become connections. Never a secret.
    shops: model.json().nullable(),
    // Non-secret values the provider returned with the grant.
    metadata: model.json().nullable(),
    connections: model.hasMany(() => Connection, { mappedBy: "authorization" }),
  })
  .indexes([{ on: ["platform", "external_seller_id"] }, { on: ["status"] }])
