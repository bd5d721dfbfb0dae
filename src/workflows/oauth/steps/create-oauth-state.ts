import { createHash, randomBytes } from "crypto"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

/** How long a merchant has to finish the marketplace's authorization screen. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000

export const hashState = (state: string) => createHash("sha256").update(state).digest("hex")

export type CreateOauthStateStepInput = { platform: string; user_id: string; redirect_url: string }

export const createOauthStateStepId = "create-marketplace-oauth-state"

/**
 * Creates a single-use OAuth state bound to the admin user, valid 10 minutes. Only its hash is stored.
 *
 * @example
 * const { state } = createOauthStateStep({ platform: "shopee", user_id: "user_123", redirect_url })
 */
export const createOauthStateStep = createStep(
  createOauthStateStepId,
  async (input: CreateOauthStateStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const state = randomBytes(32).toString("base64url")
    const expires_at = new Date(Date.now() + OAUTH_STATE_TTL_MS)
    const row = await marketplace.createOauthStates({
      state_hash: hashState(state),
      platform: input.platform,
      user_id: input.user_id,
      redirect_url: input.redirect_url,
      expires_at,
    })
    return new StepResponse({ state, expires_at }, row.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteOauthStates(id)
  }
)
