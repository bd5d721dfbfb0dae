import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { MarketplaceFulfillmentProvider } from "./service"

export { MarketplaceFulfillmentProvider }
export {
  MARKETPLACE_FULFILLMENT_IDENTIFIER,
  MARKETPLACE_FULFILLMENT_OPTION_ID,
  marketplaceFulfillmentProviderId,
} from "./constants"
export type { MarketplaceFulfillmentData, MarketplaceFulfillmentAdditionalData } from "./constants"

/**
 * The plugin's fulfillment module provider for marketplace logistics. Register it in the app's fulfillment
 * module (next to `@medusajs/medusa/fulfillment-manual`):
 * `{ resolve: "medusa-marketplace-sync/providers/marketplace-fulfillment", id: "marketplace" }`.
 */
export default ModuleProvider(Modules.FULFILLMENT, { services: [MarketplaceFulfillmentProvider] })
