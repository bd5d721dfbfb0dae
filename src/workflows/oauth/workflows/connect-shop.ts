import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { authorizeGrantStep } from "../steps/authorize-grant"
import { consumeOauthStateStep } from "../steps/consume-oauth-state"
import { releaseAbandonedAuthorizationsStep } from "../steps/release-abandoned-authorizations"

export type ConnectShopWorkflowInput = {
  platform: string
  user_id: string
  /** The callback's parameters: state, code and whatever else the platform sends (shop_id...). */
  params: Record<string, string> & { state: string }
}

export const connectShopWorkflowId = "connect-marketplace-shop"

/**
 * Finishes an authorization after the marketplace's screen: spends the state, exchanges the code for a
 * grant, stores it with its sealed tokens, reconnects the grant's shops already connected (a grant of one
 * shop connects that shop, as Shopee's always do), and emits `marketplace.connection.authorized` for each
 * connection. The other shops of a grant wait for the merchant's choice (`connectGrantShopsWorkflow`).
 *
 * @example
 * const { result } = await connectShopWorkflow(container).run({
 *   input: { platform: "shopee", user_id: "user_123", params: { state, code, shop_id: "123" } },
 * })
 * // result.connections -> [{ id: "mpcon_...", created: true }]
 */
export const connectShopWorkflow = createWorkflow(connectShopWorkflowId, (input: ConnectShopWorkflowInput) => {
  const { redirect_url } = consumeOauthStateStep({
    platform: input.platform,
    user_id: input.user_id,
    state: input.params.state,
  })
  const result = authorizeGrantStep({ platform: input.platform, params: input.params, redirect_url })
  const eventData = transform({ result }, ({ result }) =>
    result.connections.map((c) => ({ id: c.id, created: c.created }))
  )
  emitEventStep({ eventName: MarketplaceEvents.CONNECTION_AUTHORIZED, data: eventData })
  // Last: deleting the tokens of a grant the shops left cannot be undone.
  releaseAbandonedAuthorizationsStep({ authorization_ids: result.left_authorization_ids })
  return new WorkflowResponse(result)
})
