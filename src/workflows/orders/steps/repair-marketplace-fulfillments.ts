import { ChangeActionType, ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { marketplaceFulfillmentProviderId } from "../../../providers/marketplace-fulfillment/constants"
import { readOrderFulfillments, type OrderFulfillmentRow } from "../utils/order-fulfillments"

export type RepairMarketplaceFulfillmentsStepInput = {
  /** The order to repair; null (a fresh order, nothing to repair) does nothing. */
  order_id: string | null
}

export type RepairMarketplaceFulfillmentsStepOutput = {
  /** What was repaired, as `<fulfillment id>:<what>` (registered, shipment, shipped_at, delivery, delivered_at). */
  repaired: string[]
}

export const repairMarketplaceFulfillmentsStepId = "repair-marketplace-fulfillments"

/**
 * The import's own fulfilments (`data.origin` "marketplace") that hold this order's lines but were never linked
 * to it: Medusa's createOrderFulfillmentWorkflow creates the fulfilment and takes its stock before the parallel
 * steps that link it and record it on the order, so a process killed in between leaves a fulfilment no order
 * shows, with the stock gone. The next import would make a second one and take the stock twice. The import
 * creates these under the order's lock, so one found unlinked by the lock's next holder is a dead process's:
 * it is linked to the order here, and the rest of the repair records it and brings its reservations down.
 * A fulfilment the merchant creates in Medusa (origin "medusa") is left alone: its flow holds no such lock.
 */
async function linkStrayFulfillments(
  container: MedusaContainer,
  orderId: string,
  providerId: string,
  linked: OrderFulfillmentRow[]
): Promise<string[]> {
  const {
    data: [order],
  } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "items.id"],
    filters: { id: orderId },
  })
  const lineIds = ((order as unknown as { items?: { id: string }[] } | undefined)?.items ?? []).map((i) => i.id)
  if (!lineIds.length) return []
  const candidates = (await container.resolve(Modules.FULFILLMENT).listFulfillments(
    { provider_id: providerId, canceled_at: null, items: { line_item_id: lineIds } } as never,
    { select: ["id", "data"] }
  )) as unknown as { id: string; data: Record<string, unknown> | null }[]
  const known = new Set(linked.map((f) => f.id))
  // Line ids belong to one order: a fulfilment holding this order's lines and not linked to it is linked to none.
  const stray = candidates.filter((f) => !known.has(f.id) && f.data?.origin === "marketplace").map((f) => f.id)
  if (!stray.length) return []
  await container.resolve(ContainerRegistrationKeys.LINK).create(
    stray.map((fulfillment_id) => ({ [Modules.ORDER]: { order_id: orderId }, [Modules.FULFILLMENT]: { fulfillment_id } }))
  )
  return stray
}

type LineRow = {
  id: string
  quantity?: number | string
  /** The order's current quantities (the line's own quantity is the one it was created with). */
  detail?: { quantity?: number | string | null; fulfilled_quantity?: number | string | null } | null
  variant?: { inventory_items?: { inventory_item_id: string; required_quantity: number | string }[] | null } | null
}

type ActionRow = { action: string; reference_id: string | null }

/**
 * Each of Medusa's fulfilment flows writes the same fact twice, in parallel steps of one workflow: in the
 * fulfillment module (the fulfilment, its `shipped_at`, its `delivered_at`) and in the order module (a
 * FULFILL_ITEM, SHIP_ITEM or DELIVER_ITEM change naming the fulfilment, which moves the lines' fulfilled,
 * shipped and delivered quantities). A process killed between the two leaves one written and not the other, and
 * no compensation runs. The next import would then ship a fulfilment the order never recorded ("Cannot ship more
 * items than what was fulfilled") or ship again one the order already counts as shipped, for every retry.
 *
 * Before the import touches the order's fulfilments, this makes the two sides agree, for the plugin's own
 * fulfilments (the marketplace-logistics provider): the order records what the fulfillment module holds, and the
 * fulfillment module gets the date of what the order already records. A fulfilment linked to the order but never
 * recorded by it had its stock taken (Medusa adjusts the levels before the parallel steps) and may still hold
 * the reservation it consumed: that reservation is brought down to what the line has left to fulfil. One the
 * import made and a dead process never linked to the order is linked first (see `linkStrayFulfillments`).
 * No compensation: what it records happened.
 *
 * @example
 * repairMarketplaceFulfillmentsStep({ order_id: "order_123" })
 */
