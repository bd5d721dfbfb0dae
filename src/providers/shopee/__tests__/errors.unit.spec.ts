import { classifyShopeeError } from "../errors"

describe("Shopee error classification: only a token problem means re-authorization", () => {
  it.each([
    ["invalid_acceess_token", "Invalid access_token, please have a check."],
    ["invalid_access_token", "Invalid access_token."],
    ["error_auth", "Invalid access_token, please have a check."],
    ["error_auth", "Invalid partner_id or shopid."],
    ["error_auth", "Invalid refresh_token."],
    ["error_shop_refresh_token", "Your refresh token is error ,please check refresh token or shopid."],
    ["refresh_token_expired", "Your refresh_token expired."],
    ["shop_banned", "The shop account has been banned."],
  ])("%s (%s) is an auth error", (code, message) => {
    expect(classifyShopeeError(code, message, 403)).toBe("auth")
  })

  it.each([
    ["error_api_call_restricted", "The API call is restricted for this shop."],
    ["error_auth", "No permission to call this api."],
    ["error_auth", "Your app has no permission for this API, please apply for it in the console."],
    ["error_auth", ""],
    ["error_auth", "Total stock must be more than reserved stock."],
    ["error_permission", "No permission."],
  ])("%s (%s) refuses this call only (not_allowed)", (code, message) => {
    expect(classifyShopeeError(code, message, 403)).toBe("not_allowed")
  })
})
