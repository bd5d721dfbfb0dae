import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE, type ConnectionSettings } from "../../../modules/marketplace/types"
import { orderChannelOf, shipMethodOf } from "../../../providers/vocabulary"

export type ValidateConnectionSettingsStepInput = {
  id: string
  settings?: ConnectionSettings
}

export const validateConnectionSettingsStepId = "validate-marketplace-connection-settings"

/**
 * Checks the settings that name a word of the platform (the default ship method, the order channels given
 * sales channels of their own) against the vocabulary of the connection's provider: a 400 naming the valid
 * words, before anything is saved.
 *
 * @example
 * validateConnectionSettingsStep({ id: "mpcon_123", settings: { ship_method: "dropoff" } })
 */
export const validateConnectionSettingsStep = createStep(
  validateConnectionSettingsStepId,
  async (input: ValidateConnectionSettingsStepInput, { container }) => {
    const shipMethod = input.settings?.ship_method
    const channels = Object.keys(input.settings?.channel_sales_channels ?? {})
    if (shipMethod === undefined && !channels.length) {
      return new StepResponse(void 0)
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const connection = await marketplace.retrieveConnection(input.id, { select: ["id", "platform"] })
    if (!marketplace.hasProvider(connection.platform)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Marketplace platform "${connection.platform}" is not configured: its ${shipMethod !== undefined ? "ship methods" : "order channels"} are unknown`
      )
    }
    const provider = marketplace.getProvider(connection.platform)
    if (shipMethod !== undefined) {
      shipMethodOf(provider, shipMethod, { connectionDefault: true })
    }
    for (const channel of channels) {
      orderChannelOf(provider, channel)
    }
    return new StepResponse(void 0)
  }
)
