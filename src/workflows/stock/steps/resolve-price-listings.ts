import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import { PUSH_PRICE, pushKey } from "../../../lib/push-tasks"
import type { TaskToEnqueue } from "../../tasks/steps/enqueue-tasks"

export type ResolvePriceListingsStepInput = {
  /** Prices created or updated (pricing module events). */
  price_ids?: string[]
  /** Variants updated (their prices may have changed). */
  variant_ids?: string[]
  /** Listings to price regardless of the source (manual link, reconcile). */
  listing_ids?: string[]
  reason?: string
}

type ConnectionRow = { id: string; status: string; settings: ConnectionSettings | null }
type PriceRow = { id: string; price_set_id: string }
type PriceSetRow = { id: string; variant?: { id: string } | null }
type VariantRow = { id: string; listings?: { id: string; connection_id: string; match_status: string }[] | null }
type ListingRow = { id: string; connection_id: string; match_status: string }

export const resolvePriceListingsStepId = "resolve-marketplace-price-listings"

/**
 * Finds the listings whose pushed price a change may affect: price -> price set -> variant -> its matched
 * listings in the active connections with price sync on. Whether the price really changed in the shop's
 * currency is decided at push time (an unchanged price is not sent). Reads only.
 *
 * @example
 * const tasks = resolvePriceListingsStep({ variant_ids: ["variant_123"], reason: "product-variant.updated" })
 */
export const resolvePriceListingsStep = createStep(
  resolvePriceListingsStepId,
  async (input: ResolvePriceListingsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const tasks: TaskToEnqueue[] = []
    const { data: connectionRows } = await query.graph({
      entity: "connection",
      fields: ["id", "status", "settings"],
      filters: { status: "active" },
    })
    const pushing = new Set(
      (connectionRows as unknown as ConnectionRow[]).filter((c) => c.settings?.sync_price !== false).map((c) => c.id)
    )
    if (!pushing.size) {
      return new StepResponse(tasks)
    }
    const add = (listing: ListingRow) => {
      if (listing.match_status === "matched" && pushing.has(listing.connection_id)) {
        tasks.push({
          kind: PUSH_PRICE,
          connection_id: listing.connection_id,
          listing_id: listing.id,
          coalescing_key: pushKey(PUSH_PRICE, listing.connection_id, listing.id),
          reason: input.reason,
        })
      }
    }

    if (input.listing_ids?.length) {
      const { data } = await query.graph({
        entity: "listing",
        fields: ["id", "connection_id", "match_status"],
        filters: { id: input.listing_ids },
      })
      ;(data as unknown as ListingRow[]).forEach(add)
    }

    const variantIds = new Set(input.variant_ids ?? [])
    if (input.price_ids?.length) {
      const { data: prices } = await query.graph({
        entity: "price",
        fields: ["id", "price_set_id"],
        filters: { id: input.price_ids },
      })
      const setIds = [...new Set((prices as unknown as PriceRow[]).map((p) => p.price_set_id))]
      if (setIds.length) {
        const { data: sets } = await query.graph({
          entity: "price_set",
          fields: ["id", "variant.id"],
          filters: { id: setIds },
        })
        for (const set of sets as unknown as PriceSetRow[]) {
          if (set.variant?.id) {
            variantIds.add(set.variant.id)
          }
        }
      }
    }
    if (variantIds.size) {
      const { data: variants } = await query.graph({
        entity: "product_variant",
        fields: ["id", "listings.id", "listings.connection_id", "listings.match_status"],
        filters: { id: [...variantIds] },
      })
      for (const variant of variants as unknown as VariantRow[]) {
        ;(variant.listings ?? []).forEach(add)
      }
    }
    return new StepResponse(tasks)
  }
)
