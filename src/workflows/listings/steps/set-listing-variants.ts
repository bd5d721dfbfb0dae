import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type ListingVariantLink = { id: string; variant_id: string | null }
export type SetListingVariantsStepInput = { links: ListingVariantLink[] }

type Previous = {
  id: string
  match_status: "matched" | "unmatched" | "ambiguous"
  match_method: "sku" | "manual" | null
  variant_id: string | null
}

type Row = Omit<Previous, "variant_id"> & { product_variant?: { id: string } | null }

const linkOf = (listingId: string, variantId: string) => ({
  [MARKETPLACE_MODULE]: { listing_id: listingId },
  [Modules.PRODUCT]: { product_variant_id: variantId },
})

export const setListingVariantsStepId = "set-marketplace-listing-variants"

/**
 * Links listings to variants by hand (or unlinks one with null): each link replaces the listing's previous
 * one and the listing is marked matched by hand, so later SKU syncs leave it alone. Compensation restores
 * the previous links and statuses.
 *
 * @example
 * setListingVariantsStep({ links: [{ id: "mplst_123", variant_id: "variant_123" }] })
 */
export const setListingVariantsStep = createStep(
  setListingVariantsStepId,
  async ({ links }: SetListingVariantsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const { data } = await query.graph({
      entity: "listing",
      fields: ["id", "match_status", "match_method", "product_variant.id"],
      filters: { id: links.map((l) => l.id) },
    })
    const rows = new Map((data as unknown as Row[]).map((row) => [row.id, row]))
    const previous: Previous[] = links.map(({ id }) => {
      const row = rows.get(id)!
      return { id, match_status: row.match_status, match_method: row.match_method, variant_id: row.product_variant?.id ?? null }
    })
    const dismiss = previous
      .filter((p, i) => p.variant_id && p.variant_id !== links[i].variant_id)
      .map((p) => linkOf(p.id, p.variant_id!))
    const create = links.filter((l, i) => l.variant_id && previous[i].variant_id !== l.variant_id).map((l) => linkOf(l.id, l.variant_id!))
    // The listing is marked as matched by hand before its link changes: a SKU sync running meanwhile then
    // leaves it alone, and anyone who sees the new variant also sees how it was matched.
    const listings = await marketplace.updateListings(
      links.map(({ id, variant_id }) => ({
        id,
        match_status: variant_id ? ("matched" as const) : ("unmatched" as const),
        match_method: variant_id ? ("manual" as const) : null,
      }))
    )
    if (dismiss.length) await link.dismiss(dismiss)
    if (create.length) await link.create(create)
    return new StepResponse(listings, previous)
  },
  async (previous, { container }) => {
    if (!previous?.length) {
      return
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const { data } = await query.graph({
      entity: "listing",
      fields: ["id", "product_variant.id"],
      filters: { id: previous.map((p) => p.id) },
    })
    const current = new Map(
      (data as unknown as { id: string; product_variant?: { id: string } | null }[]).map((r) => [r.id, r.product_variant?.id ?? null])
    )
    for (const p of previous) {
      const now = current.get(p.id) ?? null
      if (now && now !== p.variant_id) await link.dismiss(linkOf(p.id, now))
      if (p.variant_id && now !== p.variant_id) await link.create(linkOf(p.id, p.variant_id))
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateListings(
      previous.map(({ id, match_status, match_method }) => ({ id, match_status, match_method }))
    )
  }
)
