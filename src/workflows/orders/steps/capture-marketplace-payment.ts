import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
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
export const captureMarketplacePaymentStep = createStep(
  captureMarketplacePaymentStepId,
  async (input: CaptureMarketplacePaymentStepInput, { container }) => {
    const payments = container.resolve(Modules.PAYMENT)
    const orders = container.resolve(Modules.ORDER)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const amount = input.amount as unknown as number

    const [collection] = await payments.createPaymentCollections([{ currency_code: input.currency_code, amount }])
    const orderLink = {
      [Modules.ORDER]: { order_id: input.order_id },
      [Modules.PAYMENT]: { payment_collection_id: collection.id },
    }
    const undo = { collection_id: collection.id, link: orderLink, transaction_ids: [] as string[] }
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
      return new StepResponse({ payment_id: captured.id, payment_collection_id: collection.id }, undo)
    } catch (error) {
      await link.dismiss(orderLink).catch(() => undefined)
      await payments.deletePaymentCollections([collection.id]).catch(() => undefined)
      throw error
    }
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    if (undo.transaction_ids.length) {
      await container.resolve(Modules.ORDER).deleteOrderTransactions(undo.transaction_ids)
    }
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(undo.link)
    await container.resolve(Modules.PAYMENT).deletePaymentCollections([undo.collection_id])
  }
)
