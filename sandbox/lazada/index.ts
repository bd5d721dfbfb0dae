/** The Lazada sandbox (see sandbox/README.md, "Lazada"). */
export * from "./core"
export { pushKey, REFUSE_REASONS, REVERSE_STATUSES, type ReverseStatus, type SandboxReverseOrder } from "./returns"
export { LAZADA_CONTROL_SUMMARY, LAZADA_PLATFORM, LazadaApiError, AUTH_ROOT, countryRoot } from "./platform"
export { DEMO_ACCOUNT, DEMO_SELLERS, seedDemoAccount, startLazadaSandbox, type LazadaSandbox, type LazadaSandboxOptions } from "./server"
export { lazadaApiSign, lazadaPushAuthorization } from "./signing"
export { addAdjustment, ADJUSTMENT_NAMES, FEE_RATES, orderTransactions, type AdjustmentName, type SandboxAdjustment, type SandboxTransaction } from "./finance"
