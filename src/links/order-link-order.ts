import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import MarketplaceModule from "../modules/marketplace"

/** Each imported marketplace order is one native Medusa order. */
export default defineLink(MarketplaceModule.linkable.orderLink, OrderModule.linkable.order)
