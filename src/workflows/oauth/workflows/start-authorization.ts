import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { buildAuthorizationUrlStep } from "../steps/build-authorization-url"
import { createOauthStateStep } from "../steps/create-oauth-state"

export type StartAuthorizationWorkflowInput = { platform: string; user_id: string; redirect_url: string }

export const startAuthorizationWorkflowId = "start-marketplace-authorization"

/**
 * Starts connecting a shop: a single-use state for this admin user and the marketplace's authorization URL.
 *
 * @example
 * const { result } = await startAuthorizationWorkflow(container).run({
 *   input: { platform: "shopee", user_id: "user_123", redirect_url: "https://admin.example.com/app/marketplaces/oauth/shopee" },
 * })
 * // result.url -> the marketplace's authorization screen
 */
export const startAuthorizationWorkflow = createWorkflow(
  startAuthorizationWorkflowId,
  (input: StartAuthorizationWorkflowInput) => {
    const { state, expires_at } = createOauthStateStep(input)
    const { url } = buildAuthorizationUrlStep({
      platform: input.platform,
      redirect_url: input.redirect_url,
      state,
    })
    return new WorkflowResponse({ url, expires_at })
  }
)
