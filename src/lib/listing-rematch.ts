import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * The active connections holding an unmatched or ambiguous listing whose SKU is one of these variants' SKUs
 * (trimmed and case-folded, as the matching compares them): the ones whose listings a new or renamed variant
 * may now match.
 *
 * @example
 * const connectionIds = await connectionsToRematch(container, ["variant_123"])
 */
export async function connectionsToRematch(container: MedusaContainer, variantIds: string[]): Promise<string[]> {
  if (!variantIds.length) {
    return []
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "product_variant", fields: ["id", "sku"], filters: { id: variantIds } })
  const skus = [
    ...new Set((data as unknown as { sku: string | null }[]).map((v) => v.sku?.trim().toLowerCase()).filter((s): s is string => !!s)),
  ]
  if (!skus.length) {
    return []
  }
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const listings = await marketplace.listListings(
    {
      match_status: ["unmatched", "ambiguous"],
      $or: skus.map((sku) => ({ sku: { $ilike: `%${escapeLike(sku)}%` } })),
    },
    { select: ["id", "sku", "connection_id"] }
  )
  const candidates = [
    ...new Set(listings.filter((l) => l.sku && skus.includes(l.sku.trim().toLowerCase())).map((l) => l.connection_id)),
  ]
  if (!candidates.length) {
    return []
  }
  const connections = await marketplace.listConnections({ id: candidates, status: "active" }, { select: ["id"] })
  return connections.map((c) => c.id)
}
