import { SandboxCore } from "../kit/core"
import { ControlError } from "../kit/errors"
import type { IssuedTokens as TokenPair } from "../kit/tokens"
import { roundMoney } from "../kit/money"
import { DEMO_CATALOGUE, type CatalogueItemInput } from "./catalogue"
import { createShop, newOrder, type NewOrderInput, seedItems, sellableSku } from "./generate"
import {
  changeOrderStatus,
  changeReturnStatus,
  nextOrderStatus,
  nextReturnStatus,
  refundForLine,
  refundForLines,
  settleNewOrder,
} from "./lifecycle"
import { PUSH_CODES, shopeePushProfile } from "./push"
import type { SandboxState } from "./state"
import type {
  EscrowAdjustment,
  OrderStatus,
  ReturnSolution,
  ReturnStatus,
  SandboxItem,
  SandboxLogger,
  SandboxOrder,
  SandboxReturn,
  SandboxShop,
} from "./types"

export { ControlError }

export type { IssuedTokens as TokenPair } from "../kit/tokens"

export interface CreateOrdersInput extends NewOrderInput {
  count?: number
  status?: OrderStatus
}

export interface OrderPatch {
  update_time?: number
  create_time?: number
  pay_time?: number
  order_status?: OrderStatus
  note?: string
  message_to_seller?: string
  actual_shipping_fee?: number
}

export interface CreateReturnInput {
  items?: { item_id: number; model_id: number; amount: number }[]
  solution?: ReturnSolution
  reason?: string
  text_reason?: string
  status?: ReturnStatus
}

/**
 * The Shopee sandbox's behaviour behind both doors: the signed Shopee API routes and the unsigned
 * control API / in-process methods used by tests, the demo and benchmarks. Pushes, faults, the rate
 * limit and reset come from the kit.
 */
export class ShopeeSandboxCore extends SandboxCore<SandboxState> {
  constructor(state: SandboxState, logger: SandboxLogger) {
    super(state, logger, shopeePushProfile(state.config))
  }

  // --- shops, tokens, codes -------------------------------------------------------------

  createShop(input: { shop_id?: number; shop_name?: string; region?: string; currency?: string; warehouses?: string[] }): SandboxShop {
    if (input.shop_id !== undefined && this.state.shops.has(input.shop_id)) {
      throw new ControlError(409, `Shop ${input.shop_id} already exists`)
    }
    return createShop(this.state, input)
  }

  shop(shopId: number): SandboxShop {
    const shop = this.state.shops.get(shopId)
    if (!shop) throw new ControlError(404, `Shop ${shopId} not found`)
    return shop
  }

  /** A single-use authorization code, as the authorize page hands to the redirect URL. */
  issueAuthCode(shopId: number): string {
    this.shop(shopId)
    return this.state.tokens.issueCode(shopId)
  }

  /** A fresh token pair for a shop (what token/get answers; also a shortcut for tests). */
  issueTokens(shopId: number): TokenPair {
    const shop = this.shop(shopId)
    const pair = this.state.tokens.issue(shopId)
    shop.auth_time ||= this.state.nowSec()
    return pair
  }

  /** Rotate: the refresh token is spent, older access tokens get at most 5 more minutes. */
  rotateTokens(shopId: number, refreshToken: string): TokenPair {
    const shop = this.shop(shopId)
    const pair = this.state.tokens.rotate(shopId, refreshToken)
    shop.refresh_count += 1
    shop.auth_time ||= this.state.nowSec()
    return pair
  }

  /** Expire a shop's access tokens now (and its refresh tokens when asked). */
  expireTokens(shopId: number, alsoRefresh = false): number {
    this.shop(shopId)
    return this.state.tokens.expire(shopId, alsoRefresh)
  }

  // --- listings ------------------------------------------------------------------------

  seedItems(shopId: number, items: readonly CatalogueItemInput[]): SandboxItem[] {
    const shop = this.shop(shopId)
    const skus = new Set<string>()
    for (const item of this.state.items.values()) {
      if (item.shop_id === shopId) item.models.forEach((m) => skus.add(sellableSku(item, m)))
    }
    for (const input of items) {
      const incoming = input.models?.length ? input.models.map((m) => m.model_sku) : [input.item_sku ?? ""]
      for (const sku of incoming) {
        if (sku && skus.has(sku)) throw new ControlError(409, `SKU ${sku} already exists in shop ${shopId}`)
        skus.add(sku)
      }
    }
    return seedItems(this.state, shop, items)
  }

