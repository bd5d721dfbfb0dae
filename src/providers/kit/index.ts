/**
 * The provider kit: the plumbing every marketplace provider needs, so a provider folder holds only what is its
 * platform's own (signing, error codes, endpoints, payload schemas, limits).
 */
export * from "./decimal"
export * from "./dependencies"
export * from "./errors"
export * from "./http"
export * from "./json"
export * from "./paging"
export * from "./rate-limiter"
export * from "./retry"
