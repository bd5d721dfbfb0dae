import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type BuildReservationsStepInput = {
  order_id: string
  location_id: string | null
  connection_id: string
  /** The order's line items when the caller has them (createOrderWorkflow returns them); else they are read. */
  items?: { id: string; quantity: number | string; variant_id?: string | null }[]
}

type VariantRow = {
  id: string
  manage_inventory: boolean
  inventory_items?: { inventory_item_id: string; required_quantity: number }[]
}

type OrderItemRow = { id: string; quantity: number | string; variant_id?: string | null }

/** The reservations of order lines at a location: one per inventory item of each stock-managed variant. */
async function reservationsFor(
  container: MedusaContainer,
  all: OrderItemRow[],
  locationId: string | null,
  connectionId: string
) {
  const lines = all.filter((i) => i.variant_id)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = lines.length
    ? await query.graph({
        entity: "product_variant",
        fields: ["id", "manage_inventory", "inventory_items.inventory_item_id", "inventory_items.required_quantity"],
        filters: { id: [...new Set(lines.map((l) => l.variant_id as string))] },
      })
    : { data: [] }
  const variants = new Map((data as unknown as VariantRow[]).map((v) => [v.id, v]))
  // Reservations are keyed by line item: a resumed import (the last one died after reserving) makes none twice.
  const existing = lines.length
    ? await container
        .resolve(Modules.INVENTORY)
        .listReservationItems({ line_item_id: lines.map((l) => l.id) }, { select: ["line_item_id", "inventory_item_id"] })
    : []
  const reserved = new Set(existing.map((r) => `${r.line_item_id}:${r.inventory_item_id}`))
  const items = lines
    .map((line) => ({ id: line.id, quantity: Number(line.quantity), variant: variants.get(line.variant_id as string) }))
    .filter((i) => i.variant?.manage_inventory && i.variant.inventory_items?.length)
  if (items.length && !locationId) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Connection ${connectionId} has no stock location: choose one in its settings`
    )
  }
  // In inventory item order: createReservationsStep locks the items in the order it first meets them, and
  // two reservations taking the same items in different orders can each hold what the other waits for
  // (Medusa's in-memory locking then times out after 5 s).
  return items
    .flatMap((item) =>
      item.variant!.inventory_items!.filter((inv) => !reserved.has(`${item.id}:${inv.inventory_item_id}`)).map((inv) => ({
        line_item_id: item.id,
        inventory_item_id: inv.inventory_item_id,
        location_id: locationId as string,
        quantity: MathBN.mult(item.quantity, inv.required_quantity).toNumber(),
        // The marketplace has sold it: reserved even when Medusa has no stock left (its availability then goes
        // below zero; stock pushes never send less than 0), never refused.
        allow_backorder: true,
      }))
    )
    .sort((a, b) => (a.inventory_item_id < b.inventory_item_id ? -1 : a.inventory_item_id > b.inventory_item_id ? 1 : 0))
}

export const buildReservationsStepId = "build-marketplace-order-reservations"

/**
 * The reservations an imported order needs at the connection's stock location: one per inventory item of
 * each line on a variant that manages inventory (kits reserve each part).
 *
 * @example
 * const reservations = buildReservationsStep({ order_id, location_id, connection_id })
 */
export const buildReservationsStep = createStep(
  buildReservationsStepId,
  async (input: BuildReservationsStepInput, { container }) => {
    // Quantities come from the order module itself: through the query graph an order item's quantity
    // lives on its detail row and can come back empty.
    const all =
      input.items ??
      (await container.resolve(Modules.ORDER).retrieveOrder(input.order_id, { relations: ["items"] })).items ??
      []
    return new StepResponse(await reservationsFor(container, all, input.location_id, input.connection_id))
  }
)

export const buildOrdersReservationsStepId = "build-marketplace-orders-reservations"

/**
 * {@link buildReservationsStep} for a batch of new orders, with one variant query.
 *
 * @example
 * const reservations = buildOrdersReservationsStep({ items: order.items, location_id: "sloc_1", connection_id: "mpcon_1" })
 */
export const buildOrdersReservationsStep = createStep(
  buildOrdersReservationsStepId,
  async (input: { items: OrderItemRow[]; location_id: string | null; connection_id: string }, { container }) => {
    return new StepResponse(await reservationsFor(container, input.items, input.location_id, input.connection_id))
  }
)
