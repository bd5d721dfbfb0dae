import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

export const AdminStartSync = z
  .strictObject({
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
  })
  .refine((b) => !b.from || !b.to || b.from < b.to, { message: "`from` must be before `to`", path: ["from"] })
export type AdminStartSyncType = z.infer<typeof AdminStartSync>

export const AdminGetSyncRunParams = createSelectParams()

export const AdminGetSyncRunsParams = createFindParams({ limit: 20, offset: 0, order: "-created_at" }).extend({
  connection_id: oneOrMany(z.string()).optional(),
  status: oneOrMany(z.enum(["pending", "running", "completed", "failed", "cancelled"])).optional(),
  kind: oneOrMany(z.string()).optional(),
})
