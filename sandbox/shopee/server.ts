import http, { type IncomingMessage, type ServerResponse } from "http"
import type { AddressInfo, Socket } from "net"
import { handleApiCall } from "./api-handler"
import type { CatalogueItemInput } from "./catalogue"
import { ControlError, ShopeeSandboxCore, type CreateOrdersInput, type CreateReturnInput, type OrderPatch, type TokenPair } from "./core"
import { escrowDetail } from "./escrow"
import { parseJson, readBody, sendJson } from "./http-io"
import { ORDER_OPTIONAL_FIELDS, orderDetailView } from "./order-view"
import { CONTROL_ROUTES, matchControlRoute } from "./routes/control"
import { API_ROUTES } from "./routes/index"
import { SandboxState } from "./state"
import type {
  CallRecord,
  EscrowAdjustment,
  Fault,
  FaultKind,
  LostPushMessage,
  OrderStatus,
  PushRecord,
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

/** A running sandbox: its URL, and in-process doors mirroring the control API. */
export interface ShopeeSandbox {
  url: string
  port: number
  partnerId: number
  close(): Promise<void>
  /** Every API call received, oldest first. */
  readonly calls: CallRecord[]
  resetCalls(): void
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
  setPushConfig(callbackUrl: string | null): void
  readonly pushes: PushRecord[]
  readonly lostPushes: LostPushMessage[]
  /** Waits until every push sent so far got its answer. */
  flushPushes(): Promise<void>
  addFault(input: { path?: string; shop_id?: number; kind: FaultKind; count?: number }): Fault
  clearFaults(): void
  setRateLimit(perSecond: number | null): void
  stockHistory(shopId: number): ReturnType<ShopeeSandboxCore["stockHistory"]>
  reset(): void
  core: ShopeeSandboxCore
}

/** Short description served at GET /sandbox and printed by the CLI. */
export const CONTROL_API_SUMMARY: readonly string[] = [
  "POST   /sandbox/shops {shop_id?, shop_name?, region?, currency?, warehouses?}",
  "POST   /sandbox/shops/:shop_id/items {items:[...]} | {demo:true}",
  "POST   /sandbox/shops/:shop_id/orders {count?, status?, items?:[{sku|item_id,model_id, quantity}], buyer?, create_time?}",
  "POST   /sandbox/orders/:order_sn/advance {status?}     PATCH /sandbox/orders/:order_sn {update_time?, ...}",
  "POST   /sandbox/orders/:order_sn/returns {items?, solution?}   POST /sandbox/returns/:return_sn/advance {status?}",
  "POST   /sandbox/orders/:order_sn/escrow-adjustments {amount, reason?}",
  "POST   /sandbox/shops/:shop_id/tokens | /expire-token {refresh_token?}",
  "POST   /sandbox/push-config {callback_url}   GET /sandbox/pushes",
  "POST   /sandbox/faults {path?, shop_id?, kind, count}   DELETE /sandbox/faults   POST /sandbox/rate-limit {per_second}",
  "GET    /sandbox/calls   DELETE /sandbox/calls   GET /sandbox/shops/:shop_id/stock-history   POST /sandbox/reset",
]

async function handleControl(core: ShopeeSandboxCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? "GET"
  if (url.pathname === "/sandbox" || url.pathname === "/sandbox/") {
    sendJson(res, 200, {
      platform: "shopee",
      partner_id: core.state.config.partnerId,
      api: API_ROUTES.map((r) => `${r.method} ${r.path}`),
      control: CONTROL_ROUTES.map((r) => `${r.method} ${r.pattern.source.replace(/\\\//g, "/").replace(/\(\[\^\/\]\+\)/g, ":id").replace(/^\^|\$$/g, "")}`),
    })
    return
  }
  const match = matchControlRoute(method, url.pathname)
  if (!match) {
    sendJson(res, 404, { message: `No control route ${method} ${url.pathname}` })
    return
  }
  let body: unknown
  try {
    body = parseJson(await readBody(req))
  } catch {
    sendJson(res, 400, { message: "Body is not valid JSON" })
    return
  }
  try {
    const answer = await match.route.handle({ params: match.params, body, query: url.searchParams }, core)
    if (answer.location) {
      res.writeHead(answer.status, { Location: answer.location })
      res.end()
    } else if (answer.body === undefined) {
      res.writeHead(answer.status)
      res.end()
    } else {
      sendJson(res, answer.status, answer.body)
    }
  } catch (err) {
    if (err instanceof ControlError) {
      sendJson(res, err.status, { message: err.message })
    } else {
      core.logger.error?.(`shopee sandbox control ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`)
      sendJson(res, 500, { message: err instanceof Error ? err.message : String(err) })
    }
  }
}

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
      faultTimeoutMs: options.faultTimeoutMs ?? 30000,
      latencyMs: options.latencyMs ?? 0,
      now: options.now ?? Date.now,
    },
    options.seed,
    options.rateLimitPerSecond ?? null
  )
  const core = new ShopeeSandboxCore(state, options.logger ?? {})
  if (options.callbackUrl) core.setCallbackUrl(options.callbackUrl)
  const heldSockets = new Set<Socket>()

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox.local")
    const work = url.pathname.startsWith("/api/v2/")
      ? handleApiCall(core, req, res, url, heldSockets)
      : url.pathname === "/sandbox" || url.pathname.startsWith("/sandbox/")
        ? handleControl(core, req, res, url)
        : Promise.resolve(sendJson(res, 404, { message: "Not found: Shopee APIs live under /api/v2, the control API under /sandbox" }))
    work.catch((err: unknown) => {
      core.logger.error?.(`shopee sandbox: ${err instanceof Error ? err.message : String(err)}`)
      if (!res.headersSent) sendJson(res, 500, { message: "internal sandbox error" })
    })
  })

  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`

  return {
    url,
    port,
    partnerId: options.partnerId,
    async close() {
      await core.push.flush()
      for (const socket of heldSockets) socket.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    get calls() {
      return state.calls
    },
    resetCalls: () => {
      state.calls = []
    },
    createShop: (input = {}) => core.createShop(input),
    getShop: (shopId) => core.shop(shopId),
    seedItems: (shopId, items) => core.seedItems(shopId, items),
    seedDemoCatalogue: (shopId) => core.seedDemoCatalogue(shopId),
    listItems: (shopId) => core.listItems(shopId),
    setModelStock: (itemId, modelId, patch) => core.patchModel(itemId, modelId, patch),
    createOrders: (shopId, input = {}) => core.createOrders(shopId, input),
    advanceOrder: (orderSn, status) => core.advanceOrder(orderSn, status),
    patchOrder: (orderSn, patch) => core.patchOrder(orderSn, patch),
    getOrder: (orderSn) => ({ ...orderDetailView(core.order(orderSn), ORDER_OPTIONAL_FIELDS), escrow: escrowDetail(core.order(orderSn)) }),
    getEscrow: (orderSn) => escrowDetail(core.order(orderSn)),
    addEscrowAdjustment: (orderSn, input) => core.addEscrowAdjustment(orderSn, input),
    createReturn: (orderSn, input = {}) => core.createReturn(orderSn, input),
    advanceReturn: (returnSn, status) => core.advanceReturn(returnSn, status),
    issueTokens: (shopId) => core.issueTokens(shopId),
    issueAuthCode: (shopId) => core.issueAuthCode(shopId),
    expireToken: (shopId, alsoRefreshToken) => core.expireTokens(shopId, alsoRefreshToken ?? false),
    refreshCount: (shopId) => core.shop(shopId).refresh_count,
    setPushConfig: (callbackUrl) => core.setCallbackUrl(callbackUrl),
    get pushes() {
      return state.pushes
    },
    get lostPushes() {
      return state.lostPushes
    },
    flushPushes: () => core.push.flush(),
    addFault: (input) => core.addFault({ ...input, count: input.count ?? 1 }),
    clearFaults: () => core.clearFaults(),
    setRateLimit: (perSecond) => core.setRateLimit(perSecond),
    stockHistory: (shopId) => core.stockHistory(shopId),
    reset: () => core.reset(),
    core,
  }
}
