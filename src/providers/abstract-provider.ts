import { MarketplaceApiError } from "./errors"
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
  MarketplaceProvider,
  MarketplaceReturn,
  MissedEvents,
  OrderRef,
  Page,
  ParsedWebhookEvent,
  PreviousReturnState,
  PriceUpdate,
  ProviderDependencies,
  ProviderLimits,
  ProviderVocabulary,
  PushResult,
  RefreshTokenInput,
  ReturnOutcome,
  ReturnStatus,
  ShipmentInfo,
  ShipOrderInput,
  ShippingDocument,
  ShippingParameters,
  ShopSession,
  StockUpdate,
  TokenSet,
  WebhookRequest,
  WebhookVerification,
} from "./types"

/** The plugin's return statuses read without any platform rule; a provider overrides `returnOutcome` where its states say more. */
const OUTCOME_BY_STATUS: Record<ReturnStatus, ReturnOutcome> = {
  requested: "open",
  processing: "open",
  disputed: "open",
  accepted: "refunded",
  refunded: "refunded",
  cancelled: "not_refunded",
  closed: "not_refunded",
}

/**
 * The base of every marketplace provider, as Medusa's `AbstractPaymentProvider` is for payment providers:
 * constructed with `(deps, options)`, a static `identifier` (the platform id) and a static `validateOptions`
 * that Medusa's provider loader calls once at start-up.
 *
 * A platform implements what every platform has (authorization, webhooks, the order list and details, listings
 * and stock) and overrides what it offers beyond that. The defaults:
 * - no missed-event list (the scheduled pull covers lost pushes) and no seller-centre link;
 * - no returns listed, no escrow reported;
 * - cancelling, shipping, shipping documents, accepting or disputing a return, price pushes: a
 *   `MarketplaceApiError` of kind `not_allowed` saying the operation is not supported by the platform, which
 *   the routes turn into a 400 with that message;
 * - return outcomes read from the plugin's statuses alone.
 *
 * @example
 * class AcmeProvider extends AbstractMarketplaceProvider<AcmeOptions> {
 *   static identifier = "acme"
 *   readonly id = "acme"
 *   readonly display_name = "Acme Market"
 *   ...
 * }
 */
export abstract class AbstractMarketplaceProvider<TOptions = Record<string, unknown>> implements MarketplaceProvider {
  /** The platform id, as Medusa requires of every module provider; a subclass sets it. */
  static identifier: string

  /** Checks the options once at start-up and throws with a message naming the option; nothing to check by default. */
  static validateOptions(_options: Record<string, unknown>): void {}

  abstract readonly id: string
  abstract readonly display_name: string
  abstract readonly limits: ProviderLimits
  abstract readonly vocabulary: ProviderVocabulary

  protected readonly logger_: ProviderDependencies["logger"]
  protected readonly options_: TOptions

  protected constructor(deps: ProviderDependencies, options: TOptions) {
    this.logger_ = deps.logger
    this.options_ = options
  }

  /** The error of an operation this platform does not offer: kind `not_allowed`, never retried. */
  protected notSupported(operation: string): MarketplaceApiError {
    return new MarketplaceApiError("not_allowed", `${operation} is not supported by ${this.display_name}`, {
      code: "not_supported",
    })
  }

  abstract getAuthorizationUrl(input: AuthorizationUrlInput): Promise<{ url: string }>
  abstract exchangeCode(input: ExchangeCodeInput): Promise<AuthorizationGrant>
  abstract refreshToken(input: RefreshTokenInput): Promise<TokenSet>

  abstract verifyWebhook(request: WebhookRequest): WebhookVerification
  abstract parseWebhook(request: WebhookRequest): ParsedWebhookEvent[]

  async listMissedEvents(): Promise<MissedEvents> {
    return { events: [], ack_token: null }
  }

  async ackMissedEvents(_ackToken: string): Promise<void> {}

  abstract listChangedOrders(session: ShopSession, input: ListChangedOrdersInput): Promise<Page<OrderRef>>
  abstract getOrders(session: ShopSession, externalIds: string[], options?: GetOrdersOptions): Promise<MarketplaceOrder[]>

  async cancelOrder(_session: ShopSession, _input: CancelOrderInput): Promise<void> {
    throw this.notSupported("Cancelling an order")
  }

  orderUrl(_session: Pick<ShopSession, "shop_id" | "region">, _externalOrderId: string): string | null {
    return null
  }

  async getShippingParameters(_session: ShopSession, _orderId: string, _packageId?: string | null): Promise<ShippingParameters> {
    throw this.notSupported("Arranging a shipment")
  }

  async shipOrder(_session: ShopSession, _input: ShipOrderInput): Promise<void> {
    throw this.notSupported("Arranging a shipment")
  }

  async getShipment(_session: ShopSession, _orderId: string, _packageId?: string | null): Promise<ShipmentInfo> {
    throw this.notSupported("Reading a shipment")
  }

  async getShippingDocument(_session: ShopSession, _orderId: string, _packageId?: string | null): Promise<ShippingDocument | null> {
    throw this.notSupported("Printing a shipping document")
  }

  async listReturns(
    _session: ShopSession,
    _input: { updated_from: Date; updated_to: Date; page_token?: string | null }
  ): Promise<Page<MarketplaceReturn>> {
    return { items: [], next_page_token: null }
  }

  async getReturn(_session: ShopSession, _returnId: string): Promise<MarketplaceReturn> {
    throw this.notSupported("Reading a return")
  }

  async acceptReturn(_session: ShopSession, _returnId: string): Promise<void> {
    throw this.notSupported("Accepting a return")
  }

  async disputeReturn(_session: ShopSession, _returnId: string, _input: DisputeReturnInput): Promise<void> {
    throw this.notSupported("Disputing a return")
  }

  returnOutcome(ret: Pick<MarketplaceReturn, "status" | "external_status">, _previous: PreviousReturnState | null): ReturnOutcome {
    return OUTCOME_BY_STATUS[ret.status]
  }

  abstract listListings(session: ShopSession, input: { page_token?: string | null }): Promise<Page<MarketplaceListing>>
  abstract pushStock(session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]>

  async pushPrice(_session: ShopSession, _updates: PriceUpdate[]): Promise<PushResult[]> {
    throw this.notSupported("Pushing prices")
  }

  async getEscrows(_session: ShopSession, _externalOrderIds: string[]): Promise<MarketplaceEscrow[]> {
    return []
  }
}
