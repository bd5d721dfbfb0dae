/** Public surface of the Shopee sandbox for tests, the demo and benchmarks. */
export { startShopeeSandbox, CONTROL_API_SUMMARY, type ShopeeSandbox, type ShopeeSandboxOptions } from "./server"
export { DEMO_CATALOGUE, DEMO_SHOP_ID, DEMO_SKUS, type CatalogueItemInput, type CatalogueModelInput } from "./catalogue"
export { startOrderFlow } from "./flow"
export { SHOPEE_PLATFORM } from "./platform"
export { PUSH_CODES, SHOPEE_PUSH_REDELIVERY_SECONDS } from "./push"
export { hmacSha256Hex, pushAuthorization, shopeeBaseString, signShopeeRequest } from "./signing"
export type { CreateOrdersInput, CreateReturnInput, OrderPatch, TokenPair } from "./core"
export * from "./types"
