import { MathBN } from "@medusajs/framework/utils"
import type { MarketplaceReturn, MarketplaceReturnItem, ReturnOutcome } from "../../../providers/types"

/** A line of the Medusa order, with what can still be returned of it. */
export type ReturnableOrderLine = {
  id: string
  variant_sku: string | null
  /** The line item's metadata as the order import wrote it (external_item_id, external_model_id, sku). */
  metadata: Record<string, unknown> | null
  /** Fulfilled and not yet requested, received or dismissed in another return. */
  returnable: number
}

/** The Medusa return linked to a return link, as far as planning needs it. */
export type LinkedMedusaReturn = {
  id: string
  status: string
  canceled: boolean
  /** Items still waiting to be received: requested minus received minus dismissed. */
  outstanding: { id: string; quantity: number }[]
  received_any: boolean
}

export type StoredReturnLink = {
  id: string
  status: string
  external_updated_at: Date | string
  refunded_amount: string | number | null
}

export type ReturnPlanInput = {
  ret: Pick<MarketplaceReturn, "refund_amount" | "items" | "updated_at">
  /** What the return's state means, as the provider reads it (`returnOutcome`). */
  outcome: ReturnOutcome
  /** The goods come back (the solution's `restock` in the provider's vocabulary); otherwise refund only. */
  restock: boolean
  link: StoredReturnLink | null
  order: { id: string; canceled: boolean; lines: ReturnableOrderLine[] } | null
  medusa_return: LinkedMedusaReturn | null
  /** The order's captured payment and how much of it can still be refunded. */
  payment: { id: string; refundable: string } | null
}

export type ReturnPlan = {
  /** unchanged: older than (or, with nothing to do, equal to) the stored state. */
  action: "create" | "update" | "unchanged"
  reason: string | null
  /** What Medusa should show: the marketplace status folded into requested / received / cancelled. */
  target: "requested" | "received" | "cancelled"
  create_return: boolean
  request_items: { id: string; quantity: number }[]
  receive: { mode: "restock" | "dismiss"; items: { id: string; quantity: number }[] } | null
  cancel: boolean
  /** The amount to refund now (the marketplace's refund minus what was already recorded), or null. */
  refund: string | null
  /** The refunded total after this import. */
  refunded_amount: string | null
  /** Why Medusa differs from the marketplace, if it does. */
  note: string | null
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? "0" : String(v))
const positive = (v: string) => MathBN.gt(v, 0)

const TARGETS: Record<ReturnOutcome, ReturnPlan["target"]> = {
  open: "requested",
  refunded: "received",
  not_refunded: "cancelled",
}

/** What Medusa shows for the provider's reading of the return. */
export function targetOf(outcome: ReturnOutcome): ReturnPlan["target"] {
  return TARGETS[outcome]
}

const meta = (line: ReturnableOrderLine, key: string): string | null => {
  const value = line.metadata?.[key]
  return value === undefined || value === null || value === "" ? null : String(value)
}

/**
 * Maps the returned marketplace lines to order lines: by external item + model id first, then by SKU; a
 * quantity is spread over several lines of the same listing when needed, never beyond what is returnable.
 */
export function allocateReturnItems(
  items: MarketplaceReturnItem[],
  lines: ReturnableOrderLine[]
): { items: { id: string; quantity: number }[]; missing: { item: MarketplaceReturnItem; quantity: number }[] } {
  const left = new Map(lines.map((l) => [l.id, Math.max(0, l.returnable)]))
  const taken = new Map<string, number>()
  const missing: { item: MarketplaceReturnItem; quantity: number }[] = []
  for (const item of items) {
    const byId = lines.filter(
      (l) => meta(l, "external_item_id") === String(item.external_item_id) && meta(l, "external_model_id") === String(item.external_model_id)
    )
    const bySku = item.sku ? lines.filter((l) => !byId.includes(l) && (meta(l, "sku") ?? l.variant_sku) === item.sku) : []
    let wanted = item.quantity
    for (const line of [...byId, ...bySku]) {
      if (!wanted) break
      const take = Math.min(wanted, left.get(line.id) ?? 0)
      if (!take) continue
      left.set(line.id, (left.get(line.id) ?? 0) - take)
      taken.set(line.id, (taken.get(line.id) ?? 0) + take)
      wanted -= take
    }
    if (wanted) missing.push({ item, quantity: wanted })
  }
  return { items: [...taken].map(([id, quantity]) => ({ id, quantity })), missing }
}

