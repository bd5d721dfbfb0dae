import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

export const AdminGetListingParams = createSelectParams()

export const AdminGetListingsParams = createFindParams({ limit: 50, offset: 0, order: "-created_at" }).extend({
  q: z.string().optional(),
  connection_id: oneOrMany(z.string()).optional(),
  /** The match status: matched, unmatched or ambiguous. */
  status: oneOrMany(z.enum(["matched", "unmatched", "ambiguous"])).optional(),
  sku: z.string().optional(),
  /** Listings linked to this product variant (or any of these), e.g. for the variant page. */
  variant_id: oneOrMany(z.string().min(1)).optional(),
  /** These listings (one or many), e.g. the listings of held price changes. */
  id: oneOrMany(z.string().min(1)).optional(),
})
export type AdminGetListingsParamsType = z.infer<typeof AdminGetListingsParams>

export const AdminGetListingHistoryParams = createFindParams({ limit: 50, offset: 0, order: "-created_at" }).extend({
  kind: oneOrMany(z.enum(["push_stock", "push_price"])).optional(),
})
export type AdminGetListingHistoryParamsType = z.infer<typeof AdminGetListingHistoryParams>

export const ListingStockRulesSchema = z.strictObject({
  buffer: z.number().int().min(0).optional(),
  percentage: z.number().min(0).max(100).optional(),
  max: z.number().int().min(0).optional(),
})

export const AdminUpdateListing = z
  .strictObject({
    /** Link by hand to this variant; null unlinks. */
    variant_id: z.string().min(1).nullable().optional(),
    /** This listing's own stock rules, overriding the connection's; null removes them. */
    stock_rules: ListingStockRulesSchema.nullable().optional(),
  })
  .refine((body) => body.variant_id !== undefined || body.stock_rules !== undefined, {
    message: "Give variant_id or stock_rules",
  })
export type AdminUpdateListingType = z.infer<typeof AdminUpdateListing>

export const AdminLinkListingsBySku = z.strictObject({
  /** Each listing of the shop and the SKU of the variant to link it to. */
  links: z
    .array(z.strictObject({ listing_id: z.string().min(1), variant_sku: z.string().min(1).max(200) }))
    .min(1)
    .max(200)
    .refine((links) => new Set(links.map((l) => l.listing_id)).size === links.length, {
      message: "A listing appears more than once",
    }),
})
export type AdminLinkListingsBySkuType = z.infer<typeof AdminLinkListingsBySku>
