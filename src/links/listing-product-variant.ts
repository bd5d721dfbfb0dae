import { defineLink } from "@medusajs/framework/utils"
import ProductModule from "@medusajs/medusa/product"
import MarketplaceModule from "../modules/marketplace"

/** A listing sells one variant; a variant can be listed in many shops. */
export default defineLink(
  { linkable: MarketplaceModule.linkable.listing, isList: true },
  ProductModule.linkable.productVariant
)
