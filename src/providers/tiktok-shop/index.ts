import { ModuleProvider } from "@medusajs/framework/utils"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { MarketplaceProviderConstructor } from "../types"
import { TiktokShopProvider } from "./provider"
import type { TiktokShopProviderOptions } from "./types"

TiktokShopProvider satisfies MarketplaceProviderConstructor<TiktokShopProviderOptions>

export { TiktokShopProvider }
export { ORDER_STATUS_MAP } from "./mapping"
export { signTiktokRequest, signTiktokWebhook } from "./signing"
export type { TiktokShopProviderOptions }
export default ModuleProvider(MARKETPLACE_MODULE, { services: [TiktokShopProvider] })
