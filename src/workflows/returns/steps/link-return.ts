import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type LinkReturnStepInput = { return_link_id: string; return_id: string }

export const linkReturnStepId = "link-marketplace-return"

/**
 * Links a return link to the Medusa return it became, right after the return is created, so that a later
 * import finds it instead of creating a second one.
 *
 * @example
 * linkReturnStep({ return_link_id: "mpret_123", return_id: "return_123" })
 */
export const linkReturnStep = createStep(
  linkReturnStepId,
  async (input: LinkReturnStepInput, { container }) => {
    const link = {
      [MARKETPLACE_MODULE]: { return_link_id: input.return_link_id },
      [Modules.ORDER]: { return_id: input.return_id },
    }
    await container.resolve(ContainerRegistrationKeys.LINK).create(link)
    return new StepResponse(input, link)
  },
  async (link, { container }) => {
    if (!link) {
      return
    }
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(link)
  }
)
