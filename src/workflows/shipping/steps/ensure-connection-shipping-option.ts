import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createShippingOptionsWorkflow } from "@medusajs/medusa/core-flows"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import {
  MARKETPLACE_FULFILLMENT_OPTION_ID,
  marketplaceFulfillmentProviderId,
} from "../../../providers/marketplace-fulfillment/constants"
import { defaultShippingProfile } from "../utils/shipping-profile"

export type EnsureConnectionShippingOptionStepInput = { connection_id: string }

export type EnsureConnectionShippingOptionStepOutput = {
  shipping_option_id: string | null
  /** Why there is no option: no stock location, or the fulfillment provider is not registered. */
  reason: string | null
}

/** One option creation / move per connection at a time, in every process. */
export const shippingOptionLockKey = (connectionId: string) => `marketplace:shipping-option:${connectionId}`

/** The fulfillment set (and its service zone) of marketplace logistics at a stock location: both names are unique. */
export const marketplaceFulfillmentSetName = (locationId: string) => `Marketplace logistics (${locationId})`

type Change = {
  connection_id: string
  previous_option_id: string | null
  created_option_id: string | null
  moved: { id: string; service_zone_id: string; name: string } | null
}

type ConnectionRow = {
  id: string
  name: string | null
  platform: string
  external_shop_id: string
  currency_code: string | null
  shipping_option_id: string | null
  stock_location?: { id: string } | null
}

function displayName(marketplace: MarketplaceModuleService, platform: string): string {
  try {
    return marketplace.getProvider(platform).display_name
  } catch {
    return platform
  }
}

/** The location's marketplace service zone, creating the provider link, fulfillment set and zone when missing. */
async function serviceZoneAt(container: MedusaContainer, locationId: string, providerId: string): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const {
    data: [location],
  } = await query.graph({
    entity: "stock_location",
    fields: ["id", "fulfillment_providers.id", "fulfillment_sets.id", "fulfillment_sets.name", "fulfillment_sets.service_zones.id"],
    filters: { id: locationId },
  })
  const row = location as unknown as {
    fulfillment_providers?: { id: string }[] | null
    fulfillment_sets?: { id: string; name: string; service_zones?: { id: string }[] | null }[] | null
  }
  if (!(row.fulfillment_providers ?? []).some((p) => p?.id === providerId)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: locationId },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: providerId },
    })
  }
  const name = marketplaceFulfillmentSetName(locationId)
  let set = (row.fulfillment_sets ?? []).find((s) => s?.name === name)
  if (!set) {
    const [existing] = await fulfillment.listFulfillmentSets({ name }, { relations: ["service_zones"] })
    set = existing
      ? { id: existing.id, name, service_zones: existing.service_zones.map((z) => ({ id: z.id })) }
      : undefined
    if (!set) {
      const created = await fulfillment.createFulfillmentSets({
        name,
        type: "shipping",
        service_zones: [{ name }],
      })
      set = { id: created.id, name, service_zones: created.service_zones.map((z) => ({ id: z.id })) }
    }
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: locationId },
      [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
    })
  }
  const zone = set.service_zones?.[0]?.id
  if (zone) {
    return zone
  }
  const [created] = await fulfillment.createServiceZones([{ name, fulfillment_set_id: set.id }])
  return created.id
}

export const ensureConnectionShippingOptionStepId = "ensure-connection-shipping-option"

/**
 * Gives a connection its shipping option, "<Shop> (<Platform> logistics)", on the plugin's marketplace
 * fulfillment provider, in the marketplace service zone of its stock location, for the default shipping profile;
 * moves it when the stock location changes and renames it with the shop. Idempotent under a lock per connection
 * (and a unique index on the connection's `shipping_option_id`). Without a stock location, or when the app has
 * not registered the provider, it does nothing and says why.
 *
 * @example
 * const { shipping_option_id } = ensureConnectionShippingOptionStep({ connection_id: "mpcon_123" })
 */
