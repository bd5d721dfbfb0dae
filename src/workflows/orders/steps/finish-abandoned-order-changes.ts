import { ContainerRegistrationKeys, Modules, OrderChangeStatus, OrderChangeType } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_CHANGE_AUTHOR } from "./cancel-marketplace-units"

export type FinishAbandonedOrderChangesStepInput = { order_id: string | null }

export const finishAbandonedOrderChangesStepId = "finish-abandoned-marketplace-order-changes"

/**
 * How old an open credit-line change must be to count as abandoned. The step runs under the order's lock,
 * which a dead holder keeps for one lease (30 s); a refund or cancellation still running elsewhere (the
 * admin's) confirms its change within a second or two.
 */
export const ABANDONED_CHANGE_AGE_MS = 30_000

type ChangeRow = { id: string; created_at: string | Date; actions?: { id: string }[] }

/**
 * Medusa allows one open change per order, and its refund and cancellation flows (refundPaymentWorkflow,
 * cancelOrderWorkflow) refund first, then open a credit-line change and confirm it: a process killed between
 * the two leaves the change open, and every later change of the order (a cancellation, a return, a refund)
 * is refused with "already has an existing active order change", for good. Before the import changes the
 * order, this finishes what the dead run started: an open credit-line change with its action (the refund it
 * balances was made) is confirmed; one without an action is cancelled. Only credit-line changes older than
 * ABANDONED_CHANGE_AGE_MS; the plugin's own order edits (created by `marketplace-sync` for units cancelled on the
 * marketplace) left open are cancelled too; any other open change (a return or an edit the merchant started) is
 * left alone.
 * No compensation: the change belongs to a refund that happened.
 *
 * @example
 * finishAbandonedOrderChangesStep({ order_id: "order_123" })
 */
export const finishAbandonedOrderChangesStep = createStep(
  finishAbandonedOrderChangesStepId,
  async (input: FinishAbandonedOrderChangesStepInput, { container }) => {
    if (!input.order_id) return new StepResponse({ confirmed: [] as string[], cancelled: [] as string[] })
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order_change",
      fields: ["id", "created_at", "actions.id"],
      filters: {
        order_id: input.order_id,
        change_type: OrderChangeType.CREDIT_LINE,
        status: [OrderChangeStatus.PENDING, OrderChangeStatus.REQUESTED],
      },
    })
    // The plugin's own edits (units cancelled on the marketplace) are created and confirmed back to back: one left
    // open is cancelled, and the import that follows edits again from the Medusa order as it is.
    const { data: edits } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order_change",
      fields: ["id", "created_at"],
      filters: {
        order_id: input.order_id,
        change_type: OrderChangeType.EDIT,
        created_by: MARKETPLACE_CHANGE_AUTHOR,
        status: [OrderChangeStatus.PENDING, OrderChangeStatus.REQUESTED],
      },
    })
    const old = (c: { created_at: string | Date }) => Date.now() - new Date(c.created_at).getTime() >= ABANDONED_CHANGE_AGE_MS
    const abandoned = (data as ChangeRow[]).filter(old)
    const abandonedEdits = (edits as ChangeRow[]).filter(old).map((c) => c.id)
    const confirmed = abandoned.filter((c) => c.actions?.length).map((c) => c.id)
    const cancelled = [...abandoned.filter((c) => !c.actions?.length).map((c) => c.id), ...abandonedEdits]
    const orders = container.resolve(Modules.ORDER)
    if (confirmed.length) await orders.confirmOrderChange(confirmed.map((id) => ({ id, confirmed_by: "marketplace-sync" })))
    if (cancelled.length) await orders.cancelOrderChange(cancelled.map((id) => ({ id, canceled_by: "marketplace-sync" })))
    if (abandoned.length || abandonedEdits.length) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          `Order ${input.order_id}: finished ${abandoned.length + abandonedEdits.length} change(s) a dead process left open ` +
            `(${confirmed.length} confirmed, ${cancelled.length} cancelled, ${abandonedEdits.length} of them marketplace edits)`
        )
    }
    return new StepResponse({ confirmed, cancelled })
  }
)
