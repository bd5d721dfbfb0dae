/**
 * The core's import path for provider errors. The classes live in the provider kit (`./kit/errors`), next to the
 * platform error base and the status mapping every provider uses.
 */
export { MarketplaceApiError, isRetryableKind, isUnreadableAnswer } from "./kit/errors"
export type { MarketplaceErrorKind } from "./kit/errors"
