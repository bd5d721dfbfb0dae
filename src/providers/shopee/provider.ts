import type {
  AuthorizationUrlInput,
  AuthorizedShop,
  CancelOrderInput,
  ExchangeCodeInput,
  ListChangedOrdersInput,
  MarketplaceEscrow,
  MarketplaceListing,
  MarketplaceOrder,
  MarketplaceProvider,
  MarketplaceReturn,
  OrderRef,
  Page,
  ParsedWebhookEvent,
  PriceUpdate,
  ProviderDependencies,
  ProviderLimits,
  PushResult,
  RefreshTokenInput,
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
import * as auth from "./auth"
import { ShopeeClient } from "./client"
import { atEdge, toMarketplaceError } from "./errors"
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

/**
 * The Shopee Open Platform v2 provider. One instance serves every Shopee connection of the process; the
 * per-connection rate limiters live in it. Every method maps Shopee's errors to `MarketplaceApiError` at its edge.
 */
export class ShopeeProvider implements MarketplaceProvider {
  static readonly identifier = "shopee"
  static readonly displayName = "Shopee"
  static readonly requiredOptions = [
    { option: "partnerId", env: "SHOPEE_PARTNER_ID" },
    { option: "partnerKey", env: "SHOPEE_PARTNER_KEY" },
  ] as const

  readonly id = "shopee"
  readonly display_name = "Shopee"
  readonly limits: ProviderLimits = SHOPEE_LIMITS

  protected readonly options: ResolvedShopeeOptions
  protected readonly client: ShopeeClient
  protected readonly logger: ProviderDependencies["logger"]

  /** Throws with a message naming the missing or invalid option. */
  static validateOptions(options: Record<string, unknown>): void {
    validateShopeeOptions(options)
  }

  constructor(deps: ProviderDependencies, options: ShopeeProviderOptions) {
    this.options = resolveShopeeOptions(options)
    this.logger = deps.logger
    this.client = new ShopeeClient(this.options, deps.logger)
  }

  getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }> {
    return atEdge(async () => auth.authorizationUrl(this.client, input))
  }

  extractState(params: Record<string, string>): string | null {
    return auth.extractState(params)
  }

  exchangeCode(input: ExchangeCodeInput): Promise<AuthorizedShop> {
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

  listMissedEvents(): Promise<{ events: ParsedWebhookEvent[]; ack_token: string | null }> {
    return atEdge(() => missed.listMissedEvents(this.client, this.logger))
  }

  ackMissedEvents(ackToken: string): Promise<void> {
    return atEdge(() => missed.ackMissedEvents(this.client, ackToken))
  }

  listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>> {
    return atEdge(() => orders.listChangedOrders(this.client, session, input))
  }

  getOrders(session: ShopSession, externalIds: string[]): Promise<MarketplaceOrder[]> {
    return atEdge(() => orders.getOrders(this.client, session, externalIds))
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

  disputeReturn(session: ShopSession, returnId: string, input: { reason: string; text?: string }): Promise<void> {
    return atEdge(() => returns.disputeReturn(this.client, session, returnId, input))
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