export const repairMarketplaceFulfillmentsStep = createStep(
  repairMarketplaceFulfillmentsStepId,
  async (input: RepairMarketplaceFulfillmentsStepInput, { container }) => {
    const repaired: string[] = []
    if (!input.order_id) return new StepResponse<RepairMarketplaceFulfillmentsStepOutput>({ repaired })
    const orderId = input.order_id
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const providerId = marketplaceFulfillmentProviderId()
    let ours = (await readOrderFulfillments(container, orderId)).filter((f) => f.provider_id === providerId)
    const adopted = await linkStrayFulfillments(container, orderId, providerId, ours)
    if (adopted.length) {
      repaired.push(...adopted.map((id) => `${id}:linked`))
      ours = (await readOrderFulfillments(container, orderId)).filter((f) => f.provider_id === providerId)
    }
    if (!ours.length) return new StepResponse<RepairMarketplaceFulfillmentsStepOutput>({ repaired })

    const orders = container.resolve(Modules.ORDER)
    const actions = (await orders.listOrderChangeActions(
      {
        order_id: orderId,
        reference_id: ours.map((f) => f.id),
        action: [ChangeActionType.FULFILL_ITEM, ChangeActionType.SHIP_ITEM, ChangeActionType.DELIVER_ITEM],
      } as never,
      { select: ["action", "reference_id"] }
    )) as unknown as ActionRow[]
    const recorded = (fulfillmentId: string, action: ChangeActionType) =>
      actions.some((a) => a.reference_id === fulfillmentId && a.action === action)

    // Everything recorded already: reads only, nothing written (the usual case).
    const needsWork = ours.some(
      (f) =>
        !recorded(f.id, ChangeActionType.FULFILL_ITEM) ||
        !!f.shipped_at !== recorded(f.id, ChangeActionType.SHIP_ITEM) ||
        !!f.delivered_at !== recorded(f.id, ChangeActionType.DELIVER_ITEM)
    )
    if (!needsWork) return new StepResponse<RepairMarketplaceFulfillmentsStepOutput>({ repaired })

    const {
      data: [withLines],
    } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "items.id",
        "items.variant.inventory_items.inventory_item_id",
        "items.variant.inventory_items.required_quantity",
      ],
      filters: { id: orderId },
    })
    const lines = new Map((((withLines as unknown as { items?: LineRow[] })?.items ?? []) as LineRow[]).map((l) => [l.id, l]))
    // A fulfilment's lines in the order's units, the way Medusa's own flows count them (fulfilment items are
    // per inventory item, in inventory units).
    const lineQuantities = (f: OrderFulfillmentRow) => {
      const byLine = new Map<string, number>()
      for (const item of f.items ?? []) {
        if (!item.line_item_id || byLine.has(item.line_item_id)) continue
        const required = lines
          .get(item.line_item_id)
          ?.variant?.inventory_items?.find((i) => i.inventory_item_id === item.inventory_item_id)?.required_quantity
        byLine.set(item.line_item_id, required ? MathBN.div(item.quantity, required).toNumber() : Number(item.quantity))
      }
      return [...byLine].map(([id, quantity]) => ({ id, quantity }))
    }
    const registration = (f: OrderFulfillmentRow) => ({
      order_id: orderId,
      reference: Modules.FULFILLMENT,
      reference_id: f.id,
      items: lineQuantities(f),
      created_by: "marketplace-sync",
    })

    const fulfillments = container.resolve(Modules.FULFILLMENT)
    const unreservedLines = new Set<string>()
    for (const f of ours) {
      if (!recorded(f.id, ChangeActionType.FULFILL_ITEM)) {
        await orders.registerFulfillment(registration(f))
        for (const item of f.items ?? []) if (item.line_item_id) unreservedLines.add(item.line_item_id)
        repaired.push(`${f.id}:registered`)
      }
      const shipped = recorded(f.id, ChangeActionType.SHIP_ITEM)
      if (f.shipped_at && !shipped) {
        await orders.registerShipment(registration(f))
        repaired.push(`${f.id}:shipment`)
      } else if (!f.shipped_at && shipped) {
        await fulfillments.updateFulfillment(f.id, { shipped_at: new Date() })
        repaired.push(`${f.id}:shipped_at`)
      }
      const delivered = recorded(f.id, ChangeActionType.DELIVER_ITEM)
      if (f.delivered_at && !delivered) {
        await orders.registerDelivery(registration(f))
        repaired.push(`${f.id}:delivery`)
      } else if (!f.delivered_at && delivered) {
        await fulfillments.updateFulfillment(f.id, { delivered_at: new Date() })
        repaired.push(`${f.id}:delivered_at`)
      }
    }

    // The reservations a fulfilment the order never recorded consumed: at most what the line has left to fulfil.
    if (unreservedLines.size) {
      const inventory = container.resolve(Modules.INVENTORY)
      const reservations = await inventory.listReservationItems({ line_item_id: [...unreservedLines] })
      const {
        data: [after],
      } = await query.graph({
        entity: "order",
        fields: ["id", "items.id", "items.quantity", "items.detail.quantity", "items.detail.fulfilled_quantity"],
        filters: { id: orderId },
      })
      const left = new Map(
        (((after as unknown as { items?: LineRow[] })?.items ?? []) as LineRow[]).map((l) => [
          l.id,
          Math.max(0, Number(l.detail?.quantity ?? l.quantity) - Number(l.detail?.fulfilled_quantity ?? 0)),
        ])
      )
      const toDelete: string[] = []
      const toUpdate: { id: string; quantity: number }[] = []
      for (const r of reservations) {
        const required =
          lines.get(r.line_item_id as string)?.variant?.inventory_items?.find((i) => i.inventory_item_id === r.inventory_item_id)
            ?.required_quantity ?? 1
        const allowed = MathBN.mult(left.get(r.line_item_id as string) ?? 0, required).toNumber()
        if (allowed <= 0) toDelete.push(r.id)
        else if (Number(r.quantity) > allowed) toUpdate.push({ id: r.id, quantity: allowed })
      }
      if (toDelete.length) await inventory.deleteReservationItems(toDelete)
      if (toUpdate.length) await inventory.updateReservationItems(toUpdate)
      if (toDelete.length || toUpdate.length) repaired.push(`reservations:${toDelete.length + toUpdate.length}`)
    }

    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`Order ${orderId}: repaired what a dead process left half-recorded of its fulfilments: ${repaired.join(", ")}`)
    return new StepResponse<RepairMarketplaceFulfillmentsStepOutput>({ repaired })
  }
)
