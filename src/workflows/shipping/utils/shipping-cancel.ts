import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { MarketplaceApiError } from "../../../providers/errors"
import type { CancelOrderInput, MarketplaceOrder, OrderStatus, ProviderIdentity } from "../../../providers/types"
import { cancelReasonOf } from "../../../providers/vocabulary"
import { refusalMessage } from "../../../lib/errors"
import { withShopSession } from "../../../lib/shop-session"

/** The marketplace no longer lets the seller cancel in these states (the parcel left, or it is over). */
const NOT_CANCELLABLE: OrderStatus[] = ["shipped", "delivered", "completed", "in_return"]

type MarketplaceOrderRef = {
  order_id: string
  connection_id: string
  external_order_id: string
  order_link_id: string | null
  order_link_status: string | null
  metadata: Record<string, unknown>
  items: { id: string; metadata: Record<string, unknown> | null }[]
}

/** The marketplace order behind a Medusa order, or null for an order that did not come from a marketplace. */
export async function marketplaceOrderRef(container: MedusaContainer, orderId: string): Promise<MarketplaceOrderRef | null> {
  const order = await container.resolve(Modules.ORDER).retrieveOrder(orderId, { select: ["id", "metadata"], relations: ["items"] })
  const metadata = (order.metadata ?? {}) as Record<string, unknown>
  const connectionId = metadata.marketplace_connection_id
  const externalOrderId = metadata.marketplace_order_id
  if (typeof connectionId !== "string" || typeof externalOrderId !== "string") {
    return null
  }
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const [link] = await marketplace.listOrderLinks({ connection_id: connectionId, external_order_id: externalOrderId })
  return {
    order_id: order.id,
    connection_id: connectionId,
    external_order_id: externalOrderId,
    order_link_id: link?.id ?? null,
    order_link_status: link?.status ?? null,
    metadata,
    items: (order.items ?? []).map((i) => ({ id: i.id, metadata: (i.metadata ?? null) as Record<string, unknown> | null })),
  }
}

/**
 * The reason sent with a seller cancellation: `metadata.marketplace_cancel_reason` of the order when the
 * merchant set one the provider declares (`vocabulary.cancel_reasons`), else the provider's default reason. A reason that names items names the lines in
 * `metadata.marketplace_cancel_item_ids` (line item ids), else every marketplace line.
 */
export function cancelInput(ref: MarketplaceOrderRef, provider: Pick<ProviderIdentity, "display_name" | "vocabulary">): CancelOrderInput {
  const reason = cancelReasonOf(provider, ref.metadata.marketplace_cancel_reason)
  if (!reason.names_items) {
    return { external_order_id: ref.external_order_id, reason: reason.id }
  }
  const singleModelId = provider.vocabulary.single_model_id ?? ""
  const chosen = Array.isArray(ref.metadata.marketplace_cancel_item_ids)
    ? new Set((ref.metadata.marketplace_cancel_item_ids as unknown[]).map(String))
    : null
  const seen = new Set<string>()
  const items = ref.items
    .filter((i) => !chosen || chosen.has(i.id))
    .map((i) => ({
      external_item_id: String(i.metadata?.external_item_id ?? ""),
      external_model_id: String(i.metadata?.external_model_id ?? singleModelId),
    }))
    .filter((i) => i.external_item_id && !seen.has(`${i.external_item_id}:${i.external_model_id}`) && seen.add(`${i.external_item_id}:${i.external_model_id}`))
  return { external_order_id: ref.external_order_id, reason: reason.id, items }
}

function notCancellable(live: MarketplaceOrder): MedusaError {
  return new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `Marketplace order ${live.external_id} can no longer be cancelled: it is ${live.status.replace("_", " ")} on the marketplace (${live.external_status}). Handle it as a return instead`
  )
}

export type MarketplaceCancelCheck =
  | { action: "none"; reason: string }
  | { action: "cancel"; input: CancelOrderInput; connection_id: string }

/**
 * What cancelling a marketplace order in Medusa needs on the marketplace, from its live state: nothing (not a
 * marketplace order, or already cancelled there), a seller cancellation with its reason, or a refusal
 * (`MedusaError` NOT_ALLOWED saying why) once the order has shipped.
 *
 * @example
 * const check = await checkMarketplaceCancellation(container, "order_123")
 */
export async function checkMarketplaceCancellation(container: MedusaContainer, orderId: string): Promise<MarketplaceCancelCheck> {
  const ref = await marketplaceOrderRef(container, orderId)
  if (!ref) {
    return { action: "none", reason: "not a marketplace order" }
  }
  if (ref.order_link_status === "cancelled") {
    return { action: "none", reason: "cancelled by the marketplace" }
  }
  const [live] = await withShopSession(container, ref.connection_id, (provider, session) =>
    provider.getOrders(session, [ref.external_order_id])
  ).catch((error) => {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `Could not read marketplace order ${ref.external_order_id} before cancelling it: ${error instanceof Error ? error.message : String(error)}`
    )
  })
  if (!live) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The marketplace does not know order ${ref.external_order_id}: it cannot be cancelled there`
    )
  }
  if (live.status === "cancelled") {
    return { action: "none", reason: "already cancelled on the marketplace" }
  }
  if (NOT_CANCELLABLE.includes(live.status)) {
    throw notCancellable(live)
  }
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const provider = await marketplace.retrieveConnectionProvider(ref.connection_id)
  return { action: "cancel", input: cancelInput(ref, provider), connection_id: ref.connection_id }
}

/**
 * Cancels a marketplace order on the marketplace for a cancellation made in Medusa (see
 * checkMarketplaceCancellation). A refusal becomes a `MedusaError` NOT_ALLOWED with the marketplace's words.
 *
 * @example
 * await cancelOnMarketplace(container, "order_123")
 */
export async function cancelOnMarketplace(container: MedusaContainer, orderId: string): Promise<MarketplaceCancelCheck> {
  const check = await checkMarketplaceCancellation(container, orderId)
  if (check.action === "none") {
    return check
  }
  try {
    await withShopSession(container, check.connection_id, (provider, session) => provider.cancelOrder(session, check.input))
  } catch (error) {
    if (MarketplaceApiError.is(error)) {
      throw new MedusaError(
        error.retryable ? MedusaError.Types.UNEXPECTED_STATE : MedusaError.Types.NOT_ALLOWED,
        refusalMessage("cancel", check.input.external_order_id, error)
      )
    }
    throw error
  }
  return check
}
