import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { marketplaceFulfillmentRegistration } from "../lib/fulfillment-registration"

/**
 * Says once after start-up when the app has not registered the plugin's fulfillment provider: a plugin has no
 * start-up hook of its own that can see another module, and without this nothing tells the merchant why
 * shipped marketplace orders have no fulfilment.
 */
export default async function checkMarketplaceFulfillmentProviderJob(container: MedusaContainer) {
  const { registered, message } = await marketplaceFulfillmentRegistration(container)
  if (!registered) {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Marketplace: ${message}`)
  }
}

export const config = {
  name: "check-marketplace-fulfillment-provider",
  schedule: "* * * * *",
  // Once per process start: the registration only changes with a restart.
  numberOfExecutions: 1,
}
