import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ConnectionSettings } from "../../../modules/marketplace/types"

export type LinkChannelSalesChannelsStepInput = {
  connection_id: string
}

type ChannelLink = Record<string, { sales_channel_id: string } | { stock_location_id: string }>

export const linkChannelSalesChannelsStepId = "link-marketplace-channel-sales-channels"

/**
 * Links the sales channels the connection gives its order channels (`settings.channel_sales_channels`) to the
 * connection's stock location when they are not linked to it yet: Medusa checks an order's stock in the stock
 * locations of its sales channel, and the import reserves in the connection's stock location, so a Tokopedia
 * order in a sales channel of its own must see that location's stock. Links it made are removed on compensation;
 * existing links are never removed (the sales channel may serve other stock locations too).
 *
 * @example
 * linkChannelSalesChannelsStep({ connection_id: "mpcon_123" })
 */
export const linkChannelSalesChannelsStep = createStep(
  linkChannelSalesChannelsStepId,
  async (input: LinkChannelSalesChannelsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const {
      data: [connection],
    } = await query.graph({
      entity: "connection",
      fields: ["id", "settings", "stock_location.id"],
      filters: { id: input.connection_id },
    })
    const c = connection as unknown as
      | { settings: ConnectionSettings | null; stock_location?: { id: string } | null }
      | undefined
    const locationId = c?.stock_location?.id
    const salesChannelIds = [...new Set(Object.values(c?.settings?.channel_sales_channels ?? {}))]
    if (!locationId || !salesChannelIds.length) {
      return new StepResponse<ChannelLink[], ChannelLink[]>([], [])
    }
    const { data } = await query.graph({
      entity: "sales_channel",
      fields: ["id", "stock_locations.id"],
      filters: { id: salesChannelIds },
    })
    const unlinked = (data as unknown as { id: string; stock_locations?: { id: string }[] | null }[]).filter(
      (sc) => !(sc.stock_locations ?? []).some((l) => l.id === locationId)
    )
    const created: ChannelLink[] = unlinked.map((sc) => ({
      [Modules.SALES_CHANNEL]: { sales_channel_id: sc.id },
      [Modules.STOCK_LOCATION]: { stock_location_id: locationId },
    }))
    if (created.length) {
      await container.resolve(ContainerRegistrationKeys.LINK).create(created)
    }
    return new StepResponse(created, created)
  },
  async (created, { container }) => {
    if (!created?.length) {
      return
    }
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(created)
  }
)
