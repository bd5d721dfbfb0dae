import {
  beginReceiveReturnWorkflow,
  beginReturnOrderWorkflow,
  cancelReturnWorkflow,
  confirmReturnReceiveWorkflow,
  confirmReturnRequestWorkflow,
  dismissItemReturnRequestWorkflow,
  emitEventStep,
  receiveItemReturnRequestWorkflow,
  refundPaymentWorkflow,
  requestItemReturnWorkflow,
} from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { newLockOwnerId } from "../../../lib/locks"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import type { MarketplaceReturn } from "../../../providers/types"
import { orderLockKey } from "../../orders/workflows/import-order"
import { ensureReturnLinkStep } from "../steps/ensure-return-link"
import { linkReturnStep } from "../steps/link-return"
import { planReturnImportStep, type ReturnImportPlan } from "../steps/plan-return-import"
import { updateReturnLinkStep } from "../steps/update-return-link"
import { returnRefundKey } from "../utils/return-plan"
import { acquireLeasedLockStep, releaseLeasedLockStep } from "../../locking/steps/leased-lock"
import { markAnalyticsStaleStep } from "../../analytics/steps/mark-analytics-stale"
import { finishAbandonedOrderChangesStep } from "../../orders/steps/finish-abandoned-order-changes"

export type ImportReturnWorkflowInput = {
  connection_id: string
  /** The marketplace's return, freshly fetched: a webhook is only a hint. */
  return: MarketplaceReturn
}

export type ImportReturnWorkflowOutput = {
  action: "create" | "update" | "unchanged"
  reason: string | null
  return_link_id: string | null
  return_id: string | null
  order_id: string | null
  /** The amount refunded by this import, if any. */
  refunded: string | null
  note: string | null
}

export const importReturnWorkflowId = "import-marketplace-return"

/** The lock of one external return: every import of it, from any source and process, goes one at a time. */
export const returnLockKey = (connectionId: string, externalReturnId: string) =>
  `marketplace:return:${connectionId}:${externalReturnId}`

/**
 * The one door through which marketplace returns and refunds enter Medusa (webhooks, pulls, admin actions).
 * Under a lock on (connection, external return), it brings Medusa to the marketplace's state with Medusa's
 * own return flows: a requested return becomes a Medusa return request for the matching order lines and
 * quantities; an accepted / refunded one is received (restocked, or dismissed for a refund-only return) and
 * the marketplace's refund amount is refunded on the order's captured payment; a cancelled one, or one closed
 * without a refund, cancels the Medusa return. An older update time than the stored one changes nothing; a
 * repeated one only finishes what is missing. Lines that were never fulfilled in Medusa cannot be returned:
 * the refund is still recorded and the return link says why there is no Medusa return (`note`).
 *
 * @example
 * const { result } = await importReturnWorkflow(container).run({
 *   input: { connection_id: "mpcon_123", return: await provider.getReturn(session, "240101RET") },
 * })
 */
