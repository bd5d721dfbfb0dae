import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceReturn } from "../../../providers/types"

export type EnsureReturnLinkStepInput = {
  connection_id: string
  order_link_id: string | null
  return: MarketplaceReturn
  /** The link already stored, if any. */
  existing_id: string | null
}

export const ensureReturnLinkStepId = "ensure-marketplace-return-link"

/**
 * The bookkeeping row comes first: the return link of a first-seen return is created before any Medusa
 * record, with an update time of 0 ("nothing applied yet"), so a crash part-way leaves a row that the next
 * import completes. The unique (connection, external return) index refuses a second row.
 *
 * @example
 * const link = ensureReturnLinkStep({ connection_id: "mpcon_123", order_link_id: "mpord_1", return: ret, existing_id: null })
 */
export const ensureReturnLinkStep = createStep(
  ensureReturnLinkStepId,
  async (input: EnsureReturnLinkStepInput, { container }) => {
    if (input.existing_id) {
      return new StepResponse({ id: input.existing_id }, null)
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const ret = input.return
    const created = await marketplace.createReturnLinks({
      connection_id: input.connection_id,
      order_link_id: input.order_link_id,
      external_return_id: ret.external_id,
      external_order_id: ret.external_order_id,
      external_status: ret.external_status,
      status: ret.status,
      solution: ret.solution,
      reason: ret.reason,
      external_updated_at: new Date(0),
      currency_code: ret.currency_code,
    })
    return new StepResponse({ id: created.id }, created.id)
  },
  async (createdId, { container }) => {
    if (!createdId) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteReturnLinks(createdId)
  }
)
