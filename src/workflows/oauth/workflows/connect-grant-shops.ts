import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { connectGrantShopsStep } from "../steps/connect-grant-shops"
import { releaseAbandonedAuthorizationsStep } from "../steps/release-abandoned-authorizations"

export type ConnectGrantShopsWorkflowInput = { authorization_id: string; shop_ids: string[] }

export const connectGrantShopsWorkflowId = "connect-marketplace-grant-shops"

/**
 * Connects the shops of a grant the merchant chose (a grant that covers several shops) and emits
 * `marketplace.connection.authorized` for each.
 *
 * @example
 * const { result } = await connectGrantShopsWorkflow(container).run({
 *   input: { authorization_id: "mpauth_123", shop_ids: ["7001"] },
 * })
 */
export const connectGrantShopsWorkflow = createWorkflow(
  connectGrantShopsWorkflowId,
  (input: ConnectGrantShopsWorkflowInput) => {
    const result = connectGrantShopsStep(input)
    const eventData = transform({ result }, ({ result }) =>
      result.connections.map((c) => ({ id: c.id, created: c.created }))
    )
    emitEventStep({ eventName: MarketplaceEvents.CONNECTION_AUTHORIZED, data: eventData })
    // Last: deleting the tokens of a grant the shops left cannot be undone.
    releaseAbandonedAuthorizationsStep({ authorization_ids: result.left_authorization_ids })
    return new WorkflowResponse(result)
  }
)
