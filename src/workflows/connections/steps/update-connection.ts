import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type UpdateConnectionStepInput = {
  id: string
  name?: string
  /**
   * Merged into the stored settings: keys not given keep their value. `channel_sales_channels`, when given,
   * replaces the stored map as a whole.
   */
  settings?: ConnectionSettings
  status?: "active" | "needs_reauth" | "disabled"
  last_error?: string | null
}

export const updateConnectionStepId = "update-connection"

/**
 * Updates a connection's name, settings or status; restores the previous values on compensation.
 *
 * @example
 * updateConnectionStep({ id: "mpcon_123", settings: { import_unpaid: true } })
 */
export const updateConnectionStep = createStep(
  updateConnectionStepId,
  async (input: UpdateConnectionStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveConnection(input.id)

    if (previous.status === "disabled" && input.status === "active") {
      const hasCredentials = await marketplace
        .retrieveCredentials(input.id)
        .then(() => true)
        .catch(() => false)
      if (!hasCredentials) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Connection ${input.id} has no credentials: connect the shop again to enable it`
        )
      }
    }

    const update: Record<string, unknown> = { id: input.id }
    if (input.name !== undefined) update.name = input.name
    if (input.status !== undefined) update.status = input.status
    if (input.last_error !== undefined) update.last_error = input.last_error
    const previousSettings = (previous.settings as ConnectionSettings | null) ?? {}
    const { channel_sales_channels: channels, ...merged } = input.settings ?? {}
    if (input.settings !== undefined) {
      // The map is written on its own below: merged here, it could never lose a channel.
      update.settings = { ...previousSettings, ...merged }
    }
    let updated = await marketplace.updateConnections(update)
    if (channels !== undefined) {
      await marketplace.replaceConnectionSetting(input.id, "channel_sales_channels", channels)
      updated = await marketplace.retrieveConnection(input.id)
    }

    return new StepResponse(updated, {
      update: {
        id: previous.id,
        name: previous.name,
        status: previous.status,
        last_error: previous.last_error,
        settings: previous.settings,
      },
      channel_sales_channels: channels === undefined ? null : { value: previousSettings.channel_sales_channels },
    })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    await marketplace.updateConnections(previous.update)
    if (previous.channel_sales_channels) {
      await marketplace.replaceConnectionSetting(previous.update.id, "channel_sales_channels", previous.channel_sales_channels.value)
    }
  }
)