export const importReturnWorkflow = createWorkflow(importReturnWorkflowId, (input: ImportReturnWorkflowInput) => {
  // The order's lock too: Medusa allows one order change at a time, so an order import (cancel, complete) and
  // the returns of the same order must not interleave.
  // Leased (renewed while this process runs the workflow, free within a lease if it dies) and released with
  // its owner id: a lock that outlived its lease may be another run's by then. Each value is a
  // transform of its own: a property of a transform's result (`lock.key`) inside an object literal is not
  // resolved, and the step would get no key and lock nothing.
  const lockKey = transform({ input }, ({ input }) => [
    orderLockKey(input.connection_id, input.return.external_order_id),
    returnLockKey(input.connection_id, input.return.external_id),
  ])
  const lockOwner = transform({ input }, () => newLockOwnerId("import-return"))
  acquireLeasedLockStep({ key: lockKey, ownerId: lockOwner, timeout: 60 })

  const plan = planReturnImportStep({ connection_id: input.connection_id, return: input.return })
  // A refund that a dead process left half done would block the return's order changes.
  finishAbandonedOrderChangesStep(
    transform({ plan }, ({ plan }) => ({ order_id: plan.action !== "unchanged" ? plan.order_id : null }))
  )
  const applies = transform({ plan }, ({ plan }) => plan.action !== "unchanged")

  const link = when("record-marketplace-return-link", { applies }, ({ applies }) => applies).then(() =>
    ensureReturnLinkStep(
      transform({ input, plan }, ({ input, plan }) => ({
        connection_id: input.connection_id,
        order_link_id: plan.order_link_id,
        return: input.return,
        existing_id: plan.return_link_id,
      }))
    )
  )

  const created = when("create-marketplace-return", { plan }, ({ plan }) => plan.create_return).then(() => {
    const change = beginReturnOrderWorkflow.runAsStep({
      input: transform({ plan, input }, ({ plan, input }) => ({
        order_id: plan.order_id as string,
        location_id: plan.location_id ?? undefined,
        description: `Marketplace return ${input.return.external_id}`,
        metadata: {
          marketplace_connection_id: input.connection_id,
          marketplace_return_id: input.return.external_id,
          marketplace_solution: input.return.solution,
          marketplace_reason: input.return.reason,
        },
      })),
    })
    const returnId = transform({ change }, ({ change }) => change.return_id as string)
    linkReturnStep(transform({ link, returnId }, ({ link, returnId }) => ({ return_link_id: link!.id, return_id: returnId })))
    requestItemReturnWorkflow.runAsStep({
      input: transform({ plan, returnId }, ({ plan, returnId }) => ({ return_id: returnId, items: plan.request_items })),
    })
    confirmReturnRequestWorkflow.runAsStep({ input: transform({ returnId }, ({ returnId }) => ({ return_id: returnId })) })
    return transform({ returnId }, ({ returnId }) => ({ return_id: returnId }))
  })

  const returnId = transform({ plan, created }, ({ plan, created }) => created?.return_id ?? plan.return_id)

  // Receiving: begin, receive (restock) or dismiss (refund only: the goods stay with the buyer), confirm.
  // Workflow `when` blocks cannot nest, hence one block per stage.
  const receiveItems = transform({ returnId, plan }, ({ returnId, plan }) => ({
    return_id: returnId as string,
    items: (plan as ReturnImportPlan).receive?.items ?? [],
  }))
  when("begin-receive-marketplace-return", { plan }, ({ plan }) => !!plan.receive).then(() => {
    beginReceiveReturnWorkflow.runAsStep({
      input: transform({ returnId, input }, ({ returnId, input }) => ({
        return_id: returnId as string,
        description: `Marketplace return ${input.return.external_id}: ${input.return.external_status}`,
      })),
    })
  })
  when("restock-marketplace-return", { plan }, ({ plan }) => plan.receive?.mode === "restock").then(() => {
    receiveItemReturnRequestWorkflow.runAsStep({ input: receiveItems })
  })
  when("dismiss-marketplace-return", { plan }, ({ plan }) => plan.receive?.mode === "dismiss").then(() => {
    dismissItemReturnRequestWorkflow.runAsStep({ input: receiveItems })
  })
  when("confirm-receive-marketplace-return", { plan }, ({ plan }) => !!plan.receive).then(() => {
    confirmReturnReceiveWorkflow.runAsStep({
      input: transform({ returnId }, ({ returnId }) => ({ return_id: returnId as string })),
    })
  })

  when("cancel-marketplace-return", { plan }, ({ plan }) => plan.cancel).then(() => {
    cancelReturnWorkflow.runAsStep({
      input: transform({ returnId }, ({ returnId }) => ({ return_id: returnId as string, no_notification: true })),
    })
  })

  when("refund-marketplace-return", { plan }, ({ plan }) => !!plan.refund && !!plan.payment_id).then(() => {
    refundPaymentWorkflow.runAsStep({
      input: transform({ plan, input }, ({ plan, input }) => ({
        payment_id: plan.payment_id as string,
        amount: plan.refund as unknown as number,
        // The key lets a retry find this refund if the process dies before the return link records it.
        note: `Refunded on the marketplace (return ${input.return.external_id}) ${returnRefundKey(input.connection_id, input.return.external_id)}`,
      })),
    })
  })

  when("update-marketplace-return-link", { applies }, ({ applies }) => applies).then(() => {
    updateReturnLinkStep(
      transform({ link, plan, input }, ({ link, plan, input }) => ({
        id: link!.id,
        order_link_id: plan.order_link_id,
        return: input.return,
        refunded_amount: plan.refunded_amount,
        note: plan.note,
      }))
    )
    emitEventStep({
      eventName: transform({ plan }, ({ plan }) =>
        plan.action === "create" ? MarketplaceEvents.RETURN_IMPORTED : MarketplaceEvents.RETURN_UPDATED
      ),
      data: transform({ link, plan, input, returnId }, ({ link, plan, input, returnId }) => ({
        id: link!.id,
        return_id: returnId,
        order_id: plan.order_id,
        connection_id: input.connection_id,
        external_return_id: input.return.external_id,
        status: input.return.status,
      })),
    })
  })

  releaseLeasedLockStep({ key: lockKey, ownerId: lockOwner })

  // Returns and refunds count on the day the order was placed: that day, marked for the analytics. Last.
  markAnalyticsStaleStep(transform({ plan }, ({ plan }) => ({ order_link_ids: [plan.order_link_id] })))

  return new WorkflowResponse(
    transform({ plan, link, returnId }, ({ plan, link, returnId }) => ({
      action: plan.action,
      reason: plan.reason,
      return_link_id: link?.id ?? plan.return_link_id,
      return_id: returnId,
      order_id: plan.order_id,
      refunded: plan.refund,
      note: plan.note,
    })) as unknown as ImportReturnWorkflowOutput
  )
})
