import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { authorizeShopStep } from "../steps/authorize-shop"
import { consumeOauthStateStep } from "../steps/consume-oauth-state"

export type ConnectShopWorkflowInput = {
  platform: string
  user_id: string
  /** The callback's parameters: state, code and whatever else the platform sends (shop_id...). */
  params: Record<string, string> & { state: string }
}

export const connectShopWorkflowId = "connect-marketplace-shop"

/**
 * Finishes connecting a shop after the marketplace's authorization screen: spends the state, exchanges the
 * code, creates or reconnects the connection with its sealed tokens, and emits
 * `marketplace.connection.authorized`.
 *
 * @example
 * await connectShopWorkflow(container).run({
 *   input: { platform: "shopee", user_id: "user_123", params: { state, code, shop_id: "123" } },
 * })
 */
export const connectShopWorkflow = createWorkflow(connectShopWorkflowId, (input: ConnectShopWorkflowInput) => {
  const { redirect_url } = consumeOauthStateStep({
    platform: input.platform,
    user_id: input.user_id,
    state: input.params.state,
  })
  const result = authorizeShopStep({ platform: input.platform, params: input.params, redirect_url })
  const eventData = transform({ result }, ({ result }) => ({
    id: result.connection_id,
    created: result.created,
  }))
  emitEventStep({ eventName: MarketplaceEvents.CONNECTION_AUTHORIZED, data: eventData })
  return new WorkflowResponse(result)
})
