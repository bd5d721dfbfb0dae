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
type CaptureUndo = { collection_id: string | null; link: Record<string, Record<string, string>> | null; transaction_ids: string[] }

/** What an order already has of its marketplace payment: left by an import that died inside the capture. */
export type ExistingCapture = {
  collection_id: string
  session_id: string | null
  payment_id: string | null
  capture_id: string | null
  /** The order has the capture's transaction. */
  recorded: boolean
}

type OrderPaymentRow = {
  id: string
  payment_collections?: {
    id: string
    status: string
    payment_sessions?: { id: string; status: string }[]
    payments?: { id: string; captures?: { id: string; created_at: string | Date }[] }[]
  }[]
  transactions?: { reference: string | null; reference_id: string | null }[]
}

/**
 * The marketplace payment each order already has, if any (one query for all): the capture below finishes
 * it instead of making a second one.
 */
export async function existingCaptures(container: MedusaContainer, orderIds: string[]): Promise<Map<string, ExistingCapture>> {
  const found = new Map<string, ExistingCapture>()
  if (!orderIds.length) {
    return found
  }
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.id",
      "payment_collections.status",
      "payment_collections.payment_sessions.id",
      "payment_collections.payment_sessions.status",
      "payment_collections.payments.id",
      "payment_collections.payments.captures.id",
      "payment_collections.payments.captures.created_at",
      "transactions.reference",
      "transactions.reference_id",
    ],
    filters: { id: orderIds },
  })
  for (const order of data as unknown as OrderPaymentRow[]) {
    const collection = (order.payment_collections ?? []).find((c) => c.status !== "canceled")
    if (!collection) {
      continue
    }
    const payment = collection.payments?.[0] ?? null
    const capture = payment?.captures?.length
      ? [...payment.captures].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime()).at(-1)!
      : null
    found.set(order.id, {
      collection_id: collection.id,
      session_id: collection.payment_sessions?.find((s) => s.status !== "canceled")?.id ?? null,
      payment_id: payment?.id ?? null,
      capture_id: capture?.id ?? null,
      recorded: !!capture && (order.transactions ?? []).some((t) => t.reference === "capture" && t.reference_id === capture.id),
    })
  }
  return found
}

/**
 * One order's capture (see the step below). It finishes a capture an earlier import left half-done (the
 * payment collection, session, payment, capture and order transaction are each made only if missing), so a
 * retry after a crash captures exactly once. On failure it removes what it created before throwing, so a
 * caller only ever has to undo complete captures.
 */
export async function captureMarketplacePayment(
  container: MedusaContainer,
  input: CaptureMarketplacePaymentStepInput,
  existing: ExistingCapture | null
): Promise<{ payment_id: string; payment_collection_id: string; undo: CaptureUndo }> {
  const payments = container.resolve(Modules.PAYMENT)
  const orders = container.resolve(Modules.ORDER)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const amount = input.amount as unknown as number

  const undo: CaptureUndo = { collection_id: null, link: null, transaction_ids: [] }
  let collectionId = existing?.collection_id ?? null
  try {
    if (!collectionId) {
      const [collection] = await payments.createPaymentCollections([{ currency_code: input.currency_code, amount }])
      collectionId = collection.id
      undo.collection_id = collection.id
      const orderLink = {
        [Modules.ORDER]: { order_id: input.order_id },
        [Modules.PAYMENT]: { payment_collection_id: collection.id },
      }
      undo.link = orderLink
      await link.create(orderLink)
    }
    let paymentId = existing?.payment_id ?? null
    if (!paymentId) {
      const sessionId =
        existing?.session_id ??
        (
          await payments.createPaymentSession(collectionId, {
            provider_id: SYSTEM_PAYMENT_PROVIDER,
            currency_code: input.currency_code,
            amount,
            data: {},
          })
        ).id
      const authorized = await payments.authorizePaymentSession(sessionId, {})
      if (!authorized) {
        throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `The payment of order ${input.order_id} was not authorized`)
      }
      paymentId = authorized.id
    }
    let captureId = existing?.capture_id ?? null
    if (!captureId) {
      const captured = await payments.capturePayment({ payment_id: paymentId, amount })
      captureId = captured.captures?.[captured.captures.length - 1]?.id ?? null
    }
    if (!(existing?.recorded && existing.capture_id === captureId)) {
      const transactions = await orders.addOrderTransactions([
        {
          order_id: input.order_id,
          amount,
          currency_code: input.currency_code,
          reference: "capture",
          reference_id: captureId ?? undefined,
        },
      ])
      undo.transaction_ids = transactions.map((t) => t.id)
    }
    return { payment_id: paymentId, payment_collection_id: collectionId, undo }
  } catch (error) {
    if (undo.link) {
      await link.dismiss(undo.link).catch(() => undefined)
    }
    if (undo.collection_id) {
      await payments.deletePaymentCollections([undo.collection_id]).catch(() => undefined)
    }
    throw error
  }
}

/** Removes captures recorded by {@link captureMarketplacePayment} (no money moves: the marketplace holds it). */
export async function undoMarketplaceCaptures(container: MedusaContainer, undos: CaptureUndo[]) {
  const transactionIds = undos.flatMap((u) => u.transaction_ids)
  if (transactionIds.length) {
    await container.resolve(Modules.ORDER).deleteOrderTransactions(transactionIds)
  }
  const links = undos.flatMap((u) => (u.link ? [u.link] : []))
  if (links.length) {
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(links)
  }
  const collectionIds = undos.flatMap((u) => (u.collection_id ? [u.collection_id] : []))
  if (collectionIds.length) {
    await container.resolve(Modules.PAYMENT).deletePaymentCollections(collectionIds)
  }
}

export const captureMarketplacePaymentStep = createStep(
  captureMarketplacePaymentStepId,
  async (input: CaptureMarketplacePaymentStepInput, { container }) => {
    const existing = (await existingCaptures(container, [input.order_id])).get(input.order_id) ?? null
    const { undo, ...result } = await captureMarketplacePayment(container, input, existing)
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
    const existing = await existingCaptures(container, input.map((o) => o.order_id))
    const done: { order_id: string; payment_id: string; payment_collection_id: string; undo: CaptureUndo }[] = []
    let next = 0
    let failure: unknown = null
    const worker = async () => {
      while (next < input.length && !failure) {
        const one = input[next++]
        try {
          done.push({ order_id: one.order_id, ...(await captureMarketplacePayment(container, one, existing.get(one.order_id) ?? null)) })
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
