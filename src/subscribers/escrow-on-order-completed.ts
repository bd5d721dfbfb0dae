import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { MarketplaceEvents } from "../modules/marketplace/events"
import { escrowStatusesOf, isEscrowDeferred, syncConnectionEscrow } from "../orchestration/escrow/escrow-sync"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"
import { errorMessage } from "../lib/errors"
import type { OrderStatus } from "../providers/types"

type OrderEvent = { id: string; order_id: string; connection_id: string; external_order_id: string; status: OrderStatus }

/**
 * An imported order that became settled (completed, or the status its platform settles in) gets its escrow at once instead of at the next hourly sync, unless
 * the import fetches it with the rest of its batch, or it was fetched since the order's last change.
 */
export default async function escrowOnOrderCompleted({ event, container }: SubscriberArgs<OrderEvent>) {
  if (isEscrowDeferred(event.data.connection_id, event.data.external_order_id)) return
  // The statuses the platform settles in (`settled_statuses` of its provider: `completed` by default).
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(event.data.connection_id, { select: ["platform"] }).catch(() => null)
  if (!connection || !marketplace.hasProvider(connection.platform)) return
  if (!escrowStatusesOf(marketplace.getProvider(connection.platform)).includes(event.data.status)) return
  await syncConnectionEscrow(container, event.data.connection_id, { orderLinkIds: [event.data.id], onlyStale: true }).catch((e) =>
    // The hourly sync picks it up again.
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Escrow of marketplace order ${event.data.external_order_id} failed: ${errorMessage(e)}`)
  )
}

export const config: SubscriberConfig = {
  event: [MarketplaceEvents.ORDER_IMPORTED, MarketplaceEvents.ORDER_UPDATED],
  context: { subscriberId: "marketplace-escrow-on-order-completed" },
}
