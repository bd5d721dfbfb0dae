import { ControlError } from "../kit/errors"
import { Lifecycle, type StatusTable } from "../kit/lifecycle"
/** What returns need of an order (core.ts's SandboxOrder has more). */
type ReturnableOrder = { id: string; shop_id: string; status: string; units: { id: string }[] }
/** What returns need of the sandbox's state (core.ts's TiktokStore). */
type ReturnStore = { nowSec(): number; returns: Map<string, SandboxReturn> }

/**
 * Return statuses as "Search Returns" (`/return_refund/202309/returns/search`) lists them. The return status
 * webhook (type 12) names the same values.
 */
export const RETURN_STATUSES = [
  "RETURN_OR_REFUND_REQUEST_PENDING",
  "REFUND_OR_RETURN_REQUEST_REJECT",
  "AWAITING_BUYER_SHIP",
  "BUYER_SHIPPED_ITEM",
  "REJECT_RECEIVE_PACKAGE",
  "RETURN_OR_REFUND_REQUEST_SUCCESS",
  "RETURN_OR_REFUND_REQUEST_CANCEL",
  "RETURN_OR_REFUND_REQUEST_COMPLETE",
  "REPLACEMENT_REQUEST_PENDING",
  "REPLACEMENT_REQUEST_REJECT",
  "REPLACEMENT_REQUEST_REFUND_SUCCESS",
  "REPLACEMENT_REQUEST_CANCEL",
  "REPLACEMENT_REQUEST_COMPLETE",
  "AWAITING_BUYER_RESPONSE",
] as const
export type TiktokReturnStatus = (typeof RETURN_STATUSES)[number]

export const RETURN_TYPES = ["REFUND", "RETURN_AND_REFUND", "REPLACEMENT"] as const
export type TiktokReturnType = (typeof RETURN_TYPES)[number]

export const ARBITRATION_STATUSES = ["IN_PROGRESS", "SUPPORT_BUYER", "SUPPORT_SELLER", "CLOSED"] as const
export type TiktokArbitrationStatus = (typeof ARBITRATION_STATUSES)[number]

export interface SandboxReturn {
  id: string
  order_id: string
  shop_id: string
  return_type: TiktokReturnType
  status: TiktokReturnStatus
  arbitration_status: TiktokArbitrationStatus | null
  role: "BUYER" | "SELLER" | "SYSTEM"
  return_reason: string
  return_reason_text: string
  /** The order line items (one per unit) the buyer sends back or is refunded for. */
  unit_ids: string[]
  /** One id per returned unit (`return_line_item_id`). */
  line_ids: string[]
  create_time: number
  update_time: number
  /** What the seller said when rejecting, in order. */
  rejections: { decision: string; reject_reason: string; comment: string | null }[]
}

/** Where each return type goes after its request (the docs' status list): approve, ship, receive, refund, finish. */
const PATHS: Record<TiktokReturnType, TiktokReturnStatus[]> = {
  RETURN_AND_REFUND: ["AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM", "RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE"],
  REFUND: ["RETURN_OR_REFUND_REQUEST_SUCCESS", "RETURN_OR_REFUND_REQUEST_COMPLETE"],
  REPLACEMENT: ["REPLACEMENT_REQUEST_COMPLETE"],
}
const TERMINAL: TiktokReturnStatus[] = [
  "RETURN_OR_REFUND_REQUEST_CANCEL",
  "RETURN_OR_REFUND_REQUEST_COMPLETE",
  "REPLACEMENT_REQUEST_CANCEL",
  "REPLACEMENT_REQUEST_COMPLETE",
  "REPLACEMENT_REQUEST_REFUND_SUCCESS",
]

function table(type: TiktokReturnType): StatusTable<TiktokReturnStatus> {
  const path = PATHS[type]
  const next: Partial<Record<TiktokReturnStatus, TiktokReturnStatus>> = {}
  const first = type === "REPLACEMENT" ? "REPLACEMENT_REQUEST_PENDING" : "RETURN_OR_REFUND_REQUEST_PENDING"
  next[first] = path[0]
  path.forEach((s, i) => {
    if (path[i + 1]) next[s] = path[i + 1]
  })
  return {
    next,
    pathTo: (target) => (path.includes(target) ? path.slice(0, path.indexOf(target) + 1) : target === first ? [] : [target]),
    terminal: TERMINAL,
  }
}

/** The statuses that mean the buyer is (or will be) refunded. */
export const REFUNDED_STATUSES: TiktokReturnStatus[] = [
  "RETURN_OR_REFUND_REQUEST_SUCCESS",
  "RETURN_OR_REFUND_REQUEST_COMPLETE",
  "REPLACEMENT_REQUEST_REFUND_SUCCESS",
]

