import { okTop, type ApiRoute } from "../api"
import { authError, businessError, paramError, wrongParam } from "../errors"
import { bodyInt, bodyString, queryString } from "../params"

/** v2.shop.auth_partner, v2.public.get_access_token and v2.public.refresh_access_token. */

function escapeHtml(value: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }
  return value.replace(/[&<>"']/g, (ch) => entities[ch])
}

/** The seller-facing authorize page: one "Confirm Authorization" link per sandbox shop. */
export const authPartner: ApiRoute = {
  method: "GET",
  path: "/api/v2/shop/auth_partner",
  type: "public",
  handle(req, core) {
    const redirect = queryString(req.query, "redirect", true)
    try {
      new URL(redirect)
    } catch {
      throw wrongParam("redirect should be an absolute URL")
    }
    const shops = [...core.state.shops.values()]
    const rows = shops
      .map((shop) => {
        const href = `/sandbox/oauth/confirm?shop_id=${shop.shop_id}&redirect=${encodeURIComponent(redirect)}`
        return `<li><strong>${escapeHtml(shop.shop_name)}</strong> (${shop.region}, shop_id ${shop.shop_id}) <a class="confirm" href="${escapeHtml(href)}">Confirm Authorization</a></li>`
      })
      .join("\n")
    const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Shopee Open Platform sandbox - authorize</title></head>
<body>
<h1>Authorize partner ${core.state.config.partnerId}</h1>
<p>Choose the shop to authorize. You will be sent back to <code>${escapeHtml(redirect)}</code> with <code>code</code> and <code>shop_id</code>.</p>
<ul>
${rows || "<li>No sandbox shop yet: POST /sandbox/shops first.</li>"}
</ul>
</body></html>`
    return { kind: "raw", contentType: "text/html; charset=utf-8", body: Buffer.from(html, "utf8") }
  },
}

/** Body partner_id must match the query's, as both are documented as required. */
function checkBodyPartner(body: Record<string, unknown>, partnerId: number): void {
  const bodyPartner = bodyInt(body, "partner_id", true)
  if (bodyPartner !== partnerId) throw paramError("Invalid partner_id.")
}

export const tokenGet: ApiRoute = {
  method: "POST",
  path: "/api/v2/auth/token/get",
  type: "public",
  handle(req, core) {
    const code = bodyString(req.body, "code", true)
    checkBodyPartner(req.body, core.state.config.partnerId)
    const shopId = bodyInt(req.body, "shop_id")
    if (shopId === undefined) {
      // main_account_id flows are out of the sandbox's scope.
      throw wrongParam("shop_id is a required field")
    }
    const record = core.state.tokens.codes.get(code)
    if (!record || record.used || record.expires_at_ms <= core.state.nowMs()) {
      throw authError("invalid_code", "The code is expired or used or invalid, please check the code.")
    }
    if (record.shop_id !== shopId) {
      throw authError("invalid_shop_id", "The code or shop_id is wrong, please check the code or the shop_id.")
    }
    record.used = true
    const pair = core.issueTokens(shopId)
    // Documented answer: tokens and expire_in at the top level, no `response` object.
    return okTop({ access_token: pair.access_token, refresh_token: pair.refresh_token, expire_in: pair.expire_in })
  },
}

export const accessTokenGet: ApiRoute = {
  method: "POST",
  path: "/api/v2/auth/access_token/get",
  type: "public",
  handle(req, core) {
    const refreshToken = bodyString(req.body, "refresh_token", true)
    const partnerId = core.state.config.partnerId
    checkBodyPartner(req.body, partnerId)
    const shopId = bodyInt(req.body, "shop_id")
    if (shopId === undefined) throw wrongParam("shop_id is a required field")
    const shop = core.state.shops.get(shopId)
    if (!shop) throw businessError("shop_no_linked", "Partner and shop has no linked.")
    const record = core.state.tokens.refresh.get(refreshToken)
    if (!record || record.used) {
      // Single use: a second refresh with the same token is refused like an unknown token.
      throw authError("error_auth", "Invalid refresh_token.")
    }
    if (record.shop_id !== shopId) {
      throw authError("error_shop_refresh_token", "Your refresh token is error ,please check refresh token or shopid.")
    }
    if (record.expires_at_ms <= core.state.nowMs()) {
      throw authError("refresh_token_expired", "Your refresh_token expired.")
    }
    const pair = core.rotateTokens(shopId, refreshToken)
    return okTop({
      partner_id: partnerId,
      shop_id: shopId,
      access_token: pair.access_token,
      refresh_token: pair.refresh_token,
      expire_in: pair.expire_in,
    })
  },
}
