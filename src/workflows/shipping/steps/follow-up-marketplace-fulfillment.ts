import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { followUpMarketplaceFulfillment } from "../utils/shipping-follow-up"

export type FollowUpMarketplaceFulfillmentStepInput = {
  fulfillment_id: string
  /** Try now even if the next attempt is not due (first try, admin retry). */
  force?: boolean
}

export const followUpMarketplaceFulfillmentStepId = "follow-up-marketplace-fulfillment"

/**
 * Fetches a Medusa-made marketplace fulfilment's tracking number and shipping document and stores them (see
 * followUpMarketplaceFulfillment: lock per fulfilment, backoff, document stored once by SHA-256). Reads from the
 * marketplace cannot be undone and the fulfilment update is its only write, so there is nothing to compensate.
 *
 * @example
 * const outcome = followUpMarketplaceFulfillmentStep({ fulfillment_id: "ful_123", force: true })
 */
export const followUpMarketplaceFulfillmentStep = createStep(
  followUpMarketplaceFulfillmentStepId,
  async (input: FollowUpMarketplaceFulfillmentStepInput, { container }) => {
    const outcome = await followUpMarketplaceFulfillment(container, input.fulfillment_id, { force: input.force })
    return new StepResponse(outcome)
  }
)
