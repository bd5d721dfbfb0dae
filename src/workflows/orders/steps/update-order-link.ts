import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { decimal } from "../../../lib/decimal"

export type UpdateOrderLinkStepInput = {
  id: string
  external_status: string
  status: string
  external_updated_at: Date
  total: string
  /** The order's channel when the marketplace reports one; left as stored otherwise. */
  channel?: string | null
  total_mismatch?: Record<string, unknown> | null
  has_unmatched_items?: boolean
  tracking_number?: string | null
  carrier?: string | null
  shipment_note?: string | null
  last_error?: string | null
}

export const updateOrderLinkStepId = "update-marketplace-order-link"

/**
 * Records the marketplace state just applied (status and update time: the anti-regression watermark).
 * Runs last, so a failure before it leaves the old watermark and the next sight applies the state again.
 *
 * @example
 * updateOrderLinkStep({ id: "mpord_123", status: "completed", external_status: "COMPLETED", external_updated_at, total: "10" })
 */
export const updateOrderLinkStep = createStep(
  updateOrderLinkStepId,
  async (input: UpdateOrderLinkStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveOrderLink(input.id)
    const updated = await marketplace.updateOrderLinks({ ...input, total: decimal(input.total) })
    return new StepResponse(updated, {
      id: previous.id,
      external_status: previous.external_status,
      status: previous.status,
      external_updated_at: previous.external_updated_at,
      total: previous.total,
      channel: previous.channel,
      total_mismatch: previous.total_mismatch,
      has_unmatched_items: previous.has_unmatched_items,
      tracking_number: previous.tracking_number,
      carrier: previous.carrier,
      shipment_note: previous.shipment_note,
      last_error: previous.last_error,
    })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateOrderLinks(previous)
  }
)
