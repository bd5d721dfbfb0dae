import { container as appContainer } from "@medusajs/framework"
import type {
  CalculatedShippingOptionPrice,
  CreateFulfillmentResult,
  FulfillmentDTO,
  FulfillmentItemDTO,
  FulfillmentOption,
  FulfillmentOrderDTO,
  Logger,
} from "@medusajs/framework/types"
import { AbstractFulfillmentProviderService, MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { shipOnMarketplace } from "./shipping-outbound"
import { checkShipDetails, shipMethodOf } from "../vocabulary"
import {
  MARKETPLACE_FULFILLMENT_IDENTIFIER,
  MARKETPLACE_FULFILLMENT_OPTION_ID,
  type MarketplaceFulfillmentAdditionalData,
  type MarketplaceFulfillmentData,
} from "./constants"

type Dependencies = { logger: Logger }

/** The merchant's choices a fulfilment request may carry in `additional_data` (other keys are left to others). */
const AdditionalData = z.looseObject({
  marketplace_shipped: z.boolean().optional(),
  marketplace_package_id: z.string().nullish(),
  marketplace_carrier: z.string().nullish(),
  marketplace_tracking_number: z.string().nullish(),
  ship_method: z.string().trim().min(1).optional(),
  ship_details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})

function invalidAdditionalData(field: string, message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid additional_data for marketplace logistics: ${field}: ${message}`)
}

/** The ship method and its details, checked against the words the connection's provider declares. */
async function checkShipChoice(connectionId: string, extra: MarketplaceFulfillmentAdditionalData): Promise<void> {
  if (!extra.ship_method && !extra.ship_details) {
    return
  }
  const provider = await appContainer
    .resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    .retrieveConnectionProvider(connectionId)
  const check = (field: string, run: () => void) => {
    try {
      run()
    } catch (error) {
      throw error instanceof MedusaError ? invalidAdditionalData(field, error.message) : error
    }
  }
  if (extra.ship_method) {
    check("ship_method", () => shipMethodOf(provider, extra.ship_method as string))
  }
  check("ship_details", () => checkShipDetails(provider, extra.ship_method, extra.ship_details))
}

function parseAdditionalData(value: Record<string, unknown> | undefined): MarketplaceFulfillmentAdditionalData {
  const parsed = AdditionalData.safeParse(value ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalidAdditionalData(issue.path.join(".") || "value", issue.message)
  }
  return parsed.data as MarketplaceFulfillmentAdditionalData
}

/** The marketplace order a Medusa order stands for, from the metadata the import wrote. */
function marketplaceOrderOf(order: Partial<FulfillmentOrderDTO> | undefined): { connection_id: string; external_order_id: string } {
  const metadata = (order as { metadata?: Record<string, unknown> | null } | undefined)?.metadata ?? {}
  const connectionId = metadata.marketplace_connection_id
  const externalOrderId = metadata.marketplace_order_id
  if (typeof connectionId !== "string" || typeof externalOrderId !== "string") {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Order ${order?.id ?? ""} is not a marketplace order: marketplace logistics can only ship orders imported from a marketplace`
    )
  }
  return { connection_id: connectionId, external_order_id: externalOrderId }
}

/**
 * Fulfilment through the marketplace's own logistics (Shopee's SLS / SPX and their 3PLs). Each connection has
 * one shipping option on this provider; imported orders' shipping methods reference it, so Medusa's own
 * fulfilment, shipment and delivery flows work on marketplace orders.
 *
 * - A fulfilment the marketplace already made (imported: `additional_data.marketplace_shipped`) is only
 *   recorded: nothing is sent.
 * - A fulfilment the merchant creates in Medusa arranges the shipment on the marketplace (Shopee: shipping
 *   parameter -> ship order, pickup or drop-off). A refusal throws, so Medusa keeps no fulfilment that looks
 *   shipped but is not; the tracking number and shipping document follow later (see src/workflows/shipping/utils/shipping-follow-up.ts).
 *
 * The provider lives in the fulfillment module; it reaches the marketplace module through the application
 * container, as every marketplace call needs the connection's credentials.
 */
