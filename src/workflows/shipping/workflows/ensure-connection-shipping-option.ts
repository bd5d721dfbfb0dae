import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  ensureConnectionShippingOptionStep,
  type EnsureConnectionShippingOptionStepOutput,
} from "../steps/ensure-connection-shipping-option"

export type EnsureConnectionShippingOptionWorkflowInput = { connection_id: string }

export const ensureConnectionShippingOptionWorkflowId = "ensure-marketplace-connection-shipping-option"

/**
 * Creates or updates the shipping option of a connection at its stock location (see
 * ensureConnectionShippingOptionStep). Run when a connection gets or changes its stock location.
 *
 * @example
 * const { result } = await ensureConnectionShippingOptionWorkflow(container).run({ input: { connection_id: "mpcon_123" } })
 * // result.shipping_option_id -> "so_123"
 */
export const ensureConnectionShippingOptionWorkflow = createWorkflow(
  ensureConnectionShippingOptionWorkflowId,
  (input: EnsureConnectionShippingOptionWorkflowInput) => {
    const result = ensureConnectionShippingOptionStep(input)
    return new WorkflowResponse<EnsureConnectionShippingOptionStepOutput>(result)
  }
)
