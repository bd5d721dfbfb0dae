import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { FulfillmentFollowUpOutcome } from "../utils/shipping-follow-up"
import {
  followUpMarketplaceFulfillmentStep,
  type FollowUpMarketplaceFulfillmentStepInput,
} from "../steps/follow-up-marketplace-fulfillment"

export type FollowUpMarketplaceFulfillmentWorkflowInput = FollowUpMarketplaceFulfillmentStepInput

export const followUpMarketplaceFulfillmentWorkflowId = "follow-up-marketplace-fulfillment"

/**
 * Completes a fulfilment the merchant made in Medusa for a marketplace order: tracking number and URL on its
 * label, shipping document stored once. Run by the fulfilment-created subscriber, the tracking job and the
 * admin retry route.
 *
 * @example
 * const { result } = await followUpMarketplaceFulfillmentWorkflow(container).run({
 *   input: { fulfillment_id: "ful_123", force: true },
 * })
 * // result.tracking_number -> "SPXSG0123456789"
 */
export const followUpMarketplaceFulfillmentWorkflow = createWorkflow(
  followUpMarketplaceFulfillmentWorkflowId,
  (input: FollowUpMarketplaceFulfillmentWorkflowInput) => {
    const outcome = followUpMarketplaceFulfillmentStep(input)
    return new WorkflowResponse<FulfillmentFollowUpOutcome>(outcome)
  }
)
