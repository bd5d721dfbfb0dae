import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type SetListingVariantStepInput = { id: string; variant_id: string | null }

type Previous = {
  id: string
  match_status: "matched" | "unmatched" | "ambiguous"
  match_method: "sku" | "manual" | null
  variant_id: string | null
}

const linkOf = (listingId: string, variantId: string) => ({
  [MARKETPLACE_MODULE]: { listing_id: listingId },
  [Modules.PRODUCT]: { product_variant_id: variantId },
})

export const setListingVariantStepId = "set-marketplace-listing-variant"

/**
 * Links a listing to a variant by hand (or unlinks it with null): the link replaces any previous one and
 * the listing is marked matched by hand, so later SKU syncs leave it alone. Compensation restores the
 * previous link and status.
 *
 * @example
 * setListingVariantStep({ id: "mplst_123", variant_id: "variant_123" })
 */
export const setListingVariantStep = createStep(
  setListingVariantStepId,
  async ({ id, variant_id }: SetListingVariantStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const { data } = await query.graph({
      entity: "listing",
      fields: ["id", "match_status", "match_method", "product_variant.id"],
      filters: { id },
    })
    const row = data[0] as unknown as Omit<Previous, "variant_id"> & { product_variant?: { id: string } | null }
    const previous: Previous = {
      id,
      match_status: row.match_status,
      match_method: row.match_method,
      variant_id: row.product_variant?.id ?? null,
    }
    if (previous.variant_id && previous.variant_id !== variant_id) {
      await link.dismiss(linkOf(id, previous.variant_id))
    }
    if (variant_id && previous.variant_id !== variant_id) {
      await link.create(linkOf(id, variant_id))
    }
    const listing = await marketplace.updateListings({
      id,
      match_status: variant_id ? "matched" : "unmatched",
      match_method: variant_id ? "manual" : null,
    })
    return new StepResponse(listing, previous)
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const { data } = await query.graph({ entity: "listing", fields: ["id", "product_variant.id"], filters: { id: previous.id } })
    const current = (data[0] as unknown as { product_variant?: { id: string } | null } | undefined)?.product_variant?.id ?? null
    if (current && current !== previous.variant_id) {
      await link.dismiss(linkOf(previous.id, current))
    }
    if (previous.variant_id && current !== previous.variant_id) {
      await link.create(linkOf(previous.id, previous.variant_id))
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateListings({
      id: previous.id,
      match_status: previous.match_status,
      match_method: previous.match_method,
    })
  }
)
