import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import {
  marketplaceFulfillmentProviderId,
  type MarketplaceFulfillmentData,
} from "../../../../providers/marketplace-fulfillment/constants"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"

/** A fulfilment of the marketplace provider, or a 404. */
export async function retrieveMarketplaceFulfillment(container: MedusaContainer, id: string) {
  const fulfillments = container.resolve(Modules.FULFILLMENT)
  const [fulfillment] = await fulfillments.listFulfillments({ id }, { relations: ["labels"] })
  if (!fulfillment || fulfillment.provider_id !== marketplaceFulfillmentProviderId()) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Marketplace fulfillment with id: ${id} was not found`)
  }
  return fulfillment
}

/**
 * What the admin sees of a marketplace fulfilment: its marketplace state, never the document's content. The
 * follow-up is its row in the module's follow-up queue while that is not done.
 */
export async function presentFulfillment(
  container: MedusaContainer,
  fulfillment: Awaited<ReturnType<typeof retrieveMarketplaceFulfillment>>
) {
  const data = (fulfillment.data ?? {}) as unknown as MarketplaceFulfillmentData
  const [followUp] = await container
    .resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    .listFulfillmentFollowUps(
      { fulfillment_id: fulfillment.id },
      { select: ["status", "attempts", "next_attempt_at", "last_error"] }
    )
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
      follow_up:
        followUp && followUp.status !== "done"
          ? {
              status: followUp.status,
              tracking: !data.tracking_number,
              document: !data.document,
              // Attempts finished: the claim counts the one in progress.
              attempts: followUp.status === "processing" ? followUp.attempts - 1 : followUp.attempts,
              next_attempt_at: followUp.next_attempt_at,
              last_error: followUp.last_error,
            }
          : null,
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
