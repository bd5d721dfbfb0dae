import { defineMiddlewares } from "@medusajs/framework/http"
import { adminMarketplaceMiddlewares } from "./admin/marketplace/middlewares"
import { adminScreensMiddlewares } from "./admin/marketplace/admin-screens-middlewares"
import { moneyMiddlewares } from "./admin/marketplace/money-middlewares"
import { returnsMiddlewares } from "./admin/marketplace/returns-middlewares"
import { shippingMiddlewares } from "./admin/marketplace/shipping-middlewares"
import { stockMiddlewares } from "./admin/marketplace/stock-middlewares"
import { marketplaceHookMiddlewares } from "./hooks/middlewares"

export default defineMiddlewares({
  routes: [
    ...adminMarketplaceMiddlewares,
    ...marketplaceHookMiddlewares,
    ...stockMiddlewares,
    ...moneyMiddlewares,
    ...returnsMiddlewares,
    ...shippingMiddlewares,
    ...adminScreensMiddlewares,
  ],
})
