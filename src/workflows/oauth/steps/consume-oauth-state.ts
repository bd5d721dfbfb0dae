import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { hashState } from "./create-oauth-state"

export type ConsumeOauthStateStepInput = { platform: string; user_id: string; state: string }

export const consumeOauthStateStepId = "consume-marketplace-oauth-state"

/**
 * Checks and spends an OAuth state: it must exist, belong to this platform and admin user, be unused and
 * not expired. Spent under a lock so two callbacks with one state cannot both pass. Returns the redirect
 * URL the authorization started with.
 *
 * @example
 * const { redirect_url } = consumeOauthStateStep({ platform: "shopee", user_id, state })
 */
export const consumeOauthStateStep = createStep(
  consumeOauthStateStepId,
  async (input: ConsumeOauthStateStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const locking = container.resolve(Modules.LOCKING)
    const hash = hashState(input.state)
    const refused = (why: string) =>
      new MedusaError(MedusaError.Types.NOT_ALLOWED, `The authorization state ${why}: start the connection again`)

    const row = await locking.execute(`marketplace:oauth:${hash}`, async () => {
      const [found] = await marketplace.listOauthStates({ state_hash: hash })
      if (!found || found.platform !== input.platform) throw refused("is unknown")
      if (found.user_id !== input.user_id) throw refused("belongs to another admin user")
      if (found.used_at) throw refused("was already used")
      if (new Date(found.expires_at).getTime() < Date.now()) throw refused("has expired")
      await marketplace.updateOauthStates({ id: found.id, used_at: new Date() })
      return found
    })
    return new StepResponse({ redirect_url: row.redirect_url })
  }
)
