import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type MarkOrderLinkCancelledStepInput = { id: string; external_status: string }

export const markOrderLinkCancelledStepId = "mark-marketplace-order-link-cancelled"

/**
 * Records that the marketplace cancelled the order before the import cancels the Medusa order, so that the
 * seller-cancellation hook knows there is nothing to send back. Compensation restores the previous status.
 *
 * @example
 * markOrderLinkCancelledStep({ id: "mpord_123", external_status: "CANCELLED" })
 */
export const markOrderLinkCancelledStep = createStep(
  markOrderLinkCancelledStepId,
  async (input: MarkOrderLinkCancelledStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveOrderLink(input.id, { select: ["id", "status", "external_status"] })
    await marketplace.updateOrderLinks({ id: input.id, status: "cancelled", external_status: input.external_status })
    return new StepResponse(void 0, { id: previous.id, status: previous.status, external_status: previous.external_status })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateOrderLinks(previous)
  }
)
