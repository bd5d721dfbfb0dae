import { z } from "@medusajs/framework/zod"

/** The longest range one request may cover, in days (both ends included). */
export const MAX_ANALYTICS_DAYS = 366

const DAY = /^\d{4}-\d{2}-\d{2}$/
const isoDay = z
  .string()
  .regex(DAY, "must be a day as YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: "must be a real calendar day",
  })
// `connection_id[]=a&connection_id[]=b`, `connection_id=a` or `connection_id=a,b`: always a list.
const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((v) => v.trim()).filter(Boolean))
  .pipe(z.array(z.string().min(1).max(100)).max(100))

const rangeCheck = (value: { from: string; to: string }, ctx: z.RefinementCtx) => {
  const days = (Date.parse(value.to) - Date.parse(value.from)) / 86400_000 + 1
  if (days < 1) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" })
  } else if (days > MAX_ANALYTICS_DAYS) {
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `the range covers ${days} days; at most ${MAX_ANALYTICS_DAYS}`,
    })
  }
}

/**
 * The analytics range: UTC days `from` to `to`, both included, at most 366 days; optionally some shops
 * (`connection_id`) or platforms (`platform`). `granularity` is `day` (the only one today).
 */
export const AdminGetAnalyticsParams = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    connection_id: idList.optional(),
    platform: idList.optional(),
    granularity: z.enum(["day"]).default("day"),
    top: z.coerce.number().int().min(1).max(50).default(10),
  })
  .superRefine(rangeCheck)
export type AdminGetAnalyticsParamsType = z.infer<typeof AdminGetAnalyticsParams>

/** POST /admin/marketplace/analytics/refresh: the UTC days `from` to `to` (at most 366) of some shops (default all). */
export const AdminRefreshAnalytics = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    connection_id: idList.optional(),
  })
  .superRefine(rangeCheck)
export type AdminRefreshAnalyticsType = z.infer<typeof AdminRefreshAnalytics>
