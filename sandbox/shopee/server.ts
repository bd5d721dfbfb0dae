import { KIT_CONTROL_SUMMARY } from "../kit/control"
import { startSandboxServer, withDoors, type KitSandbox } from "../kit/server"
import type { CatalogueItemInput } from "./catalogue"
import { ShopeeSandboxCore, type CreateOrdersInput, type CreateReturnInput, type OrderPatch, type TokenPair } from "./core"
import { escrowDetail } from "./escrow"
import { ORDER_OPTIONAL_FIELDS, orderDetailView } from "./order-view"
import { SHOPEE_CONTROL_SUMMARY, SHOPEE_PLATFORM } from "./platform"
import { SHOPEE_PUSH_REDELIVERY_SECONDS } from "./push"
import { SandboxState } from "./state"
import type {
  EscrowAdjustment,
  OrderStatus,
  ReturnStatus,
  SandboxItem,
  SandboxLogger,
  SandboxOrder,
  SandboxReturn,
  SandboxShop,
} from "./types"

export interface ShopeeSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  partnerId: number
  partnerKey: string
  /** Key for push Authorization headers; Shopee consoles may show a separate one. Defaults to partnerKey. */
  pushKey?: string
  accessTokenTtlSeconds?: number
  refreshTokenTtlSeconds?: number
  /** Millisecond clock; tests move time without waiting. */
  now?: () => number
  logger?: SandboxLogger
  /** Future timestamps tolerated (default 60 s); past ones expire after 5 minutes as documented. */
  timestampSkewSeconds?: number
  /** get_tracking_number answers an empty number this many times after ship_order (default 1). */
  trackingNumberEmptyCalls?: number
  /** get_shipping_document_result answers PROCESSING this many times first (default 1). */
  documentProcessingPolls?: number
  /** `error` for an unknown/expired access token (default the documented "invalid_acceess_token"). */
  invalidTokenError?: "invalid_acceess_token" | "invalid_access_token" | "error_auth"
  /** Docs: a push succeeds only on 2xx with an empty body (default true). */
  pushRequireEmptyBody?: boolean
  pushTimeoutMs?: number
  /** Seconds between attempts of a failed push (default Shopee's 300, 1800, 10800; [] = never re-sent). */
  pushRedeliverySeconds?: readonly number[]
  /** How long a "timeout" fault keeps the socket open before dropping it (default 30 s). */
  faultTimeoutMs?: number
  /** Delay added to every API call, for benchmarks. */
  latencyMs?: number
  /** Steady limit of shop API calls per second per shop; unset = none. */
  rateLimitPerSecond?: number
  /** Seed for generated data (ids, buyers, amounts) so runs can be replayed. */
  seed?: number
  callbackUrl?: string
}

/** A running Shopee sandbox: the kit's doors (URL, calls, pushes, faults, reset) and Shopee's own. */
export interface ShopeeSandbox extends KitSandbox<ShopeeSandboxCore> {
  partnerId: number
  createShop(input?: { shop_id?: number; shop_name?: string; region?: string; currency?: string; warehouses?: string[] }): SandboxShop
  getShop(shopId: number): SandboxShop
  seedItems(shopId: number, items: readonly CatalogueItemInput[]): SandboxItem[]
  seedDemoCatalogue(shopId: number): SandboxItem[]
  listItems(shopId: number): SandboxItem[]
  setModelStock(itemId: number, modelId: number, patch: { stock?: number; reserved_stock?: number; original_price?: number }): SandboxItem
  createOrders(shopId: number, input?: CreateOrdersInput): SandboxOrder[]
  advanceOrder(orderSn: string, status?: OrderStatus): SandboxOrder
  patchOrder(orderSn: string, patch: OrderPatch): SandboxOrder
  /** The order as get_order_detail shows it with every optional field, plus its escrow. */
  getOrder(orderSn: string): Record<string, unknown>
  getEscrow(orderSn: string): Record<string, unknown>
  addEscrowAdjustment(orderSn: string, input: { amount: number; reason?: string; date?: number }): EscrowAdjustment
  createReturn(orderSn: string, input?: CreateReturnInput): SandboxReturn
  advanceReturn(returnSn: string, status?: ReturnStatus): SandboxReturn
  issueTokens(shopId: number): TokenPair
  issueAuthCode(shopId: number): string
  expireToken(shopId: number, alsoRefreshToken?: boolean): number
  refreshCount(shopId: number): number
  stockHistory(shopId: number): ReturnType<ShopeeSandboxCore["stockHistory"]>
}

