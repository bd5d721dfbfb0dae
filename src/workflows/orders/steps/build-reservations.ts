import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
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
    const items = lines
      .map((line) => ({ id: line.id, quantity: Number(line.quantity), variant: variants.get(line.variant_id as string) }))
      .filter((i) => i.variant?.manage_inventory && i.variant.inventory_items?.length)
    if (items.length && !input.location_id) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Connection ${input.connection_id} has no stock location: choose one in its settings`
      )
    }
    const reservations = items.flatMap((item) =>
      item.variant!.inventory_items!.map((inv) => ({
        line_item_id: item.id,
        inventory_item_id: inv.inventory_item_id,
        location_id: input.location_id as string,
        quantity: MathBN.mult(item.quantity, inv.required_quantity).toNumber(),
      }))
    )
    return new StepResponse(reservations)
  }
)