  seedDemoCatalogue(shopId: number): SandboxItem[] {
    return this.seedItems(shopId, DEMO_CATALOGUE)
  }

  listItems(shopId: number): SandboxItem[] {
    this.shop(shopId)
    return [...this.state.items.values()].filter((i) => i.shop_id === shopId)
  }

  patchModel(itemId: number, modelId: number, patch: { stock?: number; reserved_stock?: number; original_price?: number }): SandboxItem {
    const item = this.state.items.get(itemId)
    const model = item?.models.find((m) => m.model_id === modelId)
    if (!item || !model) throw new ControlError(404, `Model ${itemId}/${modelId} not found`)
    if (patch.stock !== undefined) model.stock = patch.stock
    if (patch.reserved_stock !== undefined) model.reserved_stock = patch.reserved_stock
    if (patch.original_price !== undefined) model.original_price = patch.original_price
    item.update_time = Math.max(this.state.nowSec(), item.update_time + 1)
    return item
  }

  // --- orders --------------------------------------------------------------------------

  order(orderSn: string): SandboxOrder {
    const order = this.state.orders.get(orderSn)
    if (!order) throw new ControlError(404, `Order ${orderSn} not found`)
    return order
  }

  /** Generated orders, pushed (code 3) once each in the status they start in. */
  createOrders(shopId: number, input: CreateOrdersInput): SandboxOrder[] {
    const shop = this.shop(shopId)
    const created: SandboxOrder[] = []
    for (let i = 0; i < (input.count ?? 1); i++) {
      let order: SandboxOrder
      try {
        order = newOrder(this.state, shop, input)
      } catch (err) {
        throw new ControlError(409, err instanceof Error ? err.message : String(err))
      }
      settleNewOrder(this.state, this.push, order, input.status ?? (order.cod ? "READY_TO_SHIP" : "UNPAID"))
      created.push(order)
      this.push.send(PUSH_CODES.ORDER_STATUS, shopId, {
        items: [],
        ordersn: order.order_sn,
        status: order.order_status,
        completed_scenario: "",
        update_time: order.update_time,
      })
    }
    return created
  }

  advanceOrder(orderSn: string, status?: OrderStatus): SandboxOrder {
    const order = this.order(orderSn)
    const target = status ?? nextOrderStatus(order.order_status)
    if (!target) throw new ControlError(409, `Order ${orderSn} is ${order.order_status}: no next status`)
    changeOrderStatus(this.state, this.push, order, target)
    return order
  }

  /** Test helper: set fields directly, no push and no update_time bump unless given. */
  patchOrder(orderSn: string, patch: OrderPatch): SandboxOrder {
    const order = this.order(orderSn)
    if (patch.order_status !== undefined) order.order_status = patch.order_status
    if (patch.create_time !== undefined) order.create_time = patch.create_time
    if (patch.pay_time !== undefined) order.pay_time = patch.pay_time
    if (patch.note !== undefined) {
      order.note = patch.note
      order.note_update_time = this.state.nowSec()
    }
    if (patch.message_to_seller !== undefined) order.message_to_seller = patch.message_to_seller
    if (patch.actual_shipping_fee !== undefined) order.actual_shipping_fee = patch.actual_shipping_fee
    if (patch.update_time !== undefined) order.update_time = patch.update_time
    return order
  }

  /** Later escrow corrections (refund compensations, logistics fees...), after completion only. */
  addEscrowAdjustment(orderSn: string, input: { amount: number; reason?: string; date?: number }): EscrowAdjustment {
    const order = this.order(orderSn)
    if (order.order_status !== "COMPLETED") {
      throw new ControlError(409, `Order ${orderSn} is ${order.order_status}: adjustments come after completion`)
    }
    const adjustment: EscrowAdjustment = {
      amount: roundMoney(input.amount, order.currency),
      date: input.date ?? this.state.nowSec(),
      currency: order.currency,
      adjustment_reason: input.reason ?? "Logistic issue compensation",
    }
    order.adjustments.push(adjustment)
    return adjustment
  }

  // --- returns -------------------------------------------------------------------------