/** Short description of the control API (Shopee's routes, then the kit's), printed by the CLI. */
export const CONTROL_API_SUMMARY: readonly string[] = [...SHOPEE_CONTROL_SUMMARY, ...KIT_CONTROL_SUMMARY]

export async function startShopeeSandbox(options: ShopeeSandboxOptions): Promise<ShopeeSandbox> {
  const state = new SandboxState(
    {
      partnerId: options.partnerId,
      partnerKey: options.partnerKey,
      pushKey: options.pushKey ?? options.partnerKey,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 4 * 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 86400,
      timestampSkewSeconds: options.timestampSkewSeconds ?? 60,
      trackingNumberEmptyCalls: options.trackingNumberEmptyCalls ?? 1,
      documentProcessingPolls: options.documentProcessingPolls ?? 1,
      invalidTokenError: options.invalidTokenError ?? "invalid_acceess_token",
      pushRequireEmptyBody: options.pushRequireEmptyBody ?? true,
      pushTimeoutMs: options.pushTimeoutMs ?? 3000,
      pushRedeliverySeconds: options.pushRedeliverySeconds ?? SHOPEE_PUSH_REDELIVERY_SECONDS,
      faultTimeoutMs: options.faultTimeoutMs ?? 30000,
      latencyMs: options.latencyMs ?? 0,
      now: options.now ?? Date.now,
    },
    options.seed,
    options.rateLimitPerSecond ?? null
  )
  const core = new ShopeeSandboxCore(state, options.logger ?? {})
  if (options.callbackUrl) core.setCallbackUrl(options.callbackUrl)
  const kit = await startSandboxServer(SHOPEE_PLATFORM, core, { port: options.port, host: options.host })

  return withDoors(kit, {
    partnerId: options.partnerId,
    createShop: (input: Parameters<ShopeeSandbox["createShop"]>[0] = {}) => core.createShop(input),
    getShop: (shopId: number) => core.shop(shopId),
    seedItems: (shopId: number, items: readonly CatalogueItemInput[]) => core.seedItems(shopId, items),
    seedDemoCatalogue: (shopId: number) => core.seedDemoCatalogue(shopId),
    listItems: (shopId: number) => core.listItems(shopId),
    setModelStock: (itemId: number, modelId: number, patch: Parameters<ShopeeSandbox["setModelStock"]>[2]) => core.patchModel(itemId, modelId, patch),
    createOrders: (shopId: number, input: CreateOrdersInput = {}) => core.createOrders(shopId, input),
    advanceOrder: (orderSn: string, status?: OrderStatus) => core.advanceOrder(orderSn, status),
    patchOrder: (orderSn: string, patch: OrderPatch) => core.patchOrder(orderSn, patch),
    getOrder: (orderSn: string) => ({ ...orderDetailView(core.order(orderSn), ORDER_OPTIONAL_FIELDS), escrow: escrowDetail(core.order(orderSn)) }),
    getEscrow: (orderSn: string) => escrowDetail(core.order(orderSn)),
    addEscrowAdjustment: (orderSn: string, input: { amount: number; reason?: string; date?: number }) => core.addEscrowAdjustment(orderSn, input),
    createReturn: (orderSn: string, input: CreateReturnInput = {}) => core.createReturn(orderSn, input),
    advanceReturn: (returnSn: string, status?: ReturnStatus) => core.advanceReturn(returnSn, status),
    issueTokens: (shopId: number) => core.issueTokens(shopId),
    issueAuthCode: (shopId: number) => core.issueAuthCode(shopId),
    expireToken: (shopId: number, alsoRefreshToken?: boolean) => core.expireTokens(shopId, alsoRefreshToken ?? false),
    refreshCount: (shopId: number) => core.shop(shopId).refresh_count,
    stockHistory: (shopId: number) => core.stockHistory(shopId),
  }) satisfies ShopeeSandbox
}
