import { cancelOrderFulfillmentWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type CancelOrderFulfillmentsStepInput = { order_id: string }

export type CancelOrderFulfillmentsStepOutput = {
  /** Medusa can cancel the order now: no fulfilment is left that is not cancelled. */
  cancellable: boolean
  /** Why Medusa cannot cancel it, when it cannot (a fulfilment already shipped or delivered). */
  reason: string | null
}

export const cancelOrderFulfillmentsStepId = "cancel-marketplace-order-fulfillments"

type FulfillmentRow = { id: string; canceled_at: unknown; shipped_at: unknown; delivered_at: unknown }

/**
 * Before the import cancels an order the marketplace cancelled, cancels its Medusa fulfilments (Medusa's
 * cancelOrderFulfillmentWorkflow: the items go back to the reservations), since Medusa refuses to cancel an
 * order with fulfilments. A shipped or delivered fulfilment cannot be cancelled: then nothing is cancelled
 * and the step says why, for the order link. No compensation: a fulfilment of an order the marketplace
 * cancelled is not to be restored, and a retry continues from what is left.
 *
 * @example
 * const { cancellable, reason } = cancelOrderFulfillmentsStep({ order_id: "order_123" })
 */
export const cancelOrderFulfillmentsStep = createStep(
  cancelOrderFulfillmentsStepId,
  async (input: CancelOrderFulfillmentsStepInput, { container }) => {
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order",
      fields: ["id", "fulfillments.id", "fulfillments.canceled_at", "fulfillments.shipped_at", "fulfillments.delivered_at"],
      filters: { id: input.order_id },
    })
    const open = (((data[0] as { fulfillments?: FulfillmentRow[] } | undefined)?.fulfillments ?? []) as FulfillmentRow[]).filter(
      (f) => !f.canceled_at
    )
    const gone = open.filter((f) => f.shipped_at || f.delivered_at)
    if (gone.length) {
      return new StepResponse<CancelOrderFulfillmentsStepOutput>({
        cancellable: false,
        reason: `Cancelled on the marketplace, but Medusa cannot cancel order ${input.order_id}: fulfilment ${gone
          .map((f) => f.id)
          .join(", ")} is already ${gone.some((f) => f.delivered_at) ? "delivered" : "shipped"}`,
      })
    }
    for (const f of open) {
      await cancelOrderFulfillmentWorkflow(container).run({
        input: { order_id: input.order_id, fulfillment_id: f.id, no_notification: true },
      })
    }
    return new StepResponse<CancelOrderFulfillmentsStepOutput>({ cancellable: true, reason: null })
  }
)
