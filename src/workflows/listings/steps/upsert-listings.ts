import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceListing } from "../../../providers/types"
import type { ListingMatch } from "./match-listings"

export type UpsertListingsStepInput = {
  connection_id: string
  listings: MarketplaceListing[]
  matches: ListingMatch[]
}

export type UpsertListingsStepOutput = {
  seen: number
  created: number
  updated: number
  matched: number
  unmatched: number
  ambiguous: number
  /** Listings linked to a variant by this sync (new, or their SKU now points elsewhere). */
  newly_matched: string[]
}

type ExistingRow = {
  id: string
  external_item_id: string
  external_model_id: string
  sku: string | null
  title: string | null
  variant_title: string | null
  match_status: "matched" | "unmatched" | "ambiguous"
  match_method: "sku" | "manual" | null
  external_price: number | null
  external_stock: number | null
  product_variant?: { id: string } | null
}

type LinkDef = Record<string, Record<string, string>>

type Undo = {
  created: string[]
  restored: Omit<ExistingRow, "product_variant">[]
  links_created: LinkDef[]
  links_dismissed: LinkDef[]
}

const keyOf = (itemId: string, modelId: string) => `${itemId}:${modelId}`
const linkOf = (listingId: string, variantId: string): LinkDef => ({
  [MARKETPLACE_MODULE]: { listing_id: listingId },
  [Modules.PRODUCT]: { product_variant_id: variantId },
})

export const upsertListingsStepId = "upsert-marketplace-listings"

/**
 * Stores a shop's listings with what the marketplace shows (SKU, titles, price, stock) and links each
 * SKU-matched one to its variant. A listing linked by hand keeps its variant. Compensation deletes what it
 * created and restores rows and links it changed.
 *
 * @example
 * const summary = upsertListingsStep({ connection_id: "mpcon_123", listings, matches })
 */
export const upsertListingsStep = createStep(
  upsertListingsStepId,
  async ({ connection_id, listings, matches }: UpsertListingsStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)

    const { data } = await query.graph({
      entity: "listing",
      fields: [
        "id",
        "external_item_id",
        "external_model_id",
        "sku",
        "title",
        "variant_title",
        "match_status",
        "match_method",
        "external_price",
        "external_stock",
        "product_variant.id",
      ],
      filters: { connection_id },
    })
    const existing = new Map((data as unknown as ExistingRow[]).map((r) => [keyOf(r.external_item_id, r.external_model_id), r]))
    const matchOf = new Map(matches.map((m) => [keyOf(m.external_item_id, m.external_model_id), m]))

    const undo: Undo = { created: [], restored: [], links_created: [], links_dismissed: [] }
    const summary: UpsertListingsStepOutput = { seen: listings.length, created: 0, updated: 0, matched: 0, unmatched: 0, ambiguous: 0, newly_matched: [] }
    const toCreate: { listing: MarketplaceListing; match: ListingMatch }[] = []
    const updates: Record<string, unknown>[] = []

    for (const listing of listings) {
      const key = keyOf(listing.external_item_id, listing.external_model_id)
      const match = matchOf.get(key) ?? { ...listing, match_status: "unmatched" as const, variant_id: null, candidates: [] }
      const row = existing.get(key)
      if (!row) {
        toCreate.push({ listing, match })
        continue
      }
      const shown = {
        sku: listing.sku,
        title: listing.title,
        variant_title: listing.variant_title,
        external_price: listing.price == null ? null : Number(listing.price),
        external_stock: listing.stock,
      }
      const { product_variant, ...previous } = row
      undo.restored.push(previous)
      summary.updated++
      if (row.match_method === "manual") {
        summary[row.match_status]++
        updates.push({ id: row.id, ...shown })
        continue
      }
      const current = product_variant?.id ?? null
      if (current !== match.variant_id) {
        if (current) {
          undo.links_dismissed.push(linkOf(row.id, current))
        }
        if (match.variant_id) {
          undo.links_created.push(linkOf(row.id, match.variant_id))
          summary.newly_matched.push(row.id)
        }
      }
      summary[match.match_status]++
      updates.push({ id: row.id, ...shown, match_status: match.match_status, match_method: match.variant_id ? "sku" : null })
    }

    if (updates.length) {
      await marketplace.updateListings(updates)
    }
    if (toCreate.length) {
      const created = await marketplace.createListings(
        toCreate.map(({ listing, match }) => ({
          connection_id,
          external_item_id: listing.external_item_id,
          external_model_id: listing.external_model_id,
          sku: listing.sku,
          title: listing.title,
          variant_title: listing.variant_title,
          external_price: listing.price == null ? null : Number(listing.price),
          external_stock: listing.stock,
          match_status: match.match_status,
          match_method: match.variant_id ? ("sku" as const) : null,
        }))
      )
      const createdMatch = new Map(toCreate.map(({ listing, match }) => [keyOf(listing.external_item_id, listing.external_model_id), match]))
      created.forEach((row) => {
        const match = createdMatch.get(keyOf(row.external_item_id, row.external_model_id)) as ListingMatch
        undo.created.push(row.id)
        summary.created++
        summary[match.match_status]++
        if (match.variant_id) {
          undo.links_created.push(linkOf(row.id, match.variant_id))
          summary.newly_matched.push(row.id)
        }
      })
    }
    if (undo.links_dismissed.length) {
      await link.dismiss(undo.links_dismissed)
    }
    if (undo.links_created.length) {
      await link.create(undo.links_created)
    }
    return new StepResponse(summary, undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    if (undo.links_created.length) {
      await link.dismiss(undo.links_created)
    }
    if (undo.links_dismissed.length) {
      await link.create(undo.links_dismissed)
    }
    if (undo.restored.length) {
      await marketplace.updateListings(undo.restored)
    }
    if (undo.created.length) {
      await marketplace.deleteListings(undo.created)
    }
  }
)
