import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { marketplaceRequestError } from "../../../lib/errors"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { GrantedShopState } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { previousAuthorizationIds } from "./release-abandoned-authorizations"

export type AuthorizeGrantStepInput = {
  platform: string
  /** The callback's query parameters as received: the provider picks what it needs. */
  params: Record<string, string>
  redirect_url: string
}

export type AuthorizeGrantStepOutput = {
  authorization_id: string
  /** Every shop the grant covers, with its connection when it has one. */
  shops: GrantedShopState[]
  /** The connections this authorization connected or reconnected, and which of them are new. */
  connections: { id: string; created: boolean }[]
  /** The authorizations reconnected shops left for this one (released once the workflow is done with them). */
  left_authorization_ids: string[]
}

export const authorizeGrantStepId = "authorize-marketplace-grant"

/**
 * Exchanges the callback's code for a grant, stores it as an authorization with its sealed tokens, and
 * reconnects the shops of the grant already connected (a grant of one shop also connects that shop). The
 * tokens never leave this step, so no workflow checkpoint holds them.
 *
 * @example
 * const { authorization_id, shops } = authorizeGrantStep({ platform: "shopee", params: { code, shop_id }, redirect_url })
 */
export const authorizeGrantStep = createStep(
  authorizeGrantStepId,
  async (input: AuthorizeGrantStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const provider = marketplace.getProvider(input.platform)
    const grant = await provider
      .exchangeCode({ params: input.params, redirect_url: input.redirect_url })
      .catch((error: unknown) => {
        // The code is single use, and may be spent even when the platform failed: only a new round trip helps.
        throw marketplaceRequestError(error, "exchange the authorization code", "Start the connection again")
      })
    const saved = await marketplace.saveGrant(input.platform, grant)

    const created = new Set(saved.created_connection_ids)
    const connected = new Set([
      ...saved.undo.previous_connections.map((c) => c.id),
      ...saved.created_connection_ids,
    ])
    const output: AuthorizeGrantStepOutput = {
      authorization_id: saved.authorization_id,
      shops: saved.shops,
      connections: saved.shops
        .filter((shop) => shop.connection_id && connected.has(shop.connection_id))
        .map((shop) => ({ id: shop.connection_id as string, created: created.has(shop.connection_id as string) })),
      left_authorization_ids: previousAuthorizationIds(saved.undo.previous_connections, saved.authorization_id),
    }
    return new StepResponse(output, saved.undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).undoGrant(undo)
  }
)
