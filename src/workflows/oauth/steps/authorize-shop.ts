import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type AuthorizeShopStepInput = {
  platform: string
  params: Record<string, string>
  redirect_url: string
}

export const authorizeShopStepId = "authorize-marketplace-shop"

/**
 * Exchanges the callback's code for tokens, creates the shop's connection (or reconnects the existing one)
 * and stores the sealed tokens. The tokens never leave this step, so no workflow checkpoint holds them.
 *
 * @example
 * const { connection_id } = authorizeShopStep({ platform: "shopee", params: { code, shop_id }, redirect_url })
 */
export const authorizeShopStep = createStep(
  authorizeShopStepId,
  async (input: AuthorizeShopStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const provider = marketplace.getProvider(input.platform)
    const shop = await provider.exchangeCode({ params: input.params, redirect_url: input.redirect_url })

    const [existing] = await marketplace.listConnections({
      platform: input.platform,
      external_shop_id: shop.shop_id,
    })
    const fields = {
      name: shop.name ?? existing?.name ?? null,
      shop_region: shop.region ?? existing?.shop_region ?? null,
      currency_code: shop.currency_code ?? existing?.currency_code ?? null,
      metadata: { ...((existing?.metadata as Record<string, unknown>) ?? {}), ...(shop.metadata ?? {}) },
      status: "active" as const,
      last_error: null,
      authorized_at: new Date(),
    }
    const connection = existing
      ? await marketplace.updateConnections({ id: existing.id, ...fields })
      : await marketplace.createConnections({
          platform: input.platform,
          external_shop_id: shop.shop_id,
          ...fields,
        })
    await marketplace.storeCredentials(connection.id, shop.tokens)

    const previous = existing
      ? {
          id: existing.id,
          name: existing.name,
          shop_region: existing.shop_region,
          currency_code: existing.currency_code,
          metadata: existing.metadata,
          status: existing.status,
          last_error: existing.last_error,
          authorized_at: existing.authorized_at,
        }
      : null
    return new StepResponse(
      { connection_id: connection.id, created: !existing },
      { created_id: existing ? null : connection.id, previous }
    )
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    if (undo.created_id) {
      await marketplace.softDeleteConnections(undo.created_id)
    } else if (undo.previous) {
      await marketplace.updateConnections(undo.previous)
    }
  }
)
