import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type BuildAuthorizationUrlStepInput = { platform: string; redirect_url: string; state: string }

export const buildAuthorizationUrlStepId = "build-marketplace-authorization-url"

/**
 * Asks the platform's provider for the URL of its authorization screen.
 *
 * @example
 * const { url } = buildAuthorizationUrlStep({ platform: "shopee", redirect_url, state })
 */
export const buildAuthorizationUrlStep = createStep(
  buildAuthorizationUrlStepId,
  async (input: BuildAuthorizationUrlStepInput, { container }) => {
    const provider = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).getProvider(input.platform)
    return new StepResponse(
      await provider.getAuthorizationUrl({ redirect_url: input.redirect_url, state: input.state })
    )
  }
)
