import {
  ChangeActionType,
  ContainerRegistrationKeys,
  MathBN,
  Modules,
  OrderChangeStatus,
  OrderChangeType,
} from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceOrder } from "../../../providers/types"
import { liveQuantities } from "../utils/order-input"

export type CancelMarketplaceUnitsStepInput = {
  order_id: string | null
  connection_id: string
  order: MarketplaceOrder
  /** Whether the import changes anything and the order is not cancelled as a whole. */
  applies: boolean
}

export type CancelMarketplaceUnitsStepOutput = {
  /** The order edit made now, if any. */
  order_change_id: string | null
  /** Lines reduced now: their quantity before and after. */
  lines: { id: string; from: number; to: number }[]
  /**
   * What the marketplace refunded for cancelled units and Medusa has not recorded yet (the edit made now, and any
   * earlier one whose refund a dead process never recorded), on the captured payment `payment_id`.
   */
  refund: { payment_id: string; amount: string; note: string } | null
}

/** Who makes the plugin's order edits: the abandoned-change repair and the refund bookkeeping look for it. */
export const MARKETPLACE_CHANGE_AUTHOR = "marketplace-sync"

/** The key that ties a refund to the order edit it pays back, in the refund's note. */
export function cancelledUnitsRefundKey(orderChangeId: string): string {
  return `[marketplace-cancelled-units:${orderChangeId}]`
}

type ItemRow = { id: string; quantity?: number | string; unit_price: number | string; metadata?: Record<string, unknown> | null; detail?: { quantity?: number | string; fulfilled_quantity?: number | string } | null }
type ChangeRow = { id: string; metadata?: Record<string, unknown> | null }
type PaymentRow = { id: string; captured_at?: string | null; refunds?: { note?: string | null }[] | null }
type ReservationBackup = { id: string; line_item_id: string; inventory_item_id: string; location_id: string; quantity: number; deleted: boolean }

type Compensation = {
  order_id: string
  order_change_id: string
  lines: { id: string; from: number; to: number }[]
  reservations: ReservationBackup[]
} | null

export const cancelMarketplaceUnitsStepId = "cancel-marketplace-units"

/**
 * Units cancelled on the marketplace while the rest of the order goes on (`cancelled_quantity`): their Medusa
 * lines are reduced by an order edit (change type `edit`, one ITEM_UPDATE per line, confirmed at once, made by
 * `marketplace-sync`), never below what is fulfilled, and the reservations of the units dropped are released.
 * Idempotent by reading the Medusa order: a line already at the marketplace's live quantity is left alone.
 * Returns the refund still to record for every such edit (the marketplace refunded the buyer): the amount is kept
 * on the change's metadata and found again by its key in a refund's note, so a run that died between the edit
 * and the refund is finished by the next import. Compensation: a reverse edit and the reservations restored.
 *
 * @example
 * const cancelled = cancelMarketplaceUnitsStep({ order_id, connection_id, order, applies: true })
 */
