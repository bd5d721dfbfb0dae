import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveSkuLinksStep } from "../steps/resolve-sku-links"
import { setListingVariantsStep } from "../steps/set-listing-variants"
import { pushLinkedListings } from "../utils/push-linked-listings"

export type LinkListingsBySkuWorkflowInput = {
  connection_id: string
  links: { listing_id: string; variant_sku: string }[]
}

export const linkListingsBySkuWorkflowId = "link-marketplace-listings-by-sku"

/**
 * Links many listings of one shop by hand at once, each to the variant with the SKU given for it (all or
 * nothing), then pushes their stock and price right away.
 *
 * @example
 * await linkListingsBySkuWorkflow(container).run({
 *   input: { connection_id: "mpcon_1", links: [{ listing_id: "mplst_1", variant_sku: "TSHIRT-BLK-M" }] },
 * })
 */
export const linkListingsBySkuWorkflow = createWorkflow(linkListingsBySkuWorkflowId, (input: LinkListingsBySkuWorkflowInput) => {
  const links = resolveSkuLinksStep(input)
  const listings = setListingVariantsStep({ links })
  pushLinkedListings(
    transform({ links }, ({ links }) => {
      const ids = links.map((l) => l.id)
      return { stock_listing_ids: ids, price_listing_ids: ids, reason: "listings linked by SKU" }
    })
  )
  return new WorkflowResponse(listings)
})
