import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceEscrow } from "../../../providers/types"
import { withShopSession } from "../../../lib/shop-session"

export type FetchEscrowsStepInput = { connection_id: string; external_order_ids: string[] }

export const fetchEscrowsStepId = "fetch-marketplace-escrows"

/**
 * Fetches the escrow of up to one platform batch of orders (`limits.escrow_batch`) in one provider call.
 *
 * @example
 * const escrows = fetchEscrowsStep({ connection_id: "mpcon_123", external_order_ids: ["240101ABC"] })
 */
export const fetchEscrowsStep = createStep(
  fetchEscrowsStepId,
  async (input: FetchEscrowsStepInput, { container }) => {
    if (!input.external_order_ids.length) {
      return new StepResponse([] as MarketplaceEscrow[])
    }
    const escrows = await withShopSession(container, input.connection_id, async (provider, session) => {
      if (input.external_order_ids.length > provider.limits.escrow_batch) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `At most ${provider.limits.escrow_batch} escrows can be fetched at once, got ${input.external_order_ids.length}`
        )
      }
      return await provider.getEscrows(session, input.external_order_ids)
    })
    return new StepResponse(escrows)
  }
)
