import { z } from "@medusajs/framework/zod"

/** The monitor's stats: the last `hours` hours (24 by default, at most a week), one connection or all. */
export const AdminGetStatsParams = z.strictObject({
  hours: z.coerce.number().int().min(1).max(168).optional(),
  connection_id: z.string().min(1).optional(),
})
export type AdminGetStatsParamsType = z.infer<typeof AdminGetStatsParams>