export const ensureConnectionShippingOptionStep = createStep(
  ensureConnectionShippingOptionStepId,
  async (input: EnsureConnectionShippingOptionStepInput, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const change: Change = { connection_id: input.connection_id, previous_option_id: null, created_option_id: null, moved: null }
    const output = await locking.execute(
      shippingOptionLockKey(input.connection_id),
      async (): Promise<EnsureConnectionShippingOptionStepOutput> => {
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        const fulfillment = container.resolve(Modules.FULFILLMENT)
        const {
          data: [found],
        } = await query.graph({
          entity: "connection",
          fields: ["id", "name", "platform", "external_shop_id", "currency_code", "shipping_option_id", "stock_location.id"],
          filters: { id: input.connection_id },
        })
        const connection = found as unknown as ConnectionRow | undefined
        if (!connection) {
          return { shipping_option_id: null, reason: `Connection ${input.connection_id} was not found` }
        }
        change.previous_option_id = connection.shipping_option_id
        const locationId = connection.stock_location?.id
        if (!locationId) {
          return { shipping_option_id: connection.shipping_option_id, reason: "the connection has no stock location" }
        }
        const providerId = marketplaceFulfillmentProviderId()
        const [provider] = await fulfillment.listFulfillmentProviders({ id: providerId })
        if (!provider) {
          return {
            shipping_option_id: connection.shipping_option_id,
            reason: `the fulfillment provider ${providerId} is not registered in the fulfillment module`,
          }
        }
        const zoneId = await serviceZoneAt(container, locationId, providerId)
        const name = `${connection.name || connection.external_shop_id} (${displayName(marketplace, connection.platform)} logistics)`

        if (connection.shipping_option_id) {
          const [current] = await fulfillment.listShippingOptions({ id: connection.shipping_option_id })
          if (current) {
            if (current.service_zone_id !== zoneId || current.name !== name) {
              change.moved = { id: current.id, service_zone_id: current.service_zone_id, name: current.name }
              await fulfillment.updateShippingOptions(current.id, { service_zone_id: zoneId, name })
            }
            return { shipping_option_id: current.id, reason: null }
          }
        }

        const profileId = await defaultShippingProfile(container)
        const { result } = await createShippingOptionsWorkflow(container).run({
          input: [
            {
              name,
              service_zone_id: zoneId,
              shipping_profile_id: profileId,
              provider_id: providerId,
              price_type: "flat",
              prices: [{ currency_code: connection.currency_code || "usd", amount: 0 }],
              data: { id: MARKETPLACE_FULFILLMENT_OPTION_ID, connection_id: connection.id },
              type: {
                label: "Marketplace logistics",
                code: "marketplace",
                description: "Shipped by the marketplace's logistics; the buyer paid shipping on the marketplace",
              },
              // Marketplace orders only: never offered at a storefront checkout.
              rules: [
                { attribute: "enabled_in_store", operator: "eq", value: "false" },
                { attribute: "is_return", operator: "eq", value: "false" },
              ],
            },
          ],
        })
        const optionId = result[0].id
        change.created_option_id = optionId
        await marketplace.updateConnections({ id: connection.id, shipping_option_id: optionId })
        return { shipping_option_id: optionId, reason: null }
      },
      { timeout: 60, expire: 120 }
    )
    return new StepResponse(output, change)
  },
  async (change, { container }) => {
    if (!change) {
      return
    }
    const fulfillment = container.resolve(Modules.FULFILLMENT)
    if (change.moved) {
      await fulfillment.updateShippingOptions(change.moved.id, {
        service_zone_id: change.moved.service_zone_id,
        name: change.moved.name,
      })
    }
    if (change.created_option_id) {
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      await marketplace.updateConnections({ id: change.connection_id, shipping_option_id: change.previous_option_id })
      await fulfillment.softDeleteShippingOptions([change.created_option_id])
    }
  }
)
