import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type LinkOrderStepInput = { order_link_id: string; order_id: string }

export const linkOrderStepId = "link-marketplace-order"

/**
 * Links an order link to its Medusa order.
 *
 * @example
 * linkOrderStep({ order_link_id: "mpord_123", order_id: "order_123" })
 */
export const linkOrderStep = createStep(
  linkOrderStepId,
  async (input: LinkOrderStepInput, { container }) => {
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const definition = {
      [MARKETPLACE_MODULE]: { order_link_id: input.order_link_id },
      [Modules.ORDER]: { order_id: input.order_id },
    }
    await link.create(definition)
    return new StepResponse(void 0, definition)
  },
  async (definition, { container }) => {
    if (!definition) {
      return
    }
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(definition)
  }
)
