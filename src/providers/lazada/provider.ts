import { atEdge, type ProviderKitDependencies, toMarketplaceError } from "../kit"
import { AbstractMarketplaceProvider } from "../abstract-provider"
import type {
  AuthorizationGrant,
  CancelOrderInput,
  DisputeReturnInput,
  MarketplaceReturn,
  PreviousReturnState,
  ReturnOutcome,
  AuthorizationUrlInput,
  ExchangeCodeInput,
  ListChangedOrdersInput,
  MarketplaceEscrow,
  MarketplaceListing,
  MarketplaceOrder,
  GetOrdersOptions,
  OrderRef,
  OrderStatus,
  Page,
  ParsedWebhookEvent,
  PriceUpdate,
  ProviderLimits,
  ProviderVocabulary,
  PushResult,
  RefreshTokenInput,
  ShipmentInfo,
  ShippingDocument,
  ShippingParameters,
  ShipOrderInput,
  ShopSession,
  StockUpdate,
  TokenSet,
  WebhookRequest,
  WebhookVerification,
} from "../types"
import { LazadaValidationError } from "./errors"
import { LazadaHttp, type LazadaScope } from "./http"
import * as cancellation from "./cancel"
import * as finance from "./finance"
import * as listings from "./listings"
import * as logistics from "./logistics"
import { LAZADA_LIMITS } from "./limits"
import { toGrant, toTokenSet } from "./mapping"
import { resolveLazadaOptions, validateLazadaOptions } from "./options"
import * as orders from "./orders"
import * as returns from "./returns"
import { parseLazadaPush, verifyLazadaPush } from "./push"
import { LAZADA_SELLER_CENTERS } from "./regions"
import { tokenSchema } from "./schemas"
import type { LazadaProviderOptions, ResolvedLazadaOptions } from "./types"
import { LAZADA_VOCABULARY } from "./vocabulary"

/**
 * The Lazada Open Platform provider. One authorization covers every country the seller granted: each country is
 * a connection (its seller id), sharing the token pair, with its API host on the connection's metadata.
 */
export class LazadaProvider extends AbstractMarketplaceProvider<LazadaProviderOptions> {
  static readonly identifier = "lazada"
  static readonly displayName = "Lazada"
  static readonly requiredOptions = [
    { option: "appKey", env: "LAZADA_APP_KEY" },
    { option: "appSecret", env: "LAZADA_APP_SECRET" },
  ] as const

  readonly id = "lazada"
  readonly display_name = "Lazada"
  readonly limits: ProviderLimits = LAZADA_LIMITS
  readonly vocabulary: ProviderVocabulary = LAZADA_VOCABULARY

  protected readonly options: ResolvedLazadaOptions
  protected readonly http: LazadaHttp

  static validateOptions(options: Record<string, unknown>): void {
    validateLazadaOptions(options)
  }

  constructor(deps: ProviderKitDependencies, options: LazadaProviderOptions) {
    super(deps, options)
    this.options = resolveLazadaOptions(options)
    this.http = new LazadaHttp(this.options, deps.logger, deps.rateLimits)
  }

