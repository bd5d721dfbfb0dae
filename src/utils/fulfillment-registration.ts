import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { marketplaceFulfillmentProviderId } from "../providers/marketplace-fulfillment/constants"

export type FulfillmentRegistration = {
  registered: boolean
  provider_id: string
  /** What to add to medusa-config.ts; null when the provider is registered. */
  message: string | null
}

export const FULFILLMENT_NOT_REGISTERED_MESSAGE =
  "The marketplace fulfillment provider is not registered: add " +
  '{ resolve: "medusa-marketplace-sync/providers/marketplace-fulfillment", id: "marketplace" } ' +
  'to the providers of the fulfillment module ("@medusajs/medusa/fulfillment") in medusa-config.ts, next to ' +
  '{ resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" }, and restart. Until then shipped marketplace ' +
  "orders are imported without a fulfilment (their tracking number is kept on the order link) and cannot be " +
  "fulfilled from the admin."

/**
 * Whether the app registered the plugin's fulfillment provider. Medusa keeps a provider row once it was
 * registered and only disables it when the registration is removed, so a disabled row counts as missing.
 *
 * @example
 * const { registered, message } = await marketplaceFulfillmentRegistration(container)
 */
export async function marketplaceFulfillmentRegistration(container: MedusaContainer): Promise<FulfillmentRegistration> {
  const providerId = marketplaceFulfillmentProviderId()
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "fulfillment_provider",
    fields: ["id", "is_enabled"],
    filters: { id: providerId },
  })
  const provider = (data as unknown as { id: string; is_enabled: boolean | null }[])[0]
  const registered = !!provider && provider.is_enabled !== false
  return { registered, provider_id: providerId, message: registered ? null : FULFILLMENT_NOT_REGISTERED_MESSAGE }
}