export class MarketplaceFulfillmentProvider extends AbstractFulfillmentProviderService {
  static identifier = MARKETPLACE_FULFILLMENT_IDENTIFIER

  protected readonly logger_: Logger

  constructor({ logger }: Dependencies) {
    super()
    this.logger_ = logger
  }

  async getFulfillmentOptions(): Promise<FulfillmentOption[]> {
    return [{ id: MARKETPLACE_FULFILLMENT_OPTION_ID, name: "Marketplace logistics" }]
  }

  async validateOption(data: Record<string, unknown>): Promise<boolean> {
    return data.id === undefined || data.id === MARKETPLACE_FULFILLMENT_OPTION_ID
  }

  async validateFulfillmentData(
    _optionData: Record<string, unknown>,
    data: Record<string, unknown>
  ): Promise<Record<string, unknown>> {
    return data
  }

  async canCalculate(): Promise<boolean> {
    return false
  }

  async calculatePrice(): Promise<CalculatedShippingOptionPrice> {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Marketplace logistics has no calculated price: the marketplace sets what the buyer pays for shipping"
    )
  }

  async createFulfillment(
    _data: Record<string, unknown>,
    items: Partial<Omit<FulfillmentItemDTO, "fulfillment">>[],
    order: Partial<FulfillmentOrderDTO> | undefined,
    fulfillment: Partial<Omit<FulfillmentDTO, "provider_id" | "data" | "items">>,
    additionalData?: Record<string, unknown>
  ): Promise<CreateFulfillmentResult> {
    const target = marketplaceOrderOf(order)
    const extra = parseAdditionalData(additionalData)
    const now = new Date().toISOString()

    if (extra.marketplace_shipped) {
      const tracking = extra.marketplace_tracking_number ?? null
      const data: MarketplaceFulfillmentData = {
        ...target,
        origin: "marketplace",
        package_id: extra.marketplace_package_id ?? null,
        carrier: extra.marketplace_carrier ?? null,
        tracking_number: tracking,
        shipped_at: now,
        follow_up: null,
        document: null,
      }
      return { data, labels: [] }
    }

    await checkShipChoice(target.connection_id, extra)
    const outcome = await shipOnMarketplace(appContainer, {
      ...target,
      method: extra.ship_method,
      details: extra.ship_details,
      package_id: extra.marketplace_package_id ?? null,
      line_item_ids: items.map((i) => i.line_item_id).filter((id): id is string => !!id),
    })
    this.logger_.info(
      `Marketplace order ${target.external_order_id} (connection ${target.connection_id}) ${
        outcome.already_arranged ? "was already arranged on the marketplace" : `was arranged for ${outcome.method}`
      }`
    )
    const data: MarketplaceFulfillmentData = {
      ...target,
      origin: "medusa",
      package_id: outcome.package_id,
      ship_method: outcome.method,
      carrier: outcome.carrier,
      tracking_number: null,
      shipped_at: now,
      document: null,
    }
    // Arranged on the marketplace: its tracking number and shipping document are followed up from now on,
    // even if the fulfilment-created event that tries at once is lost (a follow-up of a fulfilment whose
    // creation is then rolled back finds it gone and ends).
    if (fulfillment.id) {
      await appContainer.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).enqueueFulfillmentFollowUp({
        fulfillment_id: fulfillment.id,
        connection_id: target.connection_id,
        external_order_id: target.external_order_id,
      })
    } else {
      this.logger_.warn(`Marketplace order ${target.external_order_id}: the fulfilment has no id yet, its tracking is not followed up`)
    }
    return { data, labels: [] }
  }

  /** The marketplace has no "un-arrange": a cancelled Medusa fulfilment changes nothing there. */
  async cancelFulfillment(): Promise<Record<string, unknown>> {
    return {}
  }

  async createReturnFulfillment(): Promise<CreateFulfillmentResult> {
    return { data: {}, labels: [] }
  }
}
