import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminGetListingsParamsType } from "./validators"

/** The ids of the listings linked to these variants (listing <-> product variant link). */
async function listingIdsOfVariants(req: AuthenticatedMedusaRequest, variantIds: string[]): Promise<string[]> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "listings.id"],
    filters: { id: variantIds },
  })
  return (data as unknown as { listings?: ({ id: string } | null)[] | null }[]).flatMap((variant) =>
    (variant.listings ?? []).filter((l): l is { id: string } => !!l).map((l) => l.id)
  )
}

/**
 * GET /admin/marketplace/listings: the shops' items and models, e.g. `?status=unmatched` to link by hand, or
 * `?variant_id=variant_123` for the listings of one variant in every shop.
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetListingsParamsType>, res: MedusaResponse) => {
  const { status, variant_id, ...filters } = req.filterableFields as Record<string, unknown>
  const idOrFilter: Record<string, unknown> = { ...filters, ...(status ? { match_status: status } : {}) }
  if (variant_id) {
    const ids = await listingIdsOfVariants(req, ([] as string[]).concat(variant_id as string | string[]))
    if (!ids.length) {
      const { skip = 0, take = 50 } = (req.queryConfig.pagination ?? {}) as { skip?: number; take?: number }
      return res.json({ listings: [], count: 0, offset: skip, limit: take })
    }
    idOrFilter.id = ids
  }
  const { data: listings, metadata } = await refetchEntities({
    entity: "listing",
    idOrFilter,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ listings, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}
