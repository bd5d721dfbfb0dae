import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { followUpMarketplaceFulfillment, type ClaimedFollowUp } from "../utils/shipping-follow-up"

export type FollowUpMarketplaceFulfillmentStepInput = {
  fulfillment_id: string
  /** Try now even if the next attempt is not due, or the follow-up is dead (first try, admin retry). */
  force?: boolean
  /** The follow-up row the caller already claimed from the queue (the scheduled pass); claimed here otherwise. */
  claimed?: ClaimedFollowUp
}

export const followUpMarketplaceFulfillmentStepId = "follow-up-marketplace-fulfillment"

/**
 * Fetches a Medusa-made marketplace fulfilment's tracking number and shipping document and stores them (see
 * followUpMarketplaceFulfillment: lock per fulfilment, the follow-up queue's claim and backoff, document stored
 * once). Reads from the marketplace cannot be undone, the fulfilment update is its only write and the queue row
 * records the attempt whatever happens, so there is nothing to compensate.
 *
 * @example
 * const outcome = followUpMarketplaceFulfillmentStep({ fulfillment_id: "ful_123", force: true })
 */
export const followUpMarketplaceFulfillmentStep = createStep(
  followUpMarketplaceFulfillmentStepId,
  async (input: FollowUpMarketplaceFulfillmentStepInput, { container }) => {
    const outcome = await followUpMarketplaceFulfillment(container, input.fulfillment_id, {
      force: input.force,
      claimed: input.claimed,
    })
    return new StepResponse(outcome)
  }
)
