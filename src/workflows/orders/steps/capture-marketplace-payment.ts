import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type CaptureMarketplacePaymentStepInput = {
  order_id: string
  currency_code: string
  /** What the buyer paid on the marketplace. */
  amount: string
}

/** Medusa's built-in provider for payments taken outside Medusa. */
export const SYSTEM_PAYMENT_PROVIDER = "pp_system_default"

export const captureMarketplacePaymentStepId = "capture-marketplace-payment"

/**
 * Records on the order that the marketplace collected the buyer's payment: a payment collection linked to
 * the order, a session with Medusa's system provider, authorized and captured, and the order transaction of
 * the capture. What `createOrderPaymentCollectionWorkflow` + `markPaymentCollectionAsPaid` do, in one step:
 * the amount is the marketplace's (nothing to recompute) and the import runs it for every order, so the two
 * workflows' extra queries and validations were most of the import's overhead over Medusa's own order
 * creation. Compensation removes the records (no money moves: the marketplace holds it).
 *
 * @example
 * const { payment_id } = captureMarketplacePaymentStep({ order_id: "order_123", currency_code: "sgd", amount: "25.90" })
 */
type CaptureUndo = { collection_id: string; link: Record<string, Record<string, string>>; transaction_ids: string[] }

/**
 * One order's capture (see the step below). On failure it removes what it created before throwing, so a
 * caller only ever has to undo complete captures.
 */
export async function captureMarketplacePayment(
  container: MedusaContainer,
  input: CaptureMarketplacePaymentStepInput
): Promise<{ payment_id: string; payment_collection_id: string; undo: CaptureUndo }> {
  const payments = container.resolve(Modules.PAYMENT)
  const orders = container.resolve(Modules.ORDER)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const amount = input.amount as unknown as number

  const [collection] = await payments.createPaymentCollections([{ currency_code: input.currency_code, amount }])
  const orderLink = {
    [Modules.ORDER]: { order_id: input.order_id },
    [Modules.PAYMENT]: { payment_collection_id: collection.id },
  }
  const undo: CaptureUndo = { collection_id: collection.id, link: orderLink, transaction_ids: [] }
  try {
    await link.create(orderLink)
    const session = await payments.createPaymentSession(collection.id, {
      provider_id: SYSTEM_PAYMENT_PROVIDER,
      currency_code: input.currency_code,
      amount,
      data: {},
    })
    const authorized = await payments.authorizePaymentSession(session.id, {})
    if (!authorized) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `The payment of order ${input.order_id} was not authorized`)
    }
    const captured = await payments.capturePayment({ payment_id: authorized.id, amount })
    const capture = captured.captures?.[captured.captures.length - 1]
    const transactions = await orders.addOrderTransactions([
      {
        order_id: input.order_id,
        amount,
        currency_code: input.currency_code,
        reference: "capture",
        reference_id: capture?.id,
      },
    ])
    undo.transaction_ids = transactions.map((t) => t.id)
    return { payment_id: captured.id, payment_collection_id: collection.id, undo }
  } catch (error) {
    await link.dismiss(orderLink).catch(() => undefined)
    await payments.deletePaymentCollections([collection.id]).catch(() => undefined)
    throw error
  }
}

/** Removes captures recorded by {@link captureMarketplacePayment} (no money moves: the marketplace holds it). */
export async function undoMarketplaceCaptures(container: MedusaContainer, undos: CaptureUndo[]) {
  const transactionIds = undos.flatMap((u) => u.transaction_ids)
  if (transactionIds.length) {
    await container.resolve(Modules.ORDER).deleteOrderTransactions(transactionIds)
  }
  if (undos.length) {
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(undos.map((u) => u.link))
    await container.resolve(Modules.PAYMENT).deletePaymentCollections(undos.map((u) => u.collection_id))
  }
}

export const captureMarketplacePaymentStep = createStep(
  captureMarketplacePaymentStepId,
  async (input: CaptureMarketplacePaymentStepInput, { container }) => {
    const { undo, ...result } = await captureMarketplacePayment(container, input)
    return new StepResponse(result, undo)
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    await undoMarketplaceCaptures(container, [undo])
  }
)

export const captureMarketplacePaymentsStepId = "capture-marketplace-payments"

/**
 * {@link captureMarketplacePaymentStep} for many orders (the batch import of new orders), a few at a time.
 * If one fails, the others captured so far are undone and the step fails: the batch is then imported order
 * by order, where each failure stays with its own order.
 *
 * @example
 * captureMarketplacePaymentsStep([{ order_id: "order_1", currency_code: "sgd", amount: "25.90" }])
 */
export const captureMarketplacePaymentsStep = createStep(
  captureMarketplacePaymentsStepId,
  async (input: CaptureMarketplacePaymentStepInput[], { container }) => {
    const done: { order_id: string; payment_id: string; payment_collection_id: string; undo: CaptureUndo }[] = []
    let next = 0
    let failure: unknown = null
    const worker = async () => {
      while (next < input.length && !failure) {
        const one = input[next++]
        try {
          done.push({ order_id: one.order_id, ...(await captureMarketplacePayment(container, one)) })
        } catch (error) {
          failure ??= error
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(4, input.length) }, worker))
    if (failure) {
      await undoMarketplaceCaptures(container, done.map((d) => d.undo))
      throw failure
    }
    return new StepResponse(
      done.map(({ undo: _undo, ...rest }) => rest),
      done.map((d) => d.undo)
    )
  },
  async (undos, { container }) => {
    if (!undos?.length) {
      return
    }
    await undoMarketplaceCaptures(container, undos)
  }
)
