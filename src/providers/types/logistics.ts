import type { ShopSession } from "./auth"

/** One of the provider's `vocabulary.ship_methods` ids ("pickup", "dropoff" on Shopee). */
export type ShipMethod = string

export interface ShipOrderInput {
  external_order_id: string
  package_id?: string | null
  /** Absent: the provider chooses among what the platform offers for this order. */
  method?: ShipMethod
  /** Method-specific choices, keyed as the method's `inputs` declare (address id, pickup time id, branch id...). */
  details?: Record<string, unknown>
}

export interface ShippingParameters {
  /** The methods the platform offers for this order (ids of `vocabulary.ship_methods`). */
  methods: ShipMethod[]
  /** The platform's raw choices for each method (addresses, time slots, branches). */
  raw: unknown
}

export interface ShipmentInfo {
  external_order_id: string
  package_id: string | null
  tracking_number: string | null
  carrier: string | null
  tracking_url?: string | null
}

export interface ShippingDocument {
  content: Buffer
  content_type: string
  file_name: string
}

/**
 * Capability `logistics`: arranging a shipment the merchant makes in Medusa ("ship order" on the platform),
 * then its tracking number and shipping document (airway bill).
 */
export interface MarketplaceLogistics {
  getShippingParameters(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShippingParameters>
  shipOrder(session: ShopSession, input: ShipOrderInput): Promise<void>
  getShipment(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShipmentInfo>
  /** Null while the platform cannot print it yet: the core asks again later. */
  getShippingDocument(session: ShopSession, external_order_id: string, package_id?: string | null): Promise<ShippingDocument | null>
}
