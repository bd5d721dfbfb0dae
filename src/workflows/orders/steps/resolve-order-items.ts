import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import type { MarketplaceOrderItem } from "../../../providers/types"
import type { ResolvedLine } from "../utils/order-input"

export type ResolveOrderItemsStepInput = { connection_id: string; items: MarketplaceOrderItem[] }

type VariantRow = { id: string; sku: string | null }

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export const resolveOrderItemsStepId = "resolve-marketplace-order-items"

/**
 * Finds the Medusa variant of each marketplace line: through its listing when one exists, else by SKU
 * (exact, then trimmed and case-folded), which creates the listing. A line with no variant, or with several
 * candidates, stays unmatched (it becomes a custom line item; the listing says why).
 *
 * @example
 * const { lines, has_unmatched } = resolveOrderItemsStep({ connection_id: "mpcon_123", items: order.items })
 */
export const resolveOrderItemsStep = createStep(
  resolveOrderItemsStepId,
  async ({ connection_id, items }: ResolveOrderItemsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)

    const { data: listingRows } = await query.graph({
      entity: "listing",
      fields: ["id", "external_item_id", "external_model_id", "match_status", "product_variant.id"],
      filters: { connection_id, external_item_id: [...new Set(items.map((i) => i.external_item_id))] },
    })
    const listings = listingRows as unknown as {
      id: string
      external_item_id: string
      external_model_id: string
      product_variant?: { id: string } | null
    }[]
    const keyOf = (itemId: string, modelId: string) => `${itemId}:${modelId}`
    const byKey = new Map(listings.map((l) => [keyOf(l.external_item_id, l.external_model_id), l]))

    const findBySku = async (sku: string): Promise<VariantRow[]> => {
      const exact = await query.graph({ entity: "product_variant", fields: ["id", "sku"], filters: { sku } })
      if (exact.data.length) {
        return exact.data as VariantRow[]
      }
      const folded = await query.graph({
        entity: "product_variant",
        fields: ["id", "sku"],
        filters: { sku: { $ilike: escapeLike(sku.trim()) } },
      })
      return folded.data as VariantRow[]
    }

    const lines: ResolvedLine[] = []
    const createdListings: string[] = []
    for (const item of items) {
      const key = keyOf(item.external_item_id, item.external_model_id)
      const known = byKey.get(key)
      if (known) {
        lines.push({ line_id: item.line_id, variant_id: known.product_variant?.id ?? null })
        continue
      }
      const candidates = item.sku ? await findBySku(item.sku) : []
      const variantId = candidates.length === 1 ? candidates[0].id : null
      const matchStatus = variantId ? "matched" : candidates.length > 1 ? "ambiguous" : "unmatched"
      let listingId: string
      try {
        const created = await marketplace.createListings({
          connection_id,
          external_item_id: item.external_item_id,
          external_model_id: item.external_model_id,
          sku: item.sku,
          title: item.title,
          variant_title: item.variant_title,
          match_status: matchStatus,
          match_method: variantId ? "sku" : null,
        })
        listingId = created.id
        createdListings.push(listingId)
        if (variantId) {
          await link.create({
            [MARKETPLACE_MODULE]: { listing_id: listingId },
            product: { product_variant_id: variantId },
          })
        }
      } catch (error) {
        // Another import created the same listing meanwhile: use theirs.
        const { data } = await query.graph({
          entity: "listing",
          fields: ["id", "match_status", "product_variant.id"],
          filters: {
            connection_id,
            external_item_id: item.external_item_id,
            external_model_id: item.external_model_id,
          },
        })
        const theirs = data[0] as unknown as
          | { id: string; match_status: string; product_variant?: { id: string } | null }
          | undefined
        if (!theirs) {
          throw error
        }
        // The import that created it links the variant right after creating the listing: a "matched" listing
        // without its link yet is the same SKU match as ours (an order imported at that moment must not lose
        // its variant).
        const theirVariant = theirs.product_variant?.id ?? (theirs.match_status === "matched" ? variantId : null)
        byKey.set(key, { id: theirs.id, ...item, product_variant: theirVariant ? { id: theirVariant } : null })
        lines.push({ line_id: item.line_id, variant_id: theirVariant })
        continue
      }
      byKey.set(key, { id: listingId, ...item, product_variant: variantId ? { id: variantId } : null })
      lines.push({ line_id: item.line_id, variant_id: variantId })
    }

    return new StepResponse(
      { lines, has_unmatched: lines.some((l) => !l.variant_id) },
      createdListings
    )
  },
  async (createdListings, { container }) => {
    if (!createdListings?.length) {
      return
    }
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    await link.delete({ [MARKETPLACE_MODULE]: { listing_id: createdListings } })
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteListings(createdListings)
  }
)
