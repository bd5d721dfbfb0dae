import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { previousAuthorizationIds } from "./release-abandoned-authorizations"

export type ConnectGrantShopsStepInput = { authorization_id: string; shop_ids: string[] }

export const connectGrantShopsStepId = "connect-marketplace-grant-shops"

/**
 * Turns the shops of a grant the merchant chose into connections: new ones for shops never connected, the
 * existing connection (and its history) for a shop connected before. Undone on compensation.
 *
 * @example
 * const { connections } = connectGrantShopsStep({ authorization_id: "mpauth_123", shop_ids: ["7001", "7002"] })
 */
export const connectGrantShopsStep = createStep(
  connectGrantShopsStepId,
  async (input: ConnectGrantShopsStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const { connections, undo } = await marketplace.connectGrantShops(input.authorization_id, input.shop_ids)
    return new StepResponse(
      {
        connections: connections.map((c) => ({ id: c.id, created: c.created })),
        left_authorization_ids: previousAuthorizationIds(undo.previous_connections, input.authorization_id),
      },
      undo
    )
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).undoGrant(undo)
  }
)
