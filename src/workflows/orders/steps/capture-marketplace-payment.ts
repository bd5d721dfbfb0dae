import {
  ContainerRegistrationKeys,
  MedusaError,
  Modules,
  PaymentCollectionStatus,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { mapLimit } from "../../../lib/chunk"

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
type CaptureUndo = { collection_ids: string[]; links: Record<string, Record<string, string>>[]; transaction_ids: string[] }

/** What an order already has of its marketplace payment: left by an import that died inside the capture. */
export type ExistingCapture = {
  collection_id: string
  session_id: string | null
  payment_id: string | null
  capture_id: string | null
  /** The order has the capture's transaction. */
  recorded: boolean
  /**
   * The capture is finished: its payment dated captured and the collection `completed`. A capture written in
   * bulk (see captureMarketplacePayments) by a process that died before the last two writes is not.
   */
  finished: boolean
}

type OrderPaymentRow = {
  id: string
  payment_collections?: {
    id: string
    status: string
    payment_sessions?: { id: string; status: string }[]
    payments?: { id: string; captured_at?: string | Date | null; captures?: { id: string; created_at: string | Date }[] }[]
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
      "payment_collections.payments.captured_at",
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
      finished: !!capture && !!payment?.captured_at && collection.status === "completed",
    })
  }
  return found
}

/** What {@link captureMarketplacePayments} did for one order. */
export type CapturedMarketplacePayment = { order_id: string; payment_id: string; payment_collection_id: string }

/**
 * The Payment module's generated data-management methods (MedusaService makes them for every data model;
 * its typed interface leaves them out), for writing the records of many captures at once.
 */
export type PaymentRecords = {
  createPaymentSessions(data: Record<string, unknown>[]): Promise<{ id: string }[]>
  createPayments(data: Record<string, unknown>[]): Promise<{ id: string }[]>
  createCaptures(data: Record<string, unknown>[]): Promise<{ id: string }[]>
  updatePayments(data: Record<string, unknown>[]): Promise<unknown>
}

/**
 * The captures of many orders (see the steps below). Each finishes a capture an earlier import left half-done
 * (the payment collection, session, payment, capture and order transaction are each made only if missing),
 * so a retry after a crash captures exactly once.
 *
 * An order with nothing of its payment yet (the batch import's case) gets its records written in bulk, one
 * statement per kind for all such orders: collections (`createPaymentCollections`) and their order links,
 * sessions authorized with Medusa's system provider, payments, captures, then the payments dated captured
 * and the collections' totals and `completed` status (`upsertPaymentCollections`): the records the Payment
 * module's `createPaymentSession` + `authorizePaymentSession` + `capturePayment` make for the system provider
 * (which moves no money and keeps no data), without their 40 or so statements per order. That path stays for
 * an order an earlier import left half-done, one order at a time (`concurrency` at once); a bulk write cut
 * short by a crash is such an order next time (the last two writes are what `finished` checks). The order
 * transactions go in one `addOrderTransactions`. On any failure it removes what it created, for every
 * order, before throwing, so a caller only ever has to undo complete captures.
 */
