/** The provider's identifier (`static identifier`). */
export const MARKETPLACE_FULFILLMENT_IDENTIFIER = "marketplace"

/** The one fulfillment option the provider offers: the marketplace's own logistics. */
export const MARKETPLACE_FULFILLMENT_OPTION_ID = "marketplace-logistics"

/**
 * The id Medusa gives the provider: `<identifier>_<registration id>` ("marketplace_marketplace" when it is
 * registered with `id: "marketplace"`, as the README shows).
 */
export const marketplaceFulfillmentProviderId = (registrationId = MARKETPLACE_FULFILLMENT_IDENTIFIER) =>
  `${MARKETPLACE_FULFILLMENT_IDENTIFIER}_${registrationId}`

/**
 * What a marketplace fulfillment keeps in its `data`: which order on which shop it ships, how it was handed
 * over, and the follow-up state (tracking number, shipping document).
 */
export type MarketplaceFulfillmentData = {
  connection_id: string
  external_order_id: string
  package_id?: string | null
  /** "marketplace": the marketplace shipped it and told us; "medusa": the merchant shipped it from Medusa. */
  origin: "marketplace" | "medusa"
  ship_method?: string | null
  shipped_at?: string | null
  carrier?: string | null
  tracking_number?: string | null
  /**
   * Written by earlier versions: the follow-up's state is now a row of the module's follow-up queue
   * (`marketplace_fulfillment_follow_up`), and a follow-up attempt clears this.
   */
  follow_up?: {
    tracking: boolean
    document: boolean
    attempts: number
    next_attempt_at: string | null
    last_error: string | null
  } | null
  document?: {
    file_id: string
    file_name: string
    content_type: string
    sha256: string
    size: number
    stored_at: string
  } | null
}

/**
 * `additional_data` a caller of createOrderFulfillmentWorkflow may pass for a marketplace order:
 * `marketplace_shipped: true` records a shipment the marketplace already made (no call to the marketplace);
 * `ship_method` overrides the connection's handover choice; `ship_details` passes the inputs the method declares
 * (Shopee: address id, pickup time id, branch id).
 */
export type MarketplaceFulfillmentAdditionalData = {
  marketplace_shipped?: boolean
  marketplace_package_id?: string | null
  marketplace_carrier?: string | null
  marketplace_tracking_number?: string | null
  /** One of the connection's provider's `vocabulary.ship_methods`. */
  ship_method?: string
  ship_details?: Record<string, unknown>
}
