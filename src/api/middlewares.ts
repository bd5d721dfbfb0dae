import { defineMiddlewares } from "@medusajs/framework/http"
import { adminMarketplaceMiddlewares } from "./admin/marketplace/middlewares"
import { stockMiddlewares } from "./admin/marketplace/stock-middlewares"
import { marketplaceHookMiddlewares } from "./hooks/middlewares"
import { moneyMiddlewares } from "./admin/marketplace/money-middlewares"
import { shippingMiddlewares } from "./admin/marketplace/shipping-middlewares"

export default defineMiddlewares({
  routes: [...adminMarketplaceMiddlewares, ...marketplaceHookMiddlewares, ...stockMiddlewares, ...moneyMiddlewares, ...shippingMiddlewares],
})
