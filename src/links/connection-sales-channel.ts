import { defineLink } from "@medusajs/framework/utils"
import SalesChannelModule from "@medusajs/medusa/sales-channel"
import MarketplaceModule from "../modules/marketplace"

/** The sales channel a shop's orders are placed in (one per shop). */
export default defineLink(MarketplaceModule.linkable.connection, SalesChannelModule.linkable.salesChannel)
