import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import {
  marketplaceFulfillmentProviderId,
  type MarketplaceFulfillmentData,
} from "../../../../providers/marketplace-fulfillment/constants"

/** A fulfilment of the marketplace provider, or a 404. */
export async function retrieveMarketplaceFulfillment(container: MedusaContainer, id: string) {
  const fulfillments = container.resolve(Modules.FULFILLMENT)
  const [fulfillment] = await fulfillments.listFulfillments({ id }, { relations: ["labels"] })
  if (!fulfillment || fulfillment.provider_id !== marketplaceFulfillmentProviderId()) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Marketplace fulfillment with id: ${id} was not found`)
  }
  return fulfillment
}

/** What the admin sees of a marketplace fulfilment: its marketplace state, never the document's content. */
export function presentFulfillment(fulfillment: Awaited<ReturnType<typeof retrieveMarketplaceFulfillment>>) {
  const data = (fulfillment.data ?? {}) as unknown as MarketplaceFulfillmentData
  return {
    id: fulfillment.id,
    location_id: fulfillment.location_id,
    shipped_at: fulfillment.shipped_at,
    delivered_at: fulfillment.delivered_at,
    canceled_at: fulfillment.canceled_at,
    labels: (fulfillment.labels ?? []).map((l) => ({
      tracking_number: l.tracking_number,
      tracking_url: l.tracking_url,
      label_url: l.label_url,
    })),
    marketplace: {
      connection_id: data.connection_id ?? null,
      external_order_id: data.external_order_id ?? null,
      package_id: data.package_id ?? null,
      origin: data.origin ?? null,
      ship_method: data.ship_method ?? null,
      carrier: data.carrier ?? null,
      tracking_number: data.tracking_number ?? null,
      follow_up: data.follow_up ?? null,
      shipping_document: data.document
        ? {
            file_name: data.document.file_name,
            content_type: data.document.content_type,
            sha256: data.document.sha256,
            size: data.document.size,
            stored_at: data.document.stored_at,
          }
        : null,
    },
  }
}
