import { ControlError } from "../kit/errors"
import type { SandboxOrder, SandboxOrderItem } from "./orders-model"

/**
 * Reverse orders of type RETURN and ONLY_REFUND (guides "Reverse order overview" and "Reverse order processing
 * process"; GetReverseOrdersForSeller, GetReverseOrderDetail, ReverseOrderReturnUpdate, GetReverseOrderReasonList,
 * ReverseOrderOnlyRefundDecide; reverse-order message 10). A reverse order is asked for delivered units (order items),
 * one reverse line per unit; each line has its own `reverse_status`:
 *
 *   RETURN:      REQUEST_INITIATE -agreeReturn-> AGREE_RETURN -buyer ships-> BUYER_RETURN_ITEM -confirmDelivery->
 *                RETURN_DELIVERED -agreeRefund-> REFUND_SUCCESS   (instantRefund: REQUEST_INITIATE -> REFUND_SUCCESS)
 *                refuseReturn: REQUEST_INITIATE -> REQUEST_REJECT; refuseRefund: RETURN_DELIVERED -> REFUND_REJECT
 *   ONLY_REFUND: REQUEST_INITIATE -agreeRefund-> REFUND_SUCCESS; startDispute -> REQUEST_REJECT, in dispute
 *   the buyer withdraws: REQUEST_CANCEL (ofc_status RETURN_CANCELED)
 *
 * `is_dispute` says Lazada is arbitrating; `ofc_status` CLOSED (the sandbox's name: the docs list no ofc statuses
 * but RETURN_CANCELED and INITIAL) ends a reverse order that is refunded or whose refusal stood.
 */
export const REVERSE_STATUSES = [
  "REQUEST_INITIATE",
  "AGREE_RETURN",
  "BUYER_RETURN_ITEM",
  "RETURN_DELIVERED",
  "REFUND_SUCCESS",
  "REQUEST_REJECT",
  "REFUND_REJECT",
  "REQUEST_CANCEL",
] as const
export type ReverseStatus = (typeof REVERSE_STATUSES)[number]
export type ReverseRequestType = "RETURN" | "ONLY_REFUND"

export interface SandboxReverseLine {
  reverse_order_line_id: string
  trade_order_line_id: string
  reverse_status: ReverseStatus
  ofc_status: string
  is_dispute: boolean
  /** Minor units ("currency in cent, except VN"). */
  refund_amount: number
  item_unit_price: number
  reason_code: number
  reason_text: string
  tracking_number: string
  created_ms: number
  modified_ms: number
  /** The seller's refusals: reason id and comment. */
  refusals: { reason_id: string; comment: string }[]
}

export interface SandboxReverseOrder {
  reverse_order_id: string
  trade_order_id: string
  seller_id: string
  request_type: ReverseRequestType
  /** Return to merchant (true) or to a Lazada warehouse (false). */
  is_rtm: boolean
  shipping_type: "PICK_UP" | "DROP_OFF"
  lines: SandboxReverseLine[]
}

/** GetReverseOrderReasonList: the reasons a seller may give to refuse (the docs' sample gives 1000017 "out of stock"). */
export const REFUSE_REASONS: readonly { reason_id: string; text: string }[] = [
  { reason_id: "1000017", text: "out of stock" },
  { reason_id: "1000021", text: "Item was used or damaged by the buyer" },
  { reason_id: "1000022", text: "Return period has expired" },
]

/** The seller's actions of ReverseOrderReturnUpdate: from which status, to which status. */
export const RETURN_ACTIONS: Record<string, { from: ReverseStatus; to: ReverseStatus; rtmOnly?: boolean }> = {
  agreeReturn: { from: "REQUEST_INITIATE", to: "AGREE_RETURN" },
  instantRefund: { from: "REQUEST_INITIATE", to: "REFUND_SUCCESS" },
  refuseReturn: { from: "REQUEST_INITIATE", to: "REQUEST_REJECT" },
  confirmDelivery: { from: "BUYER_RETURN_ITEM", to: "RETURN_DELIVERED", rtmOnly: true },
  agreeRefund: { from: "RETURN_DELIVERED", to: "REFUND_SUCCESS", rtmOnly: true },
  refuseRefund: { from: "RETURN_DELIVERED", to: "REFUND_REJECT", rtmOnly: true },
}

/**
 * The key the reverse-order message (10) carries for a line entering a status, from the message page's table
 * (RTM_*, RTW_*, REFUND_*); the API's status itself where the page has no key.
 */
export function pushKey(ro: Pick<SandboxReverseOrder, "request_type" | "is_rtm">, status: ReverseStatus): string {
  const kind = ro.request_type === "ONLY_REFUND" ? "REFUND" : ro.is_rtm ? "RTM" : "RTW"
  const table: Partial<Record<ReverseStatus, Partial<Record<typeof kind, string>>>> = {
    REQUEST_INITIATE: { RTM: "RTM_INIT", RTW: "RTW_INIT", REFUND: "REFUND_INIT" },
    REQUEST_CANCEL: { RTM: "RTM_CANCELED", RTW: "RTW_CANCELED" },
    BUYER_RETURN_ITEM: { RTM: "RTM_SHIPPING_BACK", RTW: "RTW_SHIPPING_BACK" },
    RETURN_DELIVERED: { RTM: "RTM_RECEIVE_ITEM" },
    REFUND_SUCCESS: { RTW: "RTW_REFUND_PENDING", REFUND: "REFUND_SUCCESS" },
    REQUEST_REJECT: { RTW: "RTW_REJECT", REFUND: "REFUND_REJECTED" },
  }
  return table[status]?.[kind] ?? status
}

