import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { chunk } from "../../../lib/chunk"
import type { MarketplaceListing } from "../../../providers/types"

export type MatchListingsStepInput = { listings: MarketplaceListing[] }

export type ListingMatch = {
  external_item_id: string
  external_model_id: string
  match_status: "matched" | "unmatched" | "ambiguous"
  variant_id: string | null
  /** Variants that share the SKU, when ambiguous. */
  candidates: string[]
}

type VariantRow = { id: string; sku: string | null }

const fold = (sku: string) => sku.trim().toLowerCase()
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export const matchListingsStepId = "match-marketplace-listings"

/**
 * Finds the variant of each marketplace listing by SKU: an exact match first, then the SKUs trimmed and
 * case-folded on both sides. One candidate matches; none leaves the listing unmatched; several make it
 * ambiguous (never guessed). Reads only.
 *
 * @example
 * const matches = matchListingsStep({ listings })
 */
export const matchListingsStep = createStep(matchListingsStepId, async ({ listings }: MatchListingsStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const skus = [...new Set(listings.map((l) => l.sku).filter((s): s is string => !!s && !!s.trim()))]

  const exact = new Map<string, string[]>()
  for (const part of chunk(skus, 200)) {
    const { data } = await query.graph({ entity: "product_variant", fields: ["id", "sku"], filters: { sku: part } })
    for (const v of data as unknown as VariantRow[]) {
      if (v.sku) {
        exact.set(v.sku, [...(exact.get(v.sku) ?? []), v.id])
      }
    }
  }

  const folded = new Map<string, string[]>()
  const rest = [...new Set(skus.filter((s) => !exact.has(s)).map(fold))].filter(Boolean)
  for (const part of chunk(rest, 50)) {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku"],
      filters: { $or: part.map((s) => ({ sku: { $ilike: `%${escapeLike(s)}%` } })) },
    })
    for (const v of data as unknown as VariantRow[]) {
      if (!v.sku) {
        continue
      }
      const key = fold(v.sku)
      const ids = folded.get(key) ?? []
      if (!ids.includes(v.id)) {
        folded.set(key, [...ids, v.id])
      }
    }
  }

  const matches: ListingMatch[] = listings.map((l) => {
    const candidates = !l.sku || !l.sku.trim() ? [] : exact.get(l.sku) ?? folded.get(fold(l.sku)) ?? []
    return {
      external_item_id: l.external_item_id,
      external_model_id: l.external_model_id,
      match_status: candidates.length === 1 ? "matched" : candidates.length > 1 ? "ambiguous" : "unmatched",
      variant_id: candidates.length === 1 ? candidates[0] : null,
      candidates: candidates.length > 1 ? candidates : [],
    }
  })
  return new StepResponse(matches)
})
