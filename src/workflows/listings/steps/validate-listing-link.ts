import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateListingLinkStepInput = { id: string; variant_id: string | null }

export const validateListingLinkStepId = "validate-marketplace-listing-link"

/**
 * Checks that the listing and the variant it is to be linked to exist. Reads only.
 *
 * @example
 * validateListingLinkStep({ id: "mplst_123", variant_id: "variant_123" })
 */
export const validateListingLinkStep = createStep(
  validateListingLinkStepId,
  async ({ id, variant_id }: ValidateListingLinkStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: listings } = await query.graph({ entity: "listing", fields: ["id"], filters: { id } })
    if (!listings.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Listing with id: ${id} was not found`)
    }
    if (variant_id) {
      const { data: variants } = await query.graph({ entity: "product_variant", fields: ["id"], filters: { id: variant_id } })
      if (!variants.length) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Product variant with id: ${variant_id} was not found`)
      }
    }
    return new StepResponse(true)
  }
)