  /** Seller authorization (docId 108260): the consent page of the auth host; Lazada sends back `code`. */
  async getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }> {
    const query = new URLSearchParams({
      response_type: "code",
      force_auth: "true",
      redirect_uri: input.redirect_url,
      client_id: this.options.appKey,
      state: input.state,
    })
    return { url: `${this.options.authUrl}/oauth/authorize?${query.toString()}` }
  }

  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizationGrant> {
    return atEdge(async () => {
      const code = input.params.code
      if (!code) throw new LazadaValidationError("The Lazada callback carries no code")
      const answer = await this.http.call({
        method: "POST",
        apiPath: "/auth/token/create",
        scope: { kind: "app" },
        params: { code },
        schema: tokenSchema,
        // A code works once.
        idempotent: false,
      })
      return toGrant(answer, this.options.now(), this.options.apiUrlTemplate)
    })
  }

  /** The refresh token rotates; the answer lists the countries again (`country_user_info_list`). */
  refreshToken(input: RefreshTokenInput): Promise<TokenSet> {
    return atEdge(async () => {
      const answer = await this.http.call({
        method: "POST",
        apiPath: "/auth/token/refresh",
        scope: { kind: "app" },
        params: { refresh_token: input.refresh_token },
        schema: tokenSchema,
        idempotent: false,
      })
      return toTokenSet(answer, this.options.now())
    })
  }

  verifyWebhook(request: WebhookRequest): WebhookVerification {
    return verifyLazadaPush(request, this.options.appKey, this.options.appSecret)
  }

  parseWebhook(request: WebhookRequest): ParsedWebhookEvent[] {
    try {
      return parseLazadaPush(request)
    } catch (error) {
      throw toMarketplaceError(error)
    }
  }

  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>> {
    return atEdge(async () => orders.listChangedOrders(this.http, orders.shopScope(session, this.options.apiUrlTemplate), input))
  }

  getOrders(session: ShopSession, externalIds: string[], options: GetOrdersOptions = {}): Promise<MarketplaceOrder[]> {
    return atEdge(async () => {
      return orders.getOrders(this.http, this.scope(session), externalIds, options.listed)
    })
  }

  /** Seller cancellation: every unit still cancellable (pending to ready to ship), OrderCancelValidate then InitReverseOrderCancel. */
  cancelOrder(session: ShopSession, input: CancelOrderInput): Promise<void> {
    return atEdge(async () => cancellation.cancelOrder(this.http, this.scope(session), input))
  }

  listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>> {
    return atEdge(async () => listings.listListings(this.http, this.scope(session), orders.countryOf(session), input.page_token))
  }

  pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]> {
    return atEdge(async () => listings.pushStock(this.http, this.scope(session), updates))
  }

  getShippingParameters(session: ShopSession, orderId: string): Promise<ShippingParameters> {
    return atEdge(async () => logistics.getShippingParameters(this.http, this.scope(session), orderId))
  }

  shipOrder(session: ShopSession, input: ShipOrderInput): Promise<void> {
    return atEdge(async () => logistics.shipOrder(this.http, this.scope(session), input))
  }

  getShipment(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShipmentInfo> {
    return atEdge(async () => logistics.getShipment(this.http, this.scope(session), orderId, packageId))
  }

  getShippingDocument(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingDocument | null> {
    return atEdge(async () => logistics.getShippingDocument(this.http, this.scope(session), orderId, packageId))
  }

  /** Reverse orders of type RETURN and ONLY_REFUND (CANCEL ones are order changes), by line update time. */
  listReturns(session: ShopSession, input: { updated_from: Date; updated_to: Date; page_token?: string | null }): Promise<Page<MarketplaceReturn>> {
    return atEdge(async () => returns.listReturns(this.http, this.scope(session), input))
  }

  getReturn(session: ShopSession, reverseOrderId: string): Promise<MarketplaceReturn> {
    return atEdge(async () => returns.getReturn(this.http, this.scope(session), reverseOrderId))
  }

  acceptReturn(session: ShopSession, reverseOrderId: string): Promise<void> {
    return atEdge(async () => returns.acceptReturn(this.http, this.scope(session), reverseOrderId))
  }

  disputeReturn(session: ShopSession, reverseOrderId: string, input: DisputeReturnInput): Promise<void> {
    return atEdge(async () => returns.disputeReturn(this.http, this.scope(session), reverseOrderId, input))
  }

  /** Refunded once Lazada shows REFUND_SUCCESS (closed or not); see returns.ts. */
  returnOutcome(ret: Pick<MarketplaceReturn, "status" | "external_status" | "refunded">, previous: PreviousReturnState | null): ReturnOutcome {
    return returns.lazadaReturnOutcome(ret, previous)
  }

  /** Lazada's orders settle on delivery (there is no completion): their escrow is fetched once delivered. */
  readonly settled_statuses: readonly OrderStatus[] = ["delivered", "completed"]

  /** Capability `settlement`: each order's rows of QueryTransactionDetails (finance.ts). */
  getEscrows(session: ShopSession, externalOrderIds: string[]): Promise<MarketplaceEscrow[]> {
    return atEdge(async () => finance.getEscrows(this.http, this.scope(session), externalOrderIds, this.options.now()))
  }

  pushPrice(session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]> {
    return atEdge(async () => listings.pushPrice(this.http, this.scope(session), updates))
  }

  private scope(session: ShopSession): LazadaScope & { kind: "shop" } {
    return orders.shopScope(session, this.options.apiUrlTemplate) as LazadaScope & { kind: "shop" }
  }

  orderUrl(session: Pick<ShopSession, "shop_id" | "region">, orderId: string): string | null {
    const host = LAZADA_SELLER_CENTERS[(session.region ?? "").toLowerCase()]
    return host ? `${host}/apps/order/detail?tradeOrderId=${encodeURIComponent(orderId)}` : null
  }
}
