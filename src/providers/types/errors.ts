/**
 * Capability `errors`: every provider method fails with a `MarketplaceApiError` of one of the plugin's kinds,
 * mapped at the provider's edge from its own finer classes, so the core decides (retry, re-authorize, refuse)
 * without knowing the platform. An operation a platform does not offer fails with kind `not_allowed`.
 */
export { MarketplaceApiError } from "../errors"
export type { MarketplaceErrorKind } from "../errors"
