import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE, type ConnectionSettings } from "../../../modules/marketplace/types"
import { shipMethodOf } from "../../../providers/vocabulary"

export type ValidateConnectionSettingsStepInput = {
  id: string
  settings?: ConnectionSettings
}

export const validateConnectionSettingsStepId = "validate-marketplace-connection-settings"

/**
 * Checks the settings that name a word of the platform (the default ship method) against the vocabulary of
 * the connection's provider: a 400 naming the valid words, before anything is saved.
 *
 * @example
 * validateConnectionSettingsStep({ id: "mpcon_123", settings: { ship_method: "dropoff" } })
 */
export const validateConnectionSettingsStep = createStep(
  validateConnectionSettingsStepId,
  async (input: ValidateConnectionSettingsStepInput, { container }) => {
    if (input.settings?.ship_method !== undefined) {
      const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      const connection = await marketplace.retrieveConnection(input.id, { select: ["id", "platform"] })
      if (!marketplace.hasProvider(connection.platform)) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `Marketplace platform "${connection.platform}" is not configured: its ship methods are unknown`
        )
      }
      shipMethodOf(marketplace.getProvider(connection.platform), input.settings.ship_method, { connectionDefault: true })
    }
    return new StepResponse(void 0)
  }
)
