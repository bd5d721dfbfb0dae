import { SandboxStore, type KitConfig } from "../kit/state"
import { TokenVault } from "../kit/tokens"
import type {
  PriceHistoryEntry,
  SandboxItem,
  SandboxOrder,
  SandboxReturn,
  SandboxShop,
  StockHistoryEntry,
} from "./types"

/** Settings fixed at start; `reset()` keeps them. */
export interface SandboxConfig extends KitConfig {
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
  /** Seconds between failed push attempts (Shopee: about 300, 1800, 10800). */
  pushRedeliverySeconds: readonly number[]
}

/** What the Shopee sandbox remembers beside the kit's store: shops, listings, orders, returns, tokens. */
export class SandboxState extends SandboxStore<SandboxConfig> {
  shops = new Map<number, SandboxShop>()
  items = new Map<number, SandboxItem>()
  orders = new Map<string, SandboxOrder>()
  returns = new Map<string, SandboxReturn>()
  /**
   * Auth codes are "valid for only once and expire after 10 minutes"; after a refresh the previous
   * access token keeps working for 5 more minutes.
   */
  tokens = new TokenVault<number>(() => this.nowMs(), {
    accessTtlSeconds: this.config.accessTokenTtlSeconds,
    refreshTtlSeconds: this.config.refreshTokenTtlSeconds,
    codeTtlSeconds: 10 * 60,
    oldAccessGraceSeconds: 5 * 60,
  })
  stockHistory: StockHistoryEntry[] = []
  priceHistory: PriceHistoryEntry[] = []

  override reset(): void {
    super.reset()
    this.shops.clear()
    this.items.clear()
    this.orders.clear()
    this.returns.clear()
    this.tokens.clear()
    this.stockHistory = []
    this.priceHistory = []
  }
}
