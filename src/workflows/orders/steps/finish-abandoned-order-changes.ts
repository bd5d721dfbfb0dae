import { cancelReturnReceiveWorkflow, cancelReturnRequestWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules, OrderChangeStatus, OrderChangeType } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_CHANGE_AUTHOR } from "./cancel-marketplace-units"

export type FinishAbandonedOrderChangesStepInput = { order_id: string | null }

export const finishAbandonedOrderChangesStepId = "finish-abandoned-marketplace-order-changes"

/**
 * How old an open change must be to count as abandoned. The step runs under the order's lock, which a dead
 * holder keeps for one lease (30 s); a refund or cancellation still running elsewhere (the admin's) confirms
 * its change within a second or two.
 */
export const ABANDONED_CHANGE_AGE_MS = 30_000

type ChangeRow = {
  id: string
  change_type: string
  return_id: string | null
  created_by?: string | null
  created_at: string | Date
  actions?: { id: string }[]
}

type ReturnRow = { id: string; metadata?: Record<string, unknown> | null; return_link?: { id: string } | null }

/**
 * Medusa allows one open change per order, and its flows open a change, add to it and confirm it in separate
 * steps: a process killed in between leaves the change open, and every later change of the order (a
 * cancellation, a return, a refund) is refused with "already has an existing active order change", for
 * good. Before the import changes the order, this finishes or undoes what a dead run started, for the
 * changes the plugin's flows open on a marketplace order, older than ABANDONED_CHANGE_AGE_MS:
 * - a credit-line change (refundPaymentWorkflow and cancelOrderWorkflow refund first, then open it):
 *   confirmed when it has its action (the refund it balances was made), cancelled when it has none;
 * - the receiving of a marketplace return (beginReceiveReturnWorkflow): cancelled
 *   (cancelReturnReceiveWorkflow), and the import receives the return again;
 * - the request of a marketplace return no return link records yet (beginReturnOrderWorkflow, killed before
 *   the link): cancelled (cancelReturnRequestWorkflow), and the import requests it again;
 * - the plugin's own order edit (created by MARKETPLACE_CHANGE_AUTHOR for units cancelled on the marketplace,
 *   created and confirmed back to back): cancelled, and the import edits again from the order as it is.
 * A marketplace return is a Medusa return whose metadata names it; anything else open (a return or an edit
 * the merchant started) is left alone. No compensation: what it finishes belongs to work that happened.
 *
 * @example
 * finishAbandonedOrderChangesStep({ order_id: "order_123" })
 */
export const finishAbandonedOrderChangesStep = createStep(
  finishAbandonedOrderChangesStepId,
  async (input: FinishAbandonedOrderChangesStepInput, { container }) => {
    const confirmed: string[] = []
    const cancelled: string[] = []
    if (!input.order_id) return new StepResponse({ confirmed, cancelled })
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    // One query per import: every open change of the kinds the plugin's flows open; edits only its own.
    const { data } = await query.graph({
      entity: "order_change",
      fields: ["id", "change_type", "return_id", "created_at", "created_by", "actions.id"],
      filters: {
        order_id: input.order_id,
        change_type: [OrderChangeType.CREDIT_LINE, OrderChangeType.RETURN_RECEIVE, OrderChangeType.RETURN_REQUEST, OrderChangeType.EDIT],
        status: [OrderChangeStatus.PENDING, OrderChangeStatus.REQUESTED],
      },
    })
    const isOld = (c: ChangeRow) => Date.now() - new Date(c.created_at).getTime() >= ABANDONED_CHANGE_AGE_MS
    const open = (data as ChangeRow[]).filter(isOld)
    const old = open.filter((c) => c.change_type !== OrderChangeType.EDIT)
    const oldEdits = open.filter((c) => c.change_type === OrderChangeType.EDIT && c.created_by === MARKETPLACE_CHANGE_AUTHOR).map((c) => c.id)
    if (!old.length && !oldEdits.length) return new StepResponse({ confirmed, cancelled })

    const orders = container.resolve(Modules.ORDER)
    for (const change of old.filter((c) => c.change_type === OrderChangeType.CREDIT_LINE)) {
      ;(change.actions?.length ? confirmed : cancelled).push(change.id)
    }
    if (confirmed.length) await orders.confirmOrderChange(confirmed.map((id) => ({ id, confirmed_by: "marketplace-sync" })))
    cancelled.push(...oldEdits)
    if (cancelled.length) await orders.cancelOrderChange(cancelled.map((id) => ({ id, canceled_by: "marketplace-sync" })))

    const returnChanges = old.filter((c) => c.change_type !== OrderChangeType.CREDIT_LINE && c.return_id)
    if (returnChanges.length) {
      const { data: returns } = await query.graph({
        entity: "return",
        fields: ["id", "metadata", "return_link.id"],
        filters: { id: returnChanges.map((c) => c.return_id as string) },
      })
      const byId = new Map((returns as ReturnRow[]).map((r) => [r.id, r]))
      for (const change of returnChanges) {
        const ret = byId.get(change.return_id as string)
        if (!ret?.metadata?.marketplace_return_id) continue
        if (change.change_type === OrderChangeType.RETURN_RECEIVE) {
          await cancelReturnReceiveWorkflow(container).run({ input: { return_id: ret.id } })
          cancelled.push(change.id)
        } else if (!ret.return_link?.id) {
          await cancelReturnRequestWorkflow(container).run({ input: { return_id: ret.id } })
          cancelled.push(change.id)
        }
      }
    }

    if (confirmed.length || cancelled.length) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          `Order ${input.order_id}: finished ${confirmed.length + cancelled.length} change(s) a dead process left open ` +
            `(${confirmed.length} confirmed, ${cancelled.length} cancelled)`
        )
    }
    return new StepResponse({ confirmed, cancelled })
  }
)