export async function captureMarketplacePayments(
  container: MedusaContainer,
  inputs: CaptureMarketplacePaymentStepInput[],
  existing: Map<string, ExistingCapture>,
  concurrency = 4
): Promise<{ captured: CapturedMarketplacePayment[]; undo: CaptureUndo }> {
  const payments = container.resolve(Modules.PAYMENT)
  const orders = container.resolve(Modules.ORDER)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const undo: CaptureUndo = { collection_ids: [], links: [], transaction_ids: [] }
  const collectionOf = new Map<string, string>()
  for (const input of inputs) {
    const found = existing.get(input.order_id)
    if (found) collectionOf.set(input.order_id, found.collection_id)
  }
  try {
    const fresh = inputs.filter((i) => !collectionOf.has(i.order_id))
    if (fresh.length) {
      const collections = await payments.createPaymentCollections(
        fresh.map((i) => ({ currency_code: i.currency_code, amount: i.amount as unknown as number }))
      )
      undo.collection_ids.push(...collections.map((c) => c.id))
      const links = fresh.map((input, n) => {
        collectionOf.set(input.order_id, collections[n].id)
        return {
          [Modules.ORDER]: { order_id: input.order_id },
          [Modules.PAYMENT]: { payment_collection_id: collections[n].id },
        }
      })
      undo.links.push(...links)
      await link.create(links)
    }

    // Orders with nothing of their payment yet: sessions, payments and captures in one insert each.
    const records = payments as unknown as PaymentRecords
    const blank = inputs.filter((i) => !existing.has(i.order_id))
    const written = new Map<string, { payment_id: string; capture_id: string }>()
    if (blank.length) {
      const authorizedAt = new Date()
      const sessions = await records.createPaymentSessions(
        blank.map((i) => ({
          payment_collection_id: collectionOf.get(i.order_id),
          provider_id: SYSTEM_PAYMENT_PROVIDER,
          currency_code: i.currency_code.toLowerCase(),
          amount: i.amount,
          data: {},
          status: PaymentSessionStatus.AUTHORIZED,
          authorized_at: authorizedAt,
        }))
      )
      const made = await records.createPayments(
        blank.map((i, n) => ({
          payment_collection_id: collectionOf.get(i.order_id),
          payment_session_id: sessions[n].id,
          provider_id: SYSTEM_PAYMENT_PROVIDER,
          currency_code: i.currency_code.toLowerCase(),
          amount: i.amount,
          data: {},
        }))
      )
      const captures = await records.createCaptures(blank.map((i, n) => ({ payment_id: made[n].id, amount: i.amount })))
      blank.forEach((i, n) => written.set(i.order_id, { payment_id: made[n].id, capture_id: captures[n].id }))
    }

    const settle = async (input: CaptureMarketplacePaymentStepInput) => {
      const bulk = written.get(input.order_id)
      if (bulk) {
        return { input, payment_id: bulk.payment_id, capture_id: bulk.capture_id, recorded: false, finish: true }
      }
      const amount = input.amount as unknown as number
      const found = existing.get(input.order_id) ?? null
      const collectionId = collectionOf.get(input.order_id) as string
      let paymentId = found?.payment_id ?? null
      if (!paymentId) {
        const sessionId =
          found?.session_id ??
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
      let captureId = found?.capture_id ?? null
      if (!captureId) {
        const captured = await payments.capturePayment({ payment_id: paymentId, amount })
        captureId = captured.captures?.[captured.captures.length - 1]?.id ?? null
      }
      return {
        input,
        payment_id: paymentId,
        capture_id: captureId,
        recorded: !!found?.recorded && found.capture_id === captureId,
        // Captured by a bulk write that a crash cut short: its last two writes are still to make.
        finish: !!found?.capture_id && found.capture_id === captureId && !found.finished,
      }
    }
    // After the first failure no order is started, and every one under way is waited for (mapLimit), so the
    // undo below sees all it made.
    const failures: unknown[] = []
    const settled = (
      await mapLimit(inputs, concurrency, async (input) => {
        if (failures.length) return null
        try {
          return await settle(input)
        } catch (error) {
          failures.push(error)
          return null
        }
      })
    ).filter((s): s is Awaited<ReturnType<typeof settle>> => s !== null)
    if (failures.length) {
      throw failures[0]
    }

    // The bulk captures' last writes: payments dated captured, collections authorized and captured in full.
    const finishing = settled.filter((s) => s.finish)
    if (finishing.length) {
      const capturedAt = new Date()
      await records.updatePayments(finishing.map((s) => ({ id: s.payment_id, captured_at: capturedAt })))
      await payments.upsertPaymentCollections(
        finishing.map((s) => ({
          id: collectionOf.get(s.input.order_id) as string,
          status: PaymentCollectionStatus.COMPLETED,
          authorized_amount: s.input.amount as unknown as number,
          captured_amount: s.input.amount as unknown as number,
          refunded_amount: 0,
          completed_at: capturedAt,
        })) as unknown as Parameters<typeof payments.upsertPaymentCollections>[0]
      )
    }

    const unrecorded = settled.filter((s) => !s.recorded)
    if (unrecorded.length) {
      const transactions = await orders.addOrderTransactions(
        unrecorded.map((s) => ({
          order_id: s.input.order_id,
          amount: s.input.amount as unknown as number,
          currency_code: s.input.currency_code,
          reference: "capture",
          reference_id: s.capture_id ?? undefined,
        }))
      )
      undo.transaction_ids.push(...transactions.map((t) => t.id))
    }
    return {
      captured: settled.map((s) => ({
        order_id: s.input.order_id,
        payment_id: s.payment_id,
        payment_collection_id: collectionOf.get(s.input.order_id) as string,
      })),
      undo,
    }
  } catch (error) {
    // The order transactions are the last write: nothing can fail after them. The links may not exist (their
    // insert failed): each kind is removed on its own, and the error thrown is the one that matters.
    if (undo.links.length) {
      await link.dismiss(undo.links).catch(() => undefined)
    }
    if (undo.collection_ids.length) {
      await payments.deletePaymentCollections(undo.collection_ids).catch(() => undefined)
    }
    throw error
  }
}

/**
 * Removes what {@link captureMarketplacePayments} recorded (no money moves: the marketplace holds it). Each
 * kind of record goes in one call; links already gone are skipped.
 */
export async function undoMarketplaceCaptures(container: MedusaContainer, undos: CaptureUndo[]) {
  const transactionIds = undos.flatMap((u) => u.transaction_ids)
  if (transactionIds.length) {
    await container.resolve(Modules.ORDER).deleteOrderTransactions(transactionIds)
  }
  const links = undos.flatMap((u) => u.links)
  if (links.length) {
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(links)
  }
  const collectionIds = undos.flatMap((u) => u.collection_ids)
  if (collectionIds.length) {
    await container.resolve(Modules.PAYMENT).deletePaymentCollections(collectionIds)
  }
}

export const captureMarketplacePaymentStep = createStep(
  captureMarketplacePaymentStepId,
  async (input: CaptureMarketplacePaymentStepInput, { container }) => {
    const existing = await existingCaptures(container, [input.order_id])
    const { captured, undo } = await captureMarketplacePayments(container, [input], existing)
    const { order_id: _orderId, ...result } = captured[0]
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
    const { captured, undo } = await captureMarketplacePayments(container, input, existing)
    return new StepResponse(captured, [undo])
  },
  async (undos, { container }) => {
    if (!undos?.length) {
      return
    }
    await undoMarketplaceCaptures(container, undos)
  }
)
