import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * The store's default shipping profile (the one products get in the admin), created when the store has none.
 *
 * @example
 * const profileId = await defaultShippingProfile(container)
 */
export async function defaultShippingProfile(container: MedusaContainer): Promise<string> {
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const [profile] = await fulfillment.listShippingProfiles({ type: "default" }, { take: 1 })
  if (profile) {
    return profile.id
  }
  const [created] = await fulfillment.createShippingProfiles([{ name: "Default Shipping Profile", type: "default" }])
  return created.id
}
