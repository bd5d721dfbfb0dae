import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceReturn } from "../../../providers/types"
import { decimal } from "../../../lib/decimal"

export type UpdateReturnLinkStepInput = {
  id: string
  order_link_id: string | null
  return: MarketplaceReturn
  refunded_amount: string | null
  note: string | null
}

export const updateReturnLinkStepId = "update-marketplace-return-link"

const FIELDS = [
  "id",
  "order_link_id",
  "external_status",
  "status",
  "solution",
  "reason",
  "external_updated_at",
  "currency_code",
  "refund_amount",
  "refunded_amount",
  "items",
  "note",
  "last_error",
] as const

/**
 * Records the marketplace state just applied, the refund recorded and the update time (the anti-regression
 * watermark). Runs last: a failure before it leaves the old watermark and the next sight tries again.
 *
 * @example
 * updateReturnLinkStep({ id: "mpret_123", order_link_id: "mpord_1", return: ret, refunded_amount: "12.50", note: null })
 */
export const updateReturnLinkStep = createStep(
  updateReturnLinkStepId,
  async (input: UpdateReturnLinkStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveReturnLink(input.id, { select: [...FIELDS] })
    const ret = input.return
    const updated = await marketplace.updateReturnLinks({
      id: input.id,
      order_link_id: input.order_link_id ?? previous.order_link_id,
      external_status: ret.external_status,
      status: ret.status,
      solution: ret.solution,
      reason: ret.reason,
      external_updated_at: ret.updated_at,
      currency_code: ret.currency_code,
      refund_amount: decimal(ret.refund_amount),
      refunded_amount: input.refunded_amount === null ? null : decimal(input.refunded_amount),
      items: ret.items as unknown as Record<string, unknown>,
      note: input.note,
      last_error: null,
    })
    return new StepResponse(updated, previous)
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateReturnLinks(previous as never)
  }
)
