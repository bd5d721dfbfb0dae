import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type ReleaseAbandonedAuthorizationsStepInput = {
  /** The authorizations the connected shops were on before (see previousAuthorizationIds). */
  authorization_ids: string[]
}

export const releaseAbandonedAuthorizationsStepId = "release-abandoned-marketplace-authorizations"

/**
 * After shops moved to another grant: each authorization they left that no connection uses any more loses
 * its sealed token pair and is removed (marketplace module `releaseAbandonedAuthorizations`). Deleted tokens
 * cannot come back, so this is the last step of its workflows: nothing after it can fail and undo the move.
 *
 * @example
 * releaseAbandonedAuthorizationsStep({ authorization_ids: ["mpauth_123"] })
 */
export const releaseAbandonedAuthorizationsStep = createStep(
  releaseAbandonedAuthorizationsStepId,
  async (input: ReleaseAbandonedAuthorizationsStepInput, { container }) => {
    const released = await container
      .resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      .releaseAbandonedAuthorizations(input.authorization_ids)
    return new StepResponse(released)
  }
)

/** The authorizations reconnected shops were on before, other than the one they are on now. */
export function previousAuthorizationIds(
  previous: { authorization_id: string | null }[],
  currentAuthorizationId: string
): string[] {
  return [...new Set(previous.map((c) => c.authorization_id).filter((id): id is string => !!id && id !== currentAuthorizationId))]
}
