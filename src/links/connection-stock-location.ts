import { defineLink } from "@medusajs/framework/utils"
import StockLocationModule from "@medusajs/medusa/stock-location"
import MarketplaceModule from "../modules/marketplace"

/** Where a shop's orders reserve and ship from, and whose stock is pushed; shops may share a location. */
export default defineLink(
  { linkable: MarketplaceModule.linkable.connection, isList: true },
  StockLocationModule.linkable.stockLocation
)
