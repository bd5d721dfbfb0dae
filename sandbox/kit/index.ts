/** The generic sandbox: what a platform's sandbox is built on (see sandbox/README.md, "The kit"). */
export { apiDoor } from "./api-door"
export {
  DEFAULT_PORT,
  parseSandboxArgs,
  runSandboxCli,
  withDefaultNote,
  type CliFlag,
  type CliSandbox,
  type CliValues,
  type SandboxCliPlatform,
  type SandboxCliRegistry,
} from "./cli"
export { controlDoor, json, KIT_CONTROL_SUMMARY, kitControlRoutes, parseControl, type ControlAnswer, type ControlRequest, type ControlRoute } from "./control"
export { SandboxCore } from "./core"
export { ControlError, PlatformApiError } from "./errors"
export { addFault, faultPathMatches, overRateLimit, takeFault, type FaultInput } from "./faults"
export { startActivityFlow, type ActivityFlowOptions } from "./flow"
export { randomHex32 } from "./ids"
export { Lifecycle, type LifecycleHooks, type StatusTable } from "./lifecycle"
export { currencyDecimals, fromSgd, prorate, roundMoney, sumMoney } from "./money"
export { labelPdf } from "./pdf"
export type { ApiAnswer, ApiRequest, ApiRoute, PlatformEnvelope, PlatformErrors, PlatformGateway, RawApiRequest, SandboxPlatform } from "./platform"
export { PushDelivery, type PushProfile } from "./push"
export { Random } from "./random"
export { startSandboxServer, withDoors, type KitSandbox, type ServerOptions } from "./server"
export { SandboxStore, type KitConfig } from "./state"
export * from "./types"
export { TokenVault, type AccessTokenRecord, type AuthCodeRecord, type IssuedTokens, type RefreshTokenRecord, type TokenPolicy } from "./tokens"
