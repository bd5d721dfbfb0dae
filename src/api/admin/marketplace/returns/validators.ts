import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"
import { RETURN_STATUSES } from "../../../../providers/types"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

export const AdminGetReturnLinkParams = createSelectParams()

export const AdminGetReturnLinksParams = createFindParams({ limit: 50, offset: 0, order: "-external_updated_at" }).extend({
  connection_id: oneOrMany(z.string()).optional(),
  status: oneOrMany(z.enum(RETURN_STATUSES)).optional(),
  /** A return solution id of the providers' vocabularies ("refund_only"...). */
  solution: z.string().trim().min(1).optional(),
  external_return_id: oneOrMany(z.string()).optional(),
  external_order_id: oneOrMany(z.string()).optional(),
  order_link_id: z.string().optional(),
})

/** Accepting takes no options: the marketplace refunds the buyer as the return stands. */
export const AdminAcceptReturn = z.strictObject({})
export type AdminAcceptReturnType = z.infer<typeof AdminAcceptReturn>

/** A dispute: a reason as the provider's `vocabulary.dispute_reasons` describes it, and the seller's explanation. */
export const AdminDisputeReturn = z.strictObject({
  reason: z.string().trim().min(1).max(100),
  text: z.string().trim().max(2000).optional(),
})
export type AdminDisputeReturnType = z.infer<typeof AdminDisputeReturn>
