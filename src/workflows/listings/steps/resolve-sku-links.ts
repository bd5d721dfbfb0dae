import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ListingVariantLink } from "./set-listing-variants"

export type ResolveSkuLinksStepInput = {
  connection_id: string
  /** Each listing and the SKU of the Medusa variant it is to be linked to. */
  links: { listing_id: string; variant_sku: string }[]
}

export const resolveSkuLinksStepId = "resolve-marketplace-sku-links"

/**
 * Turns "listing -> variant SKU" pairs into listing -> variant id links: every listing must belong to the
 * connection and every SKU must name exactly one variant (exact match), else nothing is linked and the error
 * lists every pair at fault. Reads only.
 *
 * @example
 * const links = resolveSkuLinksStep({ connection_id: "mpcon_1", links: [{ listing_id: "mplst_1", variant_sku: "TSHIRT-M" }] })
 */
export const resolveSkuLinksStep = createStep(
  resolveSkuLinksStepId,
  async ({ connection_id, links }: ResolveSkuLinksStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: connections } = await query.graph({ entity: "connection", fields: ["id"], filters: { id: connection_id } })
    if (!connections.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Connection with id: ${connection_id} was not found`)
    }
    const { data: listings } = await query.graph({
      entity: "listing",
      fields: ["id"],
      filters: { id: links.map((l) => l.listing_id), connection_id },
    })
    const known = new Set((listings as { id: string }[]).map((l) => l.id))
    const skus = [...new Set(links.map((l) => l.variant_sku))]
    const { data: variants } = await query.graph({ entity: "product_variant", fields: ["id", "sku"], filters: { sku: skus } })
    const bySku = new Map<string, string[]>()
    for (const v of variants as { id: string; sku: string }[]) {
      bySku.set(v.sku, [...(bySku.get(v.sku) ?? []), v.id])
    }
    const problems: string[] = []
    const resolved: ListingVariantLink[] = []
    for (const { listing_id, variant_sku } of links) {
      const ids = bySku.get(variant_sku) ?? []
      if (!known.has(listing_id)) problems.push(`listing ${listing_id} is not a listing of connection ${connection_id}`)
      else if (!ids.length) problems.push(`no variant has SKU ${variant_sku} (listing ${listing_id})`)
      else if (ids.length > 1) problems.push(`${ids.length} variants have SKU ${variant_sku} (listing ${listing_id})`)
      else resolved.push({ id: listing_id, variant_id: ids[0] })
    }
    if (problems.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Nothing was linked: ${problems.join("; ")}`)
    }
    return new StepResponse(resolved)
  }
)
