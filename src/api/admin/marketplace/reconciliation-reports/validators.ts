import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

/** The longest range one report may cover, in days. */
const MAX_DAYS = 92

export const AdminReconcile = z
  .strictObject({
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .refine((b) => b.from < b.to, { message: "`from` must be before `to`", path: ["from"] })
  .refine((b) => b.to.getTime() - b.from.getTime() <= MAX_DAYS * 86400_000, {
    message: `The range cannot be longer than ${MAX_DAYS} days`,
    path: ["to"],
  })
export type AdminReconcileType = z.infer<typeof AdminReconcile>

export const AdminGetReconciliationReportParams = createSelectParams()

export const AdminGetReconciliationReportsParams = createFindParams({
  limit: 20,
  offset: 0,
  order: "-created_at",
}).extend({
  connection_id: oneOrMany(z.string()).optional(),
  status: oneOrMany(z.enum(["running", "completed", "failed"])).optional(),
  trigger: oneOrMany(z.enum(["manual", "scheduled"])).optional(),
})
