import { KIT_CONTROL_SUMMARY } from "../kit/control"
import { startSandboxServer, withDoors, type KitSandbox } from "../kit/server"
import type { SandboxLogger } from "../kit/types"
import { TiktokSandboxCore, TiktokStore } from "./core"
import { TIKTOK_SHOP_PLATFORM } from "./platform"

export interface TiktokShopSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  appKey: string
  appSecret: string
  serviceId: string
  accessTokenTtlSeconds?: number
  refreshTokenTtlSeconds?: number
  now?: () => number
  logger?: SandboxLogger
  faultTimeoutMs?: number
  latencyMs?: number
  /** Calls per second per shop before 429 (default the documented 50; null = none). */
  rateLimitPerSecond?: number | null
  seed?: number
  callbackUrl?: string | null
  /** The redirect URL registered with the app; the authorize page sends sellers there. */
  redirectUrl?: string | null
}

export type TiktokShopSandbox = KitSandbox<TiktokSandboxCore> & { core: TiktokSandboxCore }

export const TIKTOK_SHOP_CONTROL_SUMMARY = [...TIKTOK_SHOP_PLATFORM.controlSummary, ...KIT_CONTROL_SUMMARY]

export async function startTiktokShopSandbox(options: TiktokShopSandboxOptions): Promise<TiktokShopSandbox> {
  const state = new TiktokStore(
    {
      now: options.now ?? (() => Date.now()),
      latencyMs: options.latencyMs ?? 0,
      faultTimeoutMs: options.faultTimeoutMs ?? 30000,
      appKey: options.appKey,
      appSecret: options.appSecret,
      serviceId: options.serviceId,
      // Access tokens live about a week, refresh tokens about a year (absolute times in the answers).
      accessTtlSeconds: options.accessTokenTtlSeconds ?? 7 * 24 * 3600,
      refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 365 * 24 * 3600,
    },
    options.seed,
    options.rateLimitPerSecond === undefined ? 50 : options.rateLimitPerSecond
  )
  const core = new TiktokSandboxCore(state, options.logger ?? {})
  const kit = await startSandboxServer(TIKTOK_SHOP_PLATFORM, core, { port: options.port ?? 0, host: options.host })
  if (options.callbackUrl) kit.setPushConfig(options.callbackUrl)
  state.redirectUrl = options.redirectUrl ?? null
  state.publicUrl = kit.url
  return withDoors(kit, { core })
}
