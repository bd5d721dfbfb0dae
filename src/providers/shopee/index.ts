import { ModuleProvider } from "@medusajs/framework/utils"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { MarketplaceProviderConstructor } from "../types"
import { ShopeeProvider } from "./provider"
import type { ShopeeProviderOptions } from "./types"

// Constructed as Medusa constructs module providers, `new Provider(deps, options)`, after the static
// validateOptions(options).
ShopeeProvider satisfies MarketplaceProviderConstructor<ShopeeProviderOptions>

export { ShopeeProvider }
export { ShopeeClient, ORDER_DETAIL_FIELDS } from "./client"
export { SHOPEE_LIMITS } from "./limits"
export { ORDER_STATUS_MAP, RETURN_STATUS_MAP } from "./mapping"
export { validateShopeeOptions } from "./options"
export { canonicalJson, pushIdempotencyKey } from "./push"
export { signPublic, signShop } from "./signing"
export {
  ShopeeError,
  ShopeeAuthError,
  ShopeeSignatureError,
  ShopeeRateLimitError,
  ShopeeNotFoundError,
  ShopeeValidationError,
  ShopeeNotAllowedError,
  ShopeeServerError,
  ShopeeNetworkError,
} from "./errors"
export type { ShopeeProviderOptions }
export { SHOPEE_DEFAULT_BASE_URL, SHOPEE_SANDBOX_BASE_URL } from "./types"

export default ModuleProvider(MARKETPLACE_MODULE, { services: [ShopeeProvider] })
