import { startSandboxServer, withDoors, type KitSandbox } from "../kit/server"
import type { SandboxLogger } from "../kit/types"
import { LAZADA_REDELIVERY_SECONDS, LazadaSandboxCore, LazadaStore, type Country, type CreateOrderInput, type SandboxAccount, type SandboxOrder } from "./core"
import { AUTH_ROOT, LAZADA_PLATFORM } from "./platform"

export interface LazadaSandboxOptions {
  port?: number
  host?: string
  appKey: string
  appSecret: string
  now?: () => number
  logger?: SandboxLogger
  seed?: number
  redeliverySeconds?: readonly number[]
  /** Seconds the access token lives (Lazada: 7 days for Seller Center accounts). */
  accessTtlSeconds?: number
  /** Seconds the refresh token lives (Lazada: 30 days). */
  refreshTtlSeconds?: number
}

export interface LazadaSandbox extends KitSandbox<LazadaSandboxCore> {
  /** `authUrl` for the provider: the consent page and the token APIs live under it. */
  readonly authUrl: string
  /** `apiUrlTemplate` for the provider: one path per country. */
  readonly apiUrlTemplate: string
  createAccount(account: string, countries: { country: Country; seller_id?: string; short_code?: string }[]): SandboxAccount
  createOrder(input: CreateOrderInput): SandboxOrder
}

export const DEMO_ACCOUNT = "demo-seller@lazada.sandbox"
/** The demo seller sells in two countries: one authorization, two connections. */
export const DEMO_SELLERS = { sg: "1000000101", my: "1000000102" } as const

export async function startLazadaSandbox(options: LazadaSandboxOptions): Promise<LazadaSandbox> {
  const state = new LazadaStore(
    {
      now: options.now ?? (() => Date.now()),
      latencyMs: 0,
      faultTimeoutMs: 30000,
      appKey: options.appKey,
      appSecret: options.appSecret,
      redeliverySeconds: options.redeliverySeconds ?? LAZADA_REDELIVERY_SECONDS,
      accessTtlSeconds: options.accessTtlSeconds ?? 7 * 24 * 3600,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 30 * 24 * 3600,
    },
    options.seed,
    null
  )
  const core = new LazadaSandboxCore(state, options.logger ?? {})
  // The call log, faults and the rate limit are keyed by the calling seller: the access token's account, or its
  // seller when the account sells in one country (the token alone does not say which country a call is for).
  const platform = {
    ...LAZADA_PLATFORM,
    gateway: {
      ...LAZADA_PLATFORM.gateway,
      scopeOf: (query: URLSearchParams) => {
        const token = state.tokens.access.get(query.get("access_token") ?? "")
        const account = token ? state.accounts.get(String(token.shop_id)) : undefined
        if (!account) return null
        return account.countries.length === 1 ? account.countries[0].seller_id : account.account
      },
    },
  }
  const kit = await startSandboxServer(platform, core, { port: options.port, host: options.host })
  return withDoors(kit, {
    get authUrl() {
      return `${kit.url}${AUTH_ROOT}`
    },
    get apiUrlTemplate() {
      return `${kit.url}/lazada/{country}/rest`
    },
    createAccount: (account: string, countries: { country: Country; seller_id?: string; short_code?: string }[]) =>
      core.createAccount({ account, countries }),
    createOrder: (input: CreateOrderInput) => core.createOrder(input),
  })
}

/** The demo account: SG and MY. */
export function seedDemoAccount(sandbox: LazadaSandbox): SandboxAccount {
  return sandbox.createAccount(DEMO_ACCOUNT, [
    { country: "sg", seller_id: DEMO_SELLERS.sg, short_code: "SGDEMO" },
    { country: "my", seller_id: DEMO_SELLERS.my, short_code: "MYDEMO" },
  ])
}
