import { ModuleProvider } from "@medusajs/framework/utils"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import type { MarketplaceProviderConstructor } from "../types"
import { LazadaProvider } from "./provider"
import type { LazadaProviderOptions } from "./types"

LazadaProvider satisfies MarketplaceProviderConstructor<LazadaProviderOptions>

export { LazadaProvider }
export { LAZADA_LIMITS } from "./limits"
export { orderStatusOf, foldLines, totalsOf } from "./mapping"
export { lazadaPushSignature, lazadaSignBase, signLazada } from "./signing"
export type { LazadaProviderOptions }

export default ModuleProvider(MARKETPLACE_MODULE, { services: [LazadaProvider] })