/**
 * Decides what importing a marketplace return means now, by comparing the marketplace's state with what
 * Medusa holds (the Medusa return, the refunds recorded): the result brings Medusa to the marketplace's
 * state, so a duplicate changes nothing and a retry finishes what a failed attempt left. An older update
 * time than the stored one changes nothing (anti-regression).
 */
export function planReturnImport({ ret, outcome, restock, link, order, medusa_return, payment }: ReturnPlanInput): ReturnPlan {
  const target = targetOf(outcome)
  const refunded = num(link?.refunded_amount)
  const base: ReturnPlan = {
    action: link ? "update" : "create",
    reason: null,
    target,
    create_return: false,
    request_items: [],
    receive: null,
    cancel: false,
    refund: null,
    refunded_amount: link?.refunded_amount === null || link?.refunded_amount === undefined ? null : refunded,
    note: null,
  }
  if (link && new Date(link.external_updated_at).getTime() > new Date(ret.updated_at).getTime()) {
    return { ...base, action: "unchanged", reason: "older than the stored state" }
  }
  const notes: string[] = []

  // The Medusa return: created for any state but a cancellation, when the order has returnable lines.
  let outstanding = medusa_return && !medusa_return.canceled ? medusa_return.outstanding : []
  const hasReturn = !!medusa_return && !medusa_return.canceled
  if (!medusa_return && target !== "cancelled") {
    if (!order) {
      notes.push("The order is not imported: no Medusa return yet")
    } else if (order.canceled) {
      notes.push("The Medusa order is canceled: no Medusa return")
    } else {
      const allocation = allocateReturnItems(ret.items, order.lines)
      if (allocation.items.length) {
        base.create_return = true
        base.request_items = allocation.items
        outstanding = allocation.items
      }
      if (allocation.missing.length) {
        notes.push(
          `Not fulfilled in Medusa, or no matching line: ${allocation.missing
            .map((m) => `${m.quantity} x ${m.item.sku ?? `${m.item.external_item_id}/${m.item.external_model_id}`}`)
            .join(", ")}${allocation.items.length ? "" : ": no Medusa return"}`
        )
      }
    }
  }

  if (target === "received" && (hasReturn || base.create_return) && outstanding.length) {
    // Refund only: the buyer keeps the goods, so nothing goes back into stock (received as dismissed).
    base.receive = { mode: restock ? "restock" : "dismiss", items: outstanding }
  }
  if (target === "cancelled" && hasReturn) {
    if (medusa_return?.received_any) {
      notes.push("The Medusa return has received items and cannot be canceled")
    } else {
      base.cancel = true
    }
  }

  if (target === "received") {
    const due = MathBN.sub(ret.refund_amount, refunded)
    if (positive(due.toString())) {
      if (!payment) {
        notes.push("The order has no captured payment: the refund is not recorded")
      } else {
        const amount = MathBN.min(due, payment.refundable)
        if (positive(amount.toString())) {
          base.refund = amount.toString()
          base.refunded_amount = MathBN.add(refunded, amount).toString()
        }
        if (MathBN.lt(amount, due)) notes.push("The refund is larger than what remains of the captured payment")
      }
    }
  }

  base.note = notes.length ? notes.join("; ") : null
  const changes = base.create_return || !!base.receive || base.cancel || !!base.refund
  if (link && !changes && new Date(link.external_updated_at).getTime() === new Date(ret.updated_at).getTime()) {
    return { ...base, action: "unchanged", reason: "not newer than the stored state" }
  }
  return base
}

/**
 * The idempotency key of a marketplace return's refunds, written in each refund's note (stored with the
 * refund, in the same write): the next import counts the refunds carrying it, so a refund made by an import
 * that died before recording it on the return link is never made again.
 *
 * @example
 * returnRefundKey("mpcon_1", "240101RET") // "[marketplace-return:mpcon_1:240101RET]"
 */
export function returnRefundKey(connectionId: string, externalReturnId: string): string {
  return `[marketplace-return:${connectionId}:${externalReturnId}]`
}
