import type { SandboxPlatform } from "../kit/platform"
import type { ShopeeSandboxCore } from "./core"
import { shopeeEnvelope, shopeeErrors } from "./errors"
import { shopeeGateway } from "./gateway"
import { SHOPEE_CONTROL_ROUTES } from "./routes/control"
import { API_ROUTES } from "./routes/index"
import type { SandboxShop } from "./types"

/** Shopee's control routes, one line each (the kit's own follow them in CONTROL_API_SUMMARY). */
export const SHOPEE_CONTROL_SUMMARY: readonly string[] = [
  "POST   /sandbox/shops {shop_id?, shop_name?, region?, currency?, warehouses?}",
  "POST   /sandbox/shops/:shop_id/items {items:[...]} | {demo:true}",
  "POST   /sandbox/shops/:shop_id/orders {count?, status?, items?:[{sku|item_id,model_id, quantity}], buyer?, create_time?}",
  "POST   /sandbox/orders/:order_sn/advance {status?}     PATCH /sandbox/orders/:order_sn {update_time?, ...}",
  "POST   /sandbox/orders/:order_sn/returns {items?, solution?}   POST /sandbox/returns/:return_sn/advance {status?}",
  "POST   /sandbox/orders/:order_sn/escrow-adjustments {amount, reason?}",
  "POST   /sandbox/shops/:shop_id/tokens | /expire-token {refresh_token?}   GET /sandbox/shops/:shop_id/stock-history",
]

/** Shopee Open Platform v2 as the sandbox kit runs it. */
export const SHOPEE_PLATFORM: SandboxPlatform<ShopeeSandboxCore, SandboxShop, "public" | "shop"> = {
  id: "shopee",
  title: "Shopee Open Platform v2",
  apiPrefix: "/api/v2/",
  routes: API_ROUTES,
  gateway: shopeeGateway,
  errors: shopeeErrors,
  envelope: shopeeEnvelope,
  control: SHOPEE_CONTROL_ROUTES,
  controlSummary: SHOPEE_CONTROL_SUMMARY,
  secretParams: ["sign", "access_token", "refresh_token", "code", "partner_key"],
  describe: (core) => ({ partner_id: core.state.config.partnerId }),
}
