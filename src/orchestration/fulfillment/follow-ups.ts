import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import {
  marketplaceFulfillmentProviderId,
  type MarketplaceFulfillmentData,
} from "../../providers/marketplace-fulfillment/constants"

/** Marketplace fulfilments whose follow-up is due now (not cancelled, attempts left), oldest first. */
export async function listDueFollowUps(container: MedusaContainer, limit = 50): Promise<string[]> {
  const fulfillments = container.resolve(Modules.FULFILLMENT)
  const rows = await fulfillments.listFulfillments(
    { provider_id: marketplaceFulfillmentProviderId() },
    { select: ["id", "data", "canceled_at", "created_at"], order: { created_at: "ASC" }, take: 1000 }
  )
  const now = Date.now()
  return rows
    .filter((f) => {
      if (f.canceled_at) {
        return false
      }
      const followUp = (f.data as unknown as MarketplaceFulfillmentData | null)?.follow_up
      return !!followUp && !!followUp.next_attempt_at && new Date(followUp.next_attempt_at).getTime() <= now
    })
    .slice(0, limit)
    .map((f) => f.id)
}
