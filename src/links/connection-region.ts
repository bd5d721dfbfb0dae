import { defineLink } from "@medusajs/framework/utils"
import RegionModule from "@medusajs/medusa/region"
import MarketplaceModule from "../modules/marketplace"

/** The region a shop's orders are placed in (its currency and country); shops may share a region. */
export default defineLink(
  { linkable: MarketplaceModule.linkable.connection, isList: true },
  RegionModule.linkable.region
)
