import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
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

/**
 * Refuses, with a 400 that says what to do, to fulfil a marketplace order Medusa cannot fulfil: the plugin's
 * fulfillment provider is not registered, or the order has no shipping option to fulfil on (imported while the
 * connection had none) and the request names none. Without this Medusa answers 500 on its missing option.
 * Other orders pass untouched.
 *
 * @example
 * await checkMarketplaceFulfillmentPossible(req.scope, req.params.id, req.body?.shipping_option_id)
 */
export async function checkMarketplaceFulfillmentPossible(
  container: MedusaContainer,
  orderId: string,
  requestedOptionId: string | undefined
): Promise<void> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "metadata", "shipping_methods.shipping_option_id"],
    filters: { id: orderId },
  })
  const order = (data as unknown as { metadata: Record<string, unknown> | null; shipping_methods?: { shipping_option_id: string | null }[] | null }[])[0]
  if (!order || typeof order.metadata?.marketplace_connection_id !== "string") {
    return
  }
  const registration = await marketplaceFulfillmentRegistration(container)
  if (!registration.registered) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Order ${orderId} is a marketplace order and cannot be fulfilled: ${registration.message}`
    )
  }
  const hasOption = (order.shipping_methods ?? []).some((m) => !!m?.shipping_option_id)
  if (!hasOption && !requestedOptionId) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Order ${orderId} is a marketplace order without a shipping option (it was imported while its connection had ` +
        `none): give the connection a stock location, then fulfil it with shipping_option_id set to the connection's ` +
        `marketplace logistics option`
    )
  }
}
