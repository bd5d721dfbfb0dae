import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])
const EVENT_STATUSES = ["pending", "processing", "done", "failed", "dead", "ignored"] as const

export const AdminGetEventParams = createSelectParams()

export const AdminGetEventsParams = createFindParams({ limit: 50, offset: 0, order: "-received_at" }).extend({
  status: oneOrMany(z.enum(EVENT_STATUSES)).optional(),
  connection_id: oneOrMany(z.string()).optional(),
  platform: oneOrMany(z.string()).optional(),
  type: oneOrMany(z.string()).optional(),
  external_order_id: z.string().optional(),
})

/** Retry many: by ids, or every event in the given statuses (failed and dead by default). */
export const AdminRetryEvents = z.strictObject({
  ids: z.array(z.string().min(1)).min(1).max(1000).optional(),
  status: z.array(z.enum(["failed", "dead"])).min(1).optional(),
  connection_id: z.string().optional(),
})
export type AdminRetryEventsType = z.infer<typeof AdminRetryEvents>