/** What the reverse orders need of the sandbox core. */
export interface ReverseHost {
  nowMs(): number
  nextId(): string
  reverseOrders: Map<string, SandboxReverseOrder>
  announce(ro: SandboxReverseOrder, line: SandboxReverseLine): void
}

const OPEN_LINE = (l: SandboxReverseLine) => l.reverse_status !== "REQUEST_CANCEL"

/** The sandbox's reverse orders: created by the buyer (control API), moved by the seller's calls or the controls. */
export class LazadaReverseOrders {
  constructor(private readonly host: ReverseHost) {}

  get(id: string): SandboxReverseOrder {
    const ro = this.host.reverseOrders.get(id)
    if (!ro) throw new ControlError(404, `Reverse order ${id} not found`)
    return ro
  }

  /** The units of the order already in a reverse order that is not cancelled. */
  taken(orderId: string): Set<string> {
    return new Set(
      [...this.host.reverseOrders.values()].filter((r) => r.trade_order_id === orderId).flatMap((r) => r.lines.filter(OPEN_LINE).map((l) => l.trade_order_line_id))
    )
  }

  /**
   * The buyer asks for a return (or a refund only) of delivered units: "a reverse order is generated when a refund or
   * return request is initiated by the buyer after the order is updated to Delivered".
   */
  create(order: SandboxOrder, input: { item_ids?: string[]; request_type?: ReverseRequestType; is_rtm?: boolean; reason_text?: string; vn: boolean }): SandboxReverseOrder {
    const taken = this.taken(order.order_id)
    const ids = input.item_ids?.length ? input.item_ids : order.items.filter((i) => i.status === "delivered" && !taken.has(i.order_item_id)).map((i) => i.order_item_id)
    if (ids.length === 0) throw new ControlError(409, `Order ${order.order_id} has no delivered unit left to return`)
    const units: SandboxOrderItem[] = ids.map((id) => {
      const unit = order.items.find((i) => i.order_item_id === id)
      if (!unit) throw new ControlError(400, `Order ${order.order_id} has no item ${id}`)
      if (unit.status !== "delivered") throw new ControlError(409, `Item ${id} is ${unit.status}: only delivered items can be returned`)
      if (taken.has(id)) throw new ControlError(409, `Item ${id} is already in a reverse order`)
      return unit
    })
    const now = this.host.nowMs()
    // "currency in cent, except VN".
    const minor = (price: string) => Math.round(Number(price) * (input.vn ? 1 : 100))
    const ro: SandboxReverseOrder = {
      reverse_order_id: this.host.nextId(),
      trade_order_id: order.order_id,
      seller_id: order.seller_id,
      request_type: input.request_type ?? "RETURN",
      is_rtm: input.is_rtm ?? true,
      shipping_type: "DROP_OFF",
      lines: units.map((u) => ({
        reverse_order_line_id: this.host.nextId(),
        trade_order_line_id: u.order_item_id,
        reverse_status: "REQUEST_INITIATE",
        ofc_status: "INITIAL",
        is_dispute: false,
        refund_amount: minor(u.paid_price || u.item_price),
        item_unit_price: minor(u.item_price),
        reason_code: 10000051,
        reason_text: input.reason_text ?? "Item does not match description",
        tracking_number: "",
        created_ms: now,
        modified_ms: now,
        refusals: [],
      })),
    }
    this.host.reverseOrders.set(ro.reverse_order_id, ro)
    for (const line of ro.lines) this.host.announce(ro, line)
    return ro
  }

  /**
   * Moves lines (all open ones by default) to a status, with a push each. `is_dispute` / `ofc_status` change too when
   * given. Every change moves the line's modified time strictly forward (milliseconds, by whole seconds).
   */
  move(ro: SandboxReverseOrder, change: { reverse_status?: ReverseStatus; is_dispute?: boolean; ofc_status?: string }, lineIds?: string[]): void {
    const lines = ro.lines.filter((l) => (lineIds ? lineIds.includes(l.reverse_order_line_id) : OPEN_LINE(l) || change.reverse_status === undefined))
    if (lines.length === 0) throw new ControlError(409, `Reverse order ${ro.reverse_order_id} has no line to move`)
    for (const line of lines) {
      if (change.reverse_status) {
        line.reverse_status = change.reverse_status
        if (change.reverse_status === "REQUEST_CANCEL") line.ofc_status = "RETURN_CANCELED"
        if (change.reverse_status === "BUYER_RETURN_ITEM" && !line.tracking_number) line.tracking_number = `LZR${line.reverse_order_line_id.slice(-8)}`
      }
      if (change.is_dispute !== undefined) line.is_dispute = change.is_dispute
      if (change.ofc_status !== undefined) line.ofc_status = change.ofc_status
      line.modified_ms = Math.max(this.host.nowMs(), line.modified_ms + 1000)
      this.host.announce(ro, line)
    }
  }
}