/**
 * Returns and refunds of the sandbox: one lifecycle per return type (the path a request takes once approved),
 * a type 12 webhook on every live change, refunds of what the buyer paid for the returned units.
 */
export class TiktokReturns {
  private readonly lifecycles: Record<TiktokReturnType, Lifecycle<TiktokReturnStatus, SandboxReturn>>

  constructor(
    private readonly state: ReturnStore,
    private readonly announce: (ret: SandboxReturn) => void
  ) {
    const make = (type: TiktokReturnType) =>
      new Lifecycle<TiktokReturnStatus, SandboxReturn>(table(type), {
        now: () => state.nowSec(),
        status: (r) => r.status,
        updateTime: (r) => r.update_time,
        setUpdateTime: (r, t) => {
          r.update_time = t
        },
        enter: (r, status) => {
          r.status = status
        },
        announce: (r) => this.announce(r),
      })
    this.lifecycles = { REFUND: make("REFUND"), RETURN_AND_REFUND: make("RETURN_AND_REFUND"), REPLACEMENT: make("REPLACEMENT") }
  }

  lifecycle(ret: SandboxReturn): Lifecycle<TiktokReturnStatus, SandboxReturn> {
    return this.lifecycles[ret.return_type]
  }

  get(id: string): SandboxReturn {
    const ret = this.state.returns.get(id)
    if (!ret) throw new ControlError(404, `Return ${id} not found`)
    return ret
  }

  /**
   * The buyer asks for a return of `units` (order line item ids; every unit of the order when empty), created
   * directly in `status` (walked there silently) when given. Only shipped orders can be returned, and a unit
   * in an open or refunded return cannot be asked for again.
   */
  create(
    order: ReturnableOrder,
    input: { type?: TiktokReturnType; unit_ids?: string[]; status?: TiktokReturnStatus; arbitration_status?: TiktokArbitrationStatus | null },
    ids: { returnId: string; lineId: () => string }
  ): SandboxReturn {
    if (!["IN_TRANSIT", "DELIVERED", "COMPLETED"].includes(order.status)) {
      throw new ControlError(409, `Order ${order.id} is ${order.status}: only shipped orders can be returned`)
    }
    const taken = new Set(
      [...this.state.returns.values()]
        .filter((r) => r.order_id === order.id && !["RETURN_OR_REFUND_REQUEST_CANCEL", "REPLACEMENT_REQUEST_CANCEL"].includes(r.status))
        .flatMap((r) => r.unit_ids)
    )
    const unitIds = input.unit_ids?.length ? input.unit_ids : order.units.filter((u) => !taken.has(u.id)).map((u) => u.id)
    for (const id of unitIds) {
      if (!order.units.some((u) => u.id === id)) throw new ControlError(400, `Order ${order.id} has no line item ${id}`)
      if (taken.has(id)) throw new ControlError(409, `Line item ${id} of order ${order.id} is already in a return`)
    }
    if (!unitIds.length) throw new ControlError(409, `Order ${order.id} has nothing left to return`)
    const type = input.type ?? "RETURN_AND_REFUND"
    const now = this.state.nowSec()
    const ret: SandboxReturn = {
      id: ids.returnId,
      order_id: order.id,
      shop_id: order.shop_id,
      return_type: type,
      status: type === "REPLACEMENT" ? "REPLACEMENT_REQUEST_PENDING" : "RETURN_OR_REFUND_REQUEST_PENDING",
      arbitration_status: null,
      role: "BUYER",
      return_reason: "ecom_order_delivered_refund_and_return_reason_wrong_item",
      return_reason_text: "Wrong item",
      unit_ids: unitIds,
      line_ids: unitIds.map(() => ids.lineId()),
      create_time: now,
      update_time: now,
      rejections: [],
    }
    if (input.status && input.status !== ret.status) this.lifecycle(ret).settle(ret, input.status, now, () => 0)
    if (input.arbitration_status !== undefined) ret.arbitration_status = input.arbitration_status
    this.state.returns.set(ret.id, ret)
    this.announce(ret)
    return ret
  }

  /** Moves the return now (a type 12 webhook follows); `arbitration` changes the platform's arbitration too. */
  move(ret: SandboxReturn, status: TiktokReturnStatus, arbitration?: TiktokArbitrationStatus | null): void {
    if (arbitration !== undefined) ret.arbitration_status = arbitration
    this.lifecycle(ret).move(ret, status)
  }

  isTerminal(ret: SandboxReturn): boolean {
    return TERMINAL.includes(ret.status) || (ret.arbitration_status !== null && ["SUPPORT_SELLER", "CLOSED"].includes(ret.arbitration_status))
  }
}
