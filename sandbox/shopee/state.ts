import { Random } from "./random"
import type {
  AccessTokenRecord,
  AuthCodeRecord,
  CallRecord,
  Fault,
  LostPushMessage,
  PriceHistoryEntry,
  PushRecord,
  RefreshTokenRecord,
  SandboxItem,
  SandboxOrder,
  SandboxReturn,
  SandboxShop,
  StockHistoryEntry,
} from "./types"

/** Settings fixed at start; `reset()` keeps them. */
export interface SandboxConfig {
  partnerId: number
  partnerKey: string
  pushKey: string
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  /** Seconds a timestamp may be in the future (clock skew) before it is refused. */
  timestampSkewSeconds: number
  /** get_tracking_number calls answering an empty tracking number right after ship_order. */
  trackingNumberEmptyCalls: number
  /** get_shipping_document_result calls answering PROCESSING before READY. */
  documentProcessingPolls: number
  /** `error` used for an unknown or expired access token (see gateway.ts). */
  invalidTokenError: string
  /** Docs: a push only succeeds with 2xx AND an empty body. */
  pushRequireEmptyBody: boolean
  pushTimeoutMs: number
  /** How long a "timeout" fault holds the socket before dropping it. */
  faultTimeoutMs: number
  latencyMs: number
  now: () => number
}

/** Everything the sandbox remembers, in memory. One instance per running sandbox. */
export class SandboxState {
  shops = new Map<number, SandboxShop>()
  items = new Map<number, SandboxItem>()
  orders = new Map<string, SandboxOrder>()
  returns = new Map<string, SandboxReturn>()
  accessTokens = new Map<string, AccessTokenRecord>()
  refreshTokens = new Map<string, RefreshTokenRecord>()
  authCodes = new Map<string, AuthCodeRecord>()
  calls: CallRecord[] = []
  stockHistory: StockHistoryEntry[] = []
  priceHistory: PriceHistoryEntry[] = []
  pushes: PushRecord[] = []
  lostPushes: LostPushMessage[] = []
  faults: Fault[] = []
  callbackUrl: string | null = null
  /** Steady per-shop limit (calls per second); null = unlimited. */
  rateLimitPerSecond: number | null
  rateWindows = new Map<string, number>()
  random: Random
  private seq = 0

  constructor(
    readonly config: SandboxConfig,
    private readonly seed: number | undefined,
    private readonly initialRateLimit: number | null
  ) {
    this.random = new Random(seed)
    this.rateLimitPerSecond = initialRateLimit
  }

  nowMs(): number {
    return this.config.now()
  }

  nowSec(): number {
    return Math.floor(this.config.now() / 1000)
  }

  /** Monotonic counter for ids; never reused within a run, even after reset. */
  nextSeq(): number {
    this.seq += 1
    return this.seq
  }

  reset(): void {
    this.shops.clear()
    this.items.clear()
    this.orders.clear()
    this.returns.clear()
    this.accessTokens.clear()
    this.refreshTokens.clear()
    this.authCodes.clear()
    this.calls = []
    this.stockHistory = []
    this.priceHistory = []
    this.pushes = []
    this.lostPushes = []
    this.faults = []
    this.callbackUrl = null
    this.rateLimitPerSecond = this.initialRateLimit
    this.rateWindows.clear()
    this.random = new Random(this.seed)
  }
}
