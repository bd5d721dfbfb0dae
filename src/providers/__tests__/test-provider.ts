import { AbstractMarketplaceProvider } from "../abstract-provider"
import type {
  AuthorizationGrant,
  MarketplaceListing,
  MarketplaceOrder,
  OrderRef,
  Page,
  ParsedWebhookEvent,
  ProviderDependencies,
  ProviderVocabulary,
  PushResult,
  TokenSet,
  WebhookVerification,
} from "../types"

export const TEST_VOCABULARY: ProviderVocabulary = {
  cancel_reasons: [
    { id: "no_stock", label: "No stock", names_items: true },
    { id: "buyer_asked", label: "Buyer asked", names_items: false },
  ],
  default_cancel_reason: "no_stock",
  ship_methods: [
    { id: "courier", label: "Courier", connection_default: true, inputs: [{ id: "slot", label: "Slot", required: false }] },
    { id: "own_fleet", label: "Own fleet", connection_default: false, inputs: [{ id: "tracking", label: "Tracking", required: true }] },
  ],
  dispute_reasons: {
    entries: [{ id: "damaged_by_buyer", label: "Damaged by the buyer" }],
    pattern: "^R-\\d+$",
    hint: "Acme Market expects one of its listed reasons or a reason id like R-12",
  },
  return_solutions: [
    { id: "send_back", label: "Send back", restock: true },
    { id: "keep_it", label: "Keep it", restock: false },
  ],
  fee_kinds: [
    { id: "platform_cut", label: "Platform cut", seller_pays: true, group: "commission" },
    { id: "free_shipping_subsidy", label: "Free shipping subsidy", seller_pays: false, group: "shipping" },
  ],
  single_model_id: null,
  order_channels: [],
}

export type TestOptions = { apiKey: string }

/** The least a platform must implement; everything else comes from the base class. */
export class TestProvider extends AbstractMarketplaceProvider<TestOptions> {
  static identifier = "acme"

  readonly id = "acme"
  readonly display_name = "Acme Market"
  readonly limits = {
    order_list_window_seconds: 86400,
    order_list_page_size: 50,
    order_detail_batch: 50,
    escrow_batch: 50,
    stock_batch: 50,
    price_batch: 50,
    token_refresh_margin_seconds: 300,
  }
  readonly vocabulary = TEST_VOCABULARY

  constructor(deps: ProviderDependencies, options: TestOptions) {
    super(deps, options)
  }

  /** What the base class kept of the construction, for the tests. */
  constructed(): { options: TestOptions; logger: ProviderDependencies["logger"] } {
    return { options: this.options_, logger: this.logger_ }
  }

  async getAuthorizationUrl(): Promise<{ url: string }> {
    return { url: "https://acme.example/authorize" }
  }
  async exchangeCode(): Promise<AuthorizationGrant> {
    throw new Error("not used")
  }
  async refreshToken(): Promise<TokenSet> {
    throw new Error("not used")
  }
  verifyWebhook(): WebhookVerification {
    return { valid: true }
  }
  parseWebhook(): ParsedWebhookEvent[] {
    return []
  }
  async listChangedOrders(): Promise<Page<OrderRef>> {
    return { items: [], next_page_token: null }
  }
  async getOrders(): Promise<MarketplaceOrder[]> {
    return []
  }
  async listListings(): Promise<Page<MarketplaceListing>> {
    return { items: [], next_page_token: null }
  }
  async pushStock(): Promise<PushResult[]> {
    return []
  }
}

export const silentLogger: ProviderDependencies["logger"] = { info() {}, warn() {}, error() {}, debug() {} }
