import { defineMiddlewares } from "@medusajs/framework/http"
import { adminMarketplaceMiddlewares } from "./admin/marketplace/middlewares"
import { stockMiddlewares } from "./admin/marketplace/stock-middlewares"
import { marketplaceHookMiddlewares } from "./hooks/middlewares"
import { moneyMiddlewares } from "./admin/marketplace/money-middlewares"
import { adminScreensMiddlewares } from "./admin/marketplace/admin-screens-middlewares"

export default defineMiddlewares({
  routes: [...adminMarketplaceMiddlewares, ...marketplaceHookMiddlewares, ...stockMiddlewares, ...moneyMiddlewares, ...adminScreensMiddlewares],
})
