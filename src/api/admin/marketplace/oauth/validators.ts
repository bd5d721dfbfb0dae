import { z } from "@medusajs/framework/zod"

export const AdminStartAuthorization = z.strictObject({
  /** Where the marketplace sends the merchant back; defaults to the admin's OAuth page. */
  redirect_url: z.url({ protocol: /^https?$/ }).optional(),
})
export type AdminStartAuthorizationType = z.infer<typeof AdminStartAuthorization>

/**
 * The callback's query as the admin page received it: state and code, the shop (Shopee's `shop_id` or
 * `main_account_id`), and any other field a platform sends, under `params`.
 */
export const AdminFinishAuthorization = z.strictObject({
  state: z.string().min(1).max(200),
  code: z.string().min(1).max(1000),
  shop_id: z.string().max(100).optional(),
  main_account_id: z.string().max(100).optional(),
  params: z.record(z.string().max(100), z.string().max(1000)).optional(),
})
export type AdminFinishAuthorizationType = z.infer<typeof AdminFinishAuthorization>
