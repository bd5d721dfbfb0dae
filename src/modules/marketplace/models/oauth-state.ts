import { model } from "@medusajs/framework/utils"

/** A single-use OAuth state, bound to the admin user who started the connection, valid 10 minutes. */
export const OauthState = model
  .define({ tableName: "marketplace_oauth_state", name: "OauthState" }, {
    id: model.id({ prefix: "mpost" }).primaryKey(),
    // sha256 of the state value sent to the marketplace (the value itself is never stored).
    state_hash: model.text(),
    platform: model.text(),
    user_id: model.text(),
    // Where the admin returns after the marketplace's screen.
    redirect_url: model.text(),
    expires_at: model.dateTime(),
    used_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["state_hash"], unique: true }])