  returnRequest(returnSn: string): SandboxReturn {
    const ret = this.state.returns.get(returnSn)
    if (!ret) throw new ControlError(404, `Return ${returnSn} not found`)
    return ret
  }

  /** A buyer's return/refund request; before completion it moves the order to TO_RETURN. */
  createReturn(orderSn: string, input: CreateReturnInput): SandboxReturn {
    const order = this.order(orderSn)
    if (!["SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED", "TO_RETURN"].includes(order.order_status)) {
      throw new ControlError(409, `Order ${orderSn} is ${order.order_status}: returns need a shipped order`)
    }
    const lines = (input.items ?? order.lines.map((l) => ({ item_id: l.item_id, model_id: l.model_id, amount: l.quantity }))).map((req) => {
      const line = order.lines.find((l) => l.item_id === req.item_id && l.model_id === req.model_id)
      if (!line) throw new ControlError(400, `Order ${orderSn} has no line ${req.item_id}/${req.model_id}`)
      if (req.amount < 1 || req.amount > line.quantity) throw new ControlError(400, `Return amount must be 1..${line.quantity}`)
      return {
        item_id: line.item_id,
        model_id: line.model_id,
        name: line.item_name,
        item_sku: line.item_sku,
        variation_sku: line.model_sku,
        amount: req.amount,
        item_price: line.discounted_price,
        refund_amount: refundForLine(order, { item_id: line.item_id, model_id: line.model_id, amount: req.amount }),
      }
    })
    const now = Math.max(this.state.nowSec(), order.update_time)
    const refund = refundForLines(order, lines)
    const ret: SandboxReturn = {
      return_sn: `${this.state.random.digits(15)}`,
      order_sn: orderSn,
      shop_id: order.shop_id,
      status: "REQUESTED",
      solution: input.solution ?? "RETURN_REFUND",
      reason: input.reason ?? "ITEM_DAMAGED",
      text_reason: input.text_reason ?? "The item arrived damaged.",
      currency: order.currency,
      refund_amount: refund,
      amount_before_discount: roundMoney(
        lines.reduce((sum, l) => sum + (order.lines.find((o) => o.item_id === l.item_id && o.model_id === l.model_id)?.original_price ?? 0) * l.amount, 0),
        order.currency
      ),
      create_time: now,
      update_time: now,
      due_date: now + 3 * 86400,
      tracking_number: "",
      needs_logistics: (input.solution ?? "RETURN_REFUND") === "RETURN_REFUND",
      buyer_username: order.buyer_username,
      lines,
      return_refund_type: order.order_status === "COMPLETED" ? "RRAOC" : "RRBOC",
      dispute_reason: [],
      dispute_text_reason: [],
    }
    this.state.returns.set(ret.return_sn, ret)
    order.return_sns.push(ret.return_sn)
    if (order.order_status === "SHIPPED" || order.order_status === "TO_CONFIRM_RECEIVE") {
      changeOrderStatus(this.state, this.push, order, "TO_RETURN")
    }
    this.push.send(PUSH_CODES.RETURN_UPDATE, order.shop_id, {
      order_sn: orderSn,
      return_sn: ret.return_sn,
      updated_values: [{ update_field: "status", old_value: "", new_value: "REQUESTED" }],
      update_time: ret.update_time,
    })
    if (input.status && input.status !== "REQUESTED") changeReturnStatus(this.state, this.push, ret, input.status)
    return ret
  }

  advanceReturn(returnSn: string, status?: ReturnStatus): SandboxReturn {
    const ret = this.returnRequest(returnSn)
    const target = status ?? nextReturnStatus(ret.status)
    if (!target) throw new ControlError(409, `Return ${returnSn} is ${ret.status}: no next status`)
    if (ret.status === "REQUESTED" && target === "PROCESSING" && ret.needs_logistics) {
      ret.tracking_number = `RNS${ret.return_sn.slice(-9)}`
    }
    changeReturnStatus(this.state, this.push, ret, target)
    return ret
  }

  // --- what the shop received ----------------------------------------------------------

  stockHistory(shopId: number): { stock_history: SandboxState["stockHistory"]; price_history: SandboxState["priceHistory"] } {
    this.shop(shopId)
    return {
      stock_history: this.state.stockHistory.filter((e) => e.shop_id === shopId),
      price_history: this.state.priceHistory.filter((e) => e.shop_id === shopId),
    }
  }
}
