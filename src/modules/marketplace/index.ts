import { Module } from "@medusajs/framework/utils"
import providersLoader from "./loaders/providers"
import validateOptionsLoader from "./loaders/validate-options"
import MarketplaceModuleService from "./services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "./types"

export { MARKETPLACE_MODULE }
export type { MarketplaceModuleOptions, ConnectionSettings, StockRules } from "./types"
export { MarketplaceModuleService }

export default Module(MARKETPLACE_MODULE, {
  service: MarketplaceModuleService,
  loaders: [validateOptionsLoader, providersLoader],
})
