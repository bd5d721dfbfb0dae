import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

export const AdminGetTaskParams = createSelectParams()

export const AdminGetTasksParams = createFindParams({ limit: 50, offset: 0, order: "-created_at" }).extend({
  connection_id: oneOrMany(z.string()).optional(),
  listing_id: oneOrMany(z.string()).optional(),
  kind: oneOrMany(z.string()).optional(),
  status: oneOrMany(z.enum(["pending", "processing", "done", "failed", "dead", "held"])).optional(),
})
export type AdminGetTasksParamsType = z.infer<typeof AdminGetTasksParams>
