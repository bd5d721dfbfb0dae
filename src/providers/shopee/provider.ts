import { MathBN } from "@medusajs/framework/utils"
import { atEdge, type ProviderKitDependencies, toMarketplaceError } from "../kit"
import type {
  AuthorizationUrlInput,
  AuthorizationGrant,
  CancelOrderInput,
  DisputeReturnInput,
  ExchangeCodeInput,
  GetOrdersOptions,
  ListChangedOrdersInput,
  MarketplaceEscrow,
  MarketplaceListing,
  MarketplaceOrder,
  MarketplaceReturn,
  MissedEvents,
  OrderRef,
  Page,
  ParsedWebhookEvent,
  PreviousReturnState,
  PriceUpdate,
  ProviderLimits,
  ProviderVocabulary,
  PushResult,
  RefreshTokenInput,
  ReturnOutcome,
  ShipmentInfo,
  ShipOrderInput,
  ShippingDocument,
  ShippingParameters,
  ShopSession,
  StockUpdate,
  TokenSet,
  WebhookRequest,
  WebhookVerification,
} from "../types"
import { AbstractMarketplaceProvider } from "../abstract-provider"
import * as auth from "./auth"
import { ShopeeClient } from "./client"
import * as listings from "./listings"
import { SHOPEE_LIMITS } from "./limits"
import * as logistics from "./logistics"
import * as missed from "./missed-events"
import { resolveShopeeOptions, validateShopeeOptions } from "./options"
import * as orders from "./orders"
import { parsePush, verifyPush } from "./push"
import { sellerCentreForRegion } from "./regions"
import * as returns from "./returns"
import type { ResolvedShopeeOptions, ShopeeProviderOptions } from "./types"
import { SHOPEE_VOCABULARY } from "./vocabulary"

/** A return that passed through these was refunded before Shopee closed it. */
const REFUNDED_BEFORE = new Set(["accepted", "refunded"])

/**
 * The Shopee Open Platform v2 provider. One instance serves every Shopee connection of the process; calls are
 * rate-limited per connection in the module's rate-limit store (shared by every process when it is Redis). Every
 * method maps Shopee's errors to `MarketplaceApiError` at its edge.
 */
export class ShopeeProvider extends AbstractMarketplaceProvider<ShopeeProviderOptions> {
  static readonly identifier = "shopee"
  static readonly displayName = "Shopee"
  static readonly requiredOptions = [
    { option: "partnerId", env: "SHOPEE_PARTNER_ID" },
    { option: "partnerKey", env: "SHOPEE_PARTNER_KEY" },
  ] as const

  readonly id = "shopee"
  readonly display_name = "Shopee"
  readonly limits: ProviderLimits = SHOPEE_LIMITS
  readonly vocabulary: ProviderVocabulary = SHOPEE_VOCABULARY

  protected readonly options: ResolvedShopeeOptions
  protected readonly client: ShopeeClient

  /** Throws with a message naming the missing or invalid option. */
  static validateOptions(options: Record<string, unknown>): void {
    validateShopeeOptions(options)
  }

  /** `deps.rateLimits` is the module's shared store (Redis when configured); without it, calls are counted in memory. */
  constructor(deps: ProviderKitDependencies, options: ShopeeProviderOptions) {
    super(deps, options)
    this.options = resolveShopeeOptions(options)
    this.client = new ShopeeClient(this.options, deps.logger, deps.rateLimits)
  }

  getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }> {
    return atEdge(async () => auth.authorizationUrl(this.client, input))
  }

  extractState(params: Record<string, string>): string | null {
    return auth.extractState(params)
  }

  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizationGrant> {
    return atEdge(() => auth.exchangeCode(this.client, input))
  }

  refreshToken(input: RefreshTokenInput): Promise<TokenSet> {
    return atEdge(() => auth.refreshToken(this.client, input))
  }

  verifyWebhook(request: WebhookRequest): WebhookVerification {
    return verifyPush(request, this.options.pushKey)
  }

  parseWebhook(request: WebhookRequest): ParsedWebhookEvent[] {
    try {
      return parsePush(request)
    } catch (error) {
      throw toMarketplaceError(error)
    }
  }

  listMissedEvents(): Promise<MissedEvents> {
    return atEdge(() => missed.listMissedEvents(this.client, this.logger_))
  }

  ackMissedEvents(ackToken: string): Promise<void> {
    return atEdge(() => missed.ackMissedEvents(this.client, ackToken))
  }

  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>> {
    return atEdge(() => orders.listChangedOrders(this.client, session, input))
  }

  getOrders(session: ShopSession, externalIds: string[], options?: GetOrdersOptions): Promise<MarketplaceOrder[]> {
    return atEdge(() => orders.getOrders(this.client, session, externalIds, options))
  }

  fillTrackingNumbers(session: ShopSession, list: MarketplaceOrder[]): Promise<void> {
    return atEdge(() => orders.fillTrackingNumbers(this.client, session, list))
  }

  getEscrows(session: ShopSession, externalOrderIds: string[]): Promise<MarketplaceEscrow[]> {
    return atEdge(() => orders.getEscrows(this.client, session, externalOrderIds))
  }

  cancelOrder(session: ShopSession, input: CancelOrderInput): Promise<void> {
    return atEdge(() => orders.cancelOrder(this.client, session, input))
  }

  getShippingParameters(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingParameters> {
    return atEdge(() => logistics.getShippingParameters(this.client, session, orderId, packageId))
  }

  shipOrder(session: ShopSession, input: ShipOrderInput): Promise<void> {
    return atEdge(() => logistics.shipOrder(this.client, session, input))
  }

  getShipment(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShipmentInfo> {
    return atEdge(() => logistics.getShipment(this.client, session, orderId, packageId))
  }

  getShippingDocument(session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingDocument | null> {
    return atEdge(() => logistics.getShippingDocument(this.client, session, orderId, packageId))
  }

  listReturns(
    session: ShopSession,
    input: { updated_from: Date; updated_to: Date; page_token?: string | null }
  ): Promise<Page<MarketplaceReturn>> {
    return atEdge(() => returns.listReturns(this.client, session, input))
  }

  getReturn(session: ShopSession, returnId: string): Promise<MarketplaceReturn> {
    return atEdge(() => returns.getReturn(this.client, session, returnId))
  }

  acceptReturn(session: ShopSession, returnId: string): Promise<void> {
    return atEdge(() => returns.acceptReturn(this.client, session, returnId))
  }

  disputeReturn(session: ShopSession, returnId: string, input: DisputeReturnInput): Promise<void> {
    return atEdge(() => returns.disputeReturn(this.client, session, returnId, input))
  }

  /**
   * Shopee publishes no refund status: a return it CLOSED was refunded when it passed through ACCEPTED (or a
   * refund was recorded for it) before, or when the order's escrow shows the refund paid (`refunded`, set by
   * the return fetch: an ACCEPTED state that came and went between two pulls is never seen); otherwise it
   * was closed without a refund.
   */
  returnOutcome(ret: Pick<MarketplaceReturn, "status" | "external_status" | "refunded">, previous: PreviousReturnState | null): ReturnOutcome {
    if (ret.status !== "closed") {
      return super.returnOutcome(ret, previous)
    }
    const refundedBefore =
      !!previous && (REFUNDED_BEFORE.has(previous.status) || MathBN.gt(previous.refunded_amount ?? 0, 0))
    return refundedBefore || ret.refunded === true ? "refunded" : "not_refunded"
  }

  listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>> {
    return atEdge(() => listings.listListings(this.client, session, input))
  }

  pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]> {
    return atEdge(() => listings.pushStock(this.client, session, updates))
  }

  pushPrice(session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]> {
    return atEdge(() => listings.pushPrice(this.client, session, updates))
  }

  /** A Seller Centre link (template option, or the region's Seller Centre search). */
  orderUrl(session: Pick<ShopSession, "shop_id" | "region">, orderId: string): string | null {
    const template =
      this.options.sellerCentreUrl ??
      (sellerCentreForRegion(session.region) ? `${sellerCentreForRegion(session.region)}/portal/sale/order?keyword={order_sn}` : null)
    if (!template) {
      return null
    }
    return template
      .replace(/\{order_sn\}/g, encodeURIComponent(orderId))
      .replace(/\{shop_id\}/g, encodeURIComponent(session.shop_id))
      .replace(/\{region\}/g, encodeURIComponent((session.region ?? "").toLowerCase()))
  }
}
