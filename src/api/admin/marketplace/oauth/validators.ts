import { z } from "@medusajs/framework/zod"

export const AdminStartAuthorization = z.strictObject({
  /** Where the marketplace sends the merchant back; defaults to the admin's OAuth page. */
  redirect_url: z.url({ protocol: /^https?$/ }).optional(),
})
export type AdminStartAuthorizationType = z.infer<typeof AdminStartAuthorization>

/**
 * The callback's query string as the admin page received it, passed through unchanged: each platform names
 * its parameters its own way (Shopee's `shop_id`, others' seller or account ids), and its provider picks
 * what it needs, the state included.
 */
export const AdminFinishAuthorization = z
  .record(z.string().min(1).max(100), z.string().max(2000))
  .refine((params) => Object.keys(params).length <= 50, { message: "Too many callback parameters" })
export type AdminFinishAuthorizationType = z.infer<typeof AdminFinishAuthorization>

/** The shops of a grant the merchant chose to connect. */
export const AdminConnectGrantShops = z.strictObject({
  shop_ids: z.array(z.string().min(1).max(100)).min(1).max(100),
})
export type AdminConnectGrantShopsType = z.infer<typeof AdminConnectGrantShops>
