import { MathBN } from "@medusajs/framework/utils"
import { AbstractMarketplaceProvider } from "../abstract-provider"
import { atEdge, type ProviderKitDependencies, toMarketplaceError } from "../kit"
import type {
  AuthorizationGrant,
  AuthorizationUrlInput,
  CancelOrderInput,
  DisputeReturnInput,
  ExchangeCodeInput,
  ListChangedOrdersInput,
  MarketplaceEscrow,
  MarketplaceListing,
  MarketplaceOrder,
  MarketplaceReturn,
  OrderRef,
  Page,
  ParsedWebhookEvent,
  PreviousReturnState,
  ProviderLimits,
  ProviderVocabulary,
  PriceUpdate,
  PushResult,
  RefreshTokenInput,
  ReturnOutcome,
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
import * as auth from "./auth"
import * as catalog from "./catalog"
import * as finance from "./finance"
import { TiktokShopHttp } from "./http"
import { TIKTOK_SHOP_LIMITS } from "./limits"
import * as logistics from "./logistics"
import { resolveTiktokShopOptions, validateTiktokShopOptions } from "./options"
import * as orders from "./orders"
import { parseTiktokWebhook, verifyTiktokWebhook } from "./push"
import * as returns from "./returns"
import type { ResolvedTiktokShopOptions, TiktokShopProviderOptions } from "./types"
import { TIKTOK_SHOP_VOCABULARY } from "./vocabulary"

/**
 * The TikTok Shop Open API provider (Tokopedia shops included: since the migration they are TikTok Shop shops
 * in region ID). One grant covers every shop of a seller; each connection keeps its shop's cipher in its
 * metadata, sent as `shop_cipher` on shop-scoped calls.
 */
export class TiktokShopProvider extends AbstractMarketplaceProvider<TiktokShopProviderOptions> {
  static readonly identifier = "tiktok-shop"
  static readonly displayName = "TikTok Shop"
  static readonly requiredOptions = [
    { option: "appKey", env: "TIKTOK_SHOP_APP_KEY" },
    { option: "appSecret", env: "TIKTOK_SHOP_APP_SECRET" },
    { option: "serviceId", env: "TIKTOK_SHOP_SERVICE_ID" },
  ] as const

  readonly id = "tiktok-shop"
  readonly display_name = "TikTok Shop"
  readonly limits: ProviderLimits = TIKTOK_SHOP_LIMITS
  readonly vocabulary: ProviderVocabulary = TIKTOK_SHOP_VOCABULARY

  protected readonly options: ResolvedTiktokShopOptions
  protected readonly http: TiktokShopHttp
  /** Adjustments of closed statements, read once per process (finance.ts). */
  private readonly closedStatements = new finance.ClosedStatementAdjustments()

  static validateOptions(options: Record<string, unknown>): void {
    validateTiktokShopOptions(options)
  }

  constructor(deps: ProviderKitDependencies, options: TiktokShopProviderOptions) {
    super(deps, options)
    this.options = resolveTiktokShopOptions(options)
    this.http = new TiktokShopHttp(this.options, deps.logger, deps.rateLimits)
  }

  async getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }> {
    return { url: auth.authorizationUrl(this.options, input) }
  }

  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizationGrant> {
    return atEdge(() => auth.exchangeCode(this.http, this.options, input))
  }

  refreshToken(input: RefreshTokenInput): Promise<TokenSet> {
    return atEdge(() => auth.refreshToken(this.http, this.options, input))
  }

  verifyWebhook(request: WebhookRequest): WebhookVerification {
    return verifyTiktokWebhook(request, this.options.appKey, this.options.appSecret)
  }

  parseWebhook(request: WebhookRequest): ParsedWebhookEvent[] {
    try {
      return parseTiktokWebhook(request)
    } catch (error) {
      throw toMarketplaceError(error)
    }
  }

  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>> {
    return atEdge(() => orders.listChangedOrders(this.http, session, input))
  }

  getOrders(session: ShopSession, externalIds: string[]): Promise<MarketplaceOrder[]> {
    return atEdge(() => orders.getOrders(this.http, session, externalIds))
  }

  /** Capability `orders`: the seller's cancellation ("Cancel Order", orders.ts). */
  cancelOrder(session: ShopSession, input: CancelOrderInput): Promise<void> {
    return atEdge(() => orders.cancelOrder(this.http, session, input))
  }

  /** Capability `logistics`: Ship Package, the package's tracking number and its shipping label (logistics.ts). */
  getShippingParameters(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingParameters> {
    return atEdge(() => logistics.getShippingParameters(this.http, session, orderId, packageId))
  }

  shipOrder(session: ShopSession, input: ShipOrderInput): Promise<void> {
    return atEdge(() => logistics.shipOrder(this.http, session, input))
  }

  getShipment(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShipmentInfo> {
    return atEdge(() => logistics.getShipment(this.http, session, orderId, packageId))
  }

  getShippingDocument(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingDocument | null> {
    return atEdge(() => logistics.getShippingDocument(this.http, session, orderId, packageId))
  }

  listReturns(session: ShopSession, input: { updated_from: Date; updated_to: Date; page_token?: string | null }): Promise<Page<MarketplaceReturn>> {
    return atEdge(() => returns.listReturns(this.http, session, input))
  }

  getReturn(session: ShopSession, returnId: string): Promise<MarketplaceReturn> {
    return atEdge(() => returns.getReturn(this.http, session, returnId))
  }

  acceptReturn(session: ShopSession, returnId: string): Promise<void> {
    return atEdge(() => returns.acceptReturn(this.http, session, returnId))
  }

  disputeReturn(session: ShopSession, returnId: string, input: DisputeReturnInput): Promise<void> {
    return atEdge(() => returns.disputeReturn(this.http, session, returnId, input))
  }

  /**
   * Refunded in TikTok's refund statuses; ended without a refund when cancelled, replaced, or rejected for good
   * (unless a refund was already recorded); open otherwise. See returns.ts.
   */
  returnOutcome(ret: Pick<MarketplaceReturn, "status" | "external_status" | "refunded">, previous: PreviousReturnState | null): ReturnOutcome {
    const refundedBefore = !!previous && (previous.status === "refunded" || MathBN.gt(previous.refunded_amount ?? 0, 0))
    return returns.tiktokReturnOutcome(ret, refundedBefore)
  }

  listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>> {
    return atEdge(() => catalog.listListings(this.http, session, input.page_token))
  }

  pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]> {
    return atEdge(() => catalog.pushStock(this.http, session, updates))
  }

  /**
   * The order in the region's Seller Center (`seller-<region>.tiktok.com/order/detail?order_no=`); the docs
   * publish no link format, so this follows the Seller Center's own address.
   */
  orderUrl(session: Pick<ShopSession, "shop_id" | "region">, externalOrderId: string): string | null {
    const region = (session.region ?? "").toLowerCase()
    if (!/^[a-z]{2}$/.test(region)) return null
    return `https://seller-${region}.tiktok.com/order/detail?order_no=${encodeURIComponent(externalOrderId)}`
  }

  pushPrice(session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]> {
    return atEdge(() => catalog.pushPrice(this.http, session, updates))
  }

  /** Capability `settlement`: each settled order's transactions, and its adjustments from the daily statements (finance.ts). */
  getEscrows(session: ShopSession, externalOrderIds: string[]): Promise<MarketplaceEscrow[]> {
    return atEdge(() => finance.getEscrows(this.http, session, externalOrderIds, this.options.now(), this.closedStatements))
  }
}
