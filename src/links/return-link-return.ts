import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import MarketplaceModule from "../modules/marketplace"

/** Each marketplace return / refund is one native Medusa return. */
export default defineLink(MarketplaceModule.linkable.returnLink, OrderModule.linkable.return)
