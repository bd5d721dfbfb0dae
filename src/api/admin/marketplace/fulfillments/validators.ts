import { z } from "@medusajs/framework/zod"

/** POST /admin/marketplace/fulfillments/:id/follow-up takes no body. */
export const AdminFollowUpFulfillment = z.strictObject({})
export type AdminFollowUpFulfillmentType = z.infer<typeof AdminFollowUpFulfillment>