export const cancelMarketplaceUnitsStep = createStep(
  cancelMarketplaceUnitsStepId,
  async (input: CancelMarketplaceUnitsStepInput, { container }) => {
    const none = new StepResponse<CancelMarketplaceUnitsStepOutput, Compensation>({ order_change_id: null, lines: [], refund: null }, null)
    if (!input.applies || !input.order_id) return none
    const live = liveQuantities(input.order)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const {
      data: [row],
    } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "status",
        "items.id",
        "items.quantity",
        "items.unit_price",
        "items.metadata",
        "items.detail.quantity",
        "items.detail.fulfilled_quantity",
        "payment_collections.payments.id",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.refunds.note",
      ],
      filters: { id: input.order_id },
    })
    const order = row as unknown as { id: string; status: string; items?: ItemRow[]; payment_collections?: { payments?: PaymentRow[] }[] } | undefined
    if (!order || order.status === "canceled") return none

    const lines = (order.items ?? []).flatMap((item) => {
      const lineId = item.metadata?.marketplace_line_id
      const target = typeof lineId === "string" ? live.get(lineId) : undefined
      if (target === undefined) return []
      // The order's current quantity is on its item detail (the line's own is the quantity it was created with).
      const from = Number(item.detail?.quantity ?? item.quantity)
      const fulfilled = Number(item.detail?.fulfilled_quantity ?? 0)
      const to = Math.max(target, fulfilled)
      return to < from ? [{ id: item.id, from, to, fulfilled, unit_price: item.unit_price }] : []
    })

    const orders = container.resolve(Modules.ORDER)
    let changeId: string | null = null
    const reservations: ReservationBackup[] = []
    if (lines.length) {
      const amount = lines.reduce((sum, l) => MathBN.add(sum, MathBN.mult(l.unit_price, l.from - l.to)), MathBN.convert(0))
      const [change] = await orders.createOrderChange([
        {
          order_id: order.id,
          change_type: OrderChangeType.EDIT,
          created_by: MARKETPLACE_CHANGE_AUTHOR,
          description: `Units cancelled on the marketplace (order ${input.order.external_id})`,
          metadata: { marketplace_cancelled_units: true, refund_amount: amount.toString() },
          actions: lines.map((l) => ({
            action: ChangeActionType.ITEM_UPDATE,
            reference: "order_item",
            reference_id: l.id,
            details: { reference_id: l.id, quantity: l.to, quantity_diff: l.to - l.from },
          })),
        },
      ])
      changeId = change.id
      // Created and confirmed back to back; a process killed between the two leaves it open, and
      // finishAbandonedOrderChangesStep cancels it on the next import (which then edits again).
      await orders.confirmOrderChange({ id: change.id, confirmed_by: MARKETPLACE_CHANGE_AUTHOR })

      // The dropped units' reservations go: what stays reserved is what is left to fulfil.
      const inventory = container.resolve(Modules.INVENTORY)
      const existing = await inventory.listReservationItems({ line_item_id: lines.map((l) => l.id) })
      for (const r of existing) {
        const line = lines.find((l) => l.id === r.line_item_id)
        if (!line) continue
        const unfulfilledBefore = line.from - line.fulfilled
        if (unfulfilledBefore <= 0) continue
        // Per unit: a variant can take several inventory units (required_quantity).
        const keep = MathBN.mult(MathBN.div(r.quantity, unfulfilledBefore), line.to - line.fulfilled).toNumber()
        reservations.push({
          id: r.id,
          line_item_id: r.line_item_id as string,
          inventory_item_id: r.inventory_item_id,
          location_id: r.location_id,
          quantity: Number(r.quantity),
          deleted: keep <= 0,
        })
        if (keep <= 0) await inventory.deleteReservationItems([r.id])
        else await inventory.updateReservationItems([{ id: r.id, quantity: keep }])
      }
    }

    // Every edit of ours whose refund no payment records yet (the one made now included).
    const { data: changes } = await query.graph({
      entity: "order_change",
      fields: ["id", "metadata"],
      filters: {
        order_id: order.id,
        change_type: OrderChangeType.EDIT,
        created_by: MARKETPLACE_CHANGE_AUTHOR,
        status: OrderChangeStatus.CONFIRMED,
      },
    })
    const payments = (order.payment_collections ?? []).flatMap((c) => c.payments ?? [])
    const notes = payments.flatMap((p) => (p.refunds ?? []).map((r) => r.note ?? ""))
    const unpaid = (changes as ChangeRow[]).filter(
      (c) => c.metadata?.marketplace_cancelled_units && !notes.some((n) => n.includes(cancelledUnitsRefundKey(c.id)))
    )
    const amount = unpaid.reduce((sum, c) => MathBN.add(sum, String(c.metadata?.refund_amount ?? "0")), MathBN.convert(0))
    const captured = payments.find((p) => p.captured_at)
    const refund =
      captured && MathBN.gt(amount, 0)
        ? {
            payment_id: captured.id,
            amount: amount.toString(),
            note: `Units cancelled and refunded on the marketplace (order ${input.order.external_id}) ${unpaid
              .map((c) => cancelledUnitsRefundKey(c.id))
              .join(" ")}`,
          }
        : null

    return new StepResponse<CancelMarketplaceUnitsStepOutput, Compensation>(
      { order_change_id: changeId, lines: lines.map(({ id, from, to }) => ({ id, from, to })), refund },
      changeId ? { order_id: order.id, order_change_id: changeId, lines: lines.map(({ id, from, to }) => ({ id, from, to })), reservations } : null
    )
  },
  async (done, { container }) => {
    if (!done) return
    const orders = container.resolve(Modules.ORDER)
    // A reverse edit: the order's history keeps both, and its lines are as they were.
    const [change] = await orders.createOrderChange([
      {
        order_id: done.order_id,
        change_type: OrderChangeType.EDIT,
        created_by: MARKETPLACE_CHANGE_AUTHOR,
        description: `Reverts ${done.order_change_id}: the import failed`,
        actions: done.lines.map((l) => ({
          action: ChangeActionType.ITEM_UPDATE,
          reference: "order_item",
          reference_id: l.id,
          details: { reference_id: l.id, quantity: l.from, quantity_diff: l.from - l.to },
        })),
      },
    ])
    await orders.confirmOrderChange({ id: change.id, confirmed_by: MARKETPLACE_CHANGE_AUTHOR })
    await orders.updateOrderChanges([{ id: done.order_change_id, metadata: { marketplace_cancelled_units: false, reverted_by: change.id } }])
    const inventory = container.resolve(Modules.INVENTORY)
    const deleted = done.reservations.filter((r) => r.deleted)
    const updated = done.reservations.filter((r) => !r.deleted)
    if (updated.length) await inventory.updateReservationItems(updated.map((r) => ({ id: r.id, quantity: r.quantity })))
    if (deleted.length) {
      await inventory.createReservationItems(
        deleted.map((r) => ({ line_item_id: r.line_item_id, inventory_item_id: r.inventory_item_id, location_id: r.location_id, quantity: r.quantity }))
      )
    }
  }
)
