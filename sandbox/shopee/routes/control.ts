import { z } from "@medusajs/framework/zod"
import { json, parseControl as parse, type ControlRoute as KitControlRoute } from "../../kit/control"
import { ControlError } from "../../kit/errors"
import type { ShopeeSandboxCore } from "../core"
import { escrowDetail } from "../escrow"
import { orderDetailView, ORDER_OPTIONAL_FIELDS } from "../order-view"
import { ORDER_STATUSES, RETURN_STATUSES } from "../types"

/**
 * Shopee's part of the unsigned control API under /sandbox/: seed shops, listings and orders, move
 * them along, issue tokens, confirm an authorization. The kit adds calls, pushes, faults, the rate
 * limit and reset. JSON in, JSON out; bad input 400.
 */

type ControlRoute = KitControlRoute<ShopeeSandboxCore>

const id = z.coerce.number().int().nonnegative()
const money = z.number().nonnegative()

const shopInput = z.strictObject({
  shop_id: z.number().int().positive().max(4294967295).optional(),
  shop_name: z.string().min(1).optional(),
  region: z.string().length(2).optional(),
  currency: z.string().length(3).optional(),
  warehouses: z.array(z.string().min(1)).optional(),
})

const modelInput = z.strictObject({
  model_sku: z.string().min(1),
  model_name: z.string().optional(),
  tier_index: z.array(z.number().int().nonnegative()).optional(),
  price: money,
  stock: z.number().int().nonnegative(),
  reserved_stock: z.number().int().nonnegative().optional(),
  weight: z.number().positive().optional(),
})

const itemInput = z.strictObject({
  item_name: z.string().min(1),
  item_sku: z.string().optional(),
  description: z.string().optional(),
  weight: z.number().positive().optional(),
  price: money.optional(),
  stock: z.number().int().nonnegative().optional(),
  reserved_stock: z.number().int().nonnegative().optional(),
  tier_variation: z.array(z.strictObject({ name: z.string(), options: z.array(z.string()) })).optional(),
  models: z.array(modelInput).optional(),
  item_status: z.enum(["NORMAL", "UNLIST", "BANNED"]).optional(),
})

const seedInput = z.union([
  z.strictObject({ items: z.array(itemInput).min(1) }),
  z.strictObject({ demo: z.literal(true) }),
])

const orderInput = z.strictObject({
  count: z.number().int().min(1).max(1000).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  items: z
    .array(
      z.strictObject({
        sku: z.string().optional(),
        item_id: z.number().int().optional(),
        model_id: z.number().int().optional(),
        quantity: z.number().int().min(1),
      })
    )
    .min(1)
    .optional(),
  buyer: z.strictObject({ username: z.string().optional(), user_id: z.number().int().optional(), name: z.string().optional() }).optional(),
  create_time: z.number().int().nonnegative().optional(),
  payment_method: z.string().optional(),
  message_to_seller: z.string().optional(),
})

const advanceOrderInput = z.strictObject({ status: z.enum(ORDER_STATUSES).optional() })

const patchOrderInput = z.strictObject({
  update_time: z.number().int().nonnegative().optional(),
  create_time: z.number().int().nonnegative().optional(),
  pay_time: z.number().int().nonnegative().optional(),
  order_status: z.enum(ORDER_STATUSES).optional(),
  note: z.string().optional(),
  message_to_seller: z.string().optional(),
  actual_shipping_fee: money.optional(),
})

const adjustmentInput = z.strictObject({
  amount: z.number(),
  reason: z.string().optional(),
  date: z.number().int().nonnegative().optional(),
})

const returnInput = z.strictObject({
  items: z.array(z.strictObject({ item_id: z.number().int(), model_id: z.number().int(), amount: z.number().int().min(1) })).min(1).optional(),
  solution: z.enum(["RETURN_REFUND", "REFUND"]).optional(),
  reason: z.string().optional(),
  text_reason: z.string().optional(),
  status: z.enum(RETURN_STATUSES).optional(),
})

const advanceReturnInput = z.strictObject({ status: z.enum(RETURN_STATUSES).optional() })

const patchModelInput = z.strictObject({
  stock: z.number().int().nonnegative().optional(),
  reserved_stock: z.number().int().nonnegative().optional(),
  original_price: money.optional(),
})

const expireInput = z.strictObject({ refresh_token: z.boolean().optional() })

function num(raw: string): number {
  return parse(id, raw)
}

/** The full picture of an order for tests: every documented detail field plus its escrow. */
function orderSnapshot(core: ShopeeSandboxCore, orderSn: string): Record<string, unknown> {
  const order = core.order(orderSn)
  return {
    ...orderDetailView(order, ORDER_OPTIONAL_FIELDS),
    shop_id: order.shop_id,
    package_number: order.package_number,
    tracking_number: order.tracking_number,
    return_sn_list: order.return_sns,
    escrow: escrowDetail(order),
  }
}

export const SHOPEE_CONTROL_ROUTES: readonly ControlRoute[] = [
  {
    method: "POST",
    pattern: /^\/sandbox\/shops$/,
    handle: (req, core) => json({ shop: core.createShop(parse(shopInput, req.body)) }, 201),
  },
  { method: "GET", pattern: /^\/sandbox\/shops$/, handle: (_req, core) => json({ shops: [...core.state.shops.values()] }) },
  { method: "GET", pattern: /^\/sandbox\/shops\/([^/]+)$/, handle: (req, core) => json({ shop: core.shop(num(req.params[0])) }) },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/items$/,
    handle: (req, core) => {
      const input = parse(seedInput, req.body)
      const shopId = num(req.params[0])
      return json({ items: "demo" in input ? core.seedDemoCatalogue(shopId) : core.seedItems(shopId, input.items) }, 201)
    },
  },
  { method: "GET", pattern: /^\/sandbox\/shops\/([^/]+)\/items$/, handle: (req, core) => json({ items: core.listItems(num(req.params[0])) }) },
  {
    method: "PATCH",
    pattern: /^\/sandbox\/items\/([^/]+)\/models\/([^/]+)$/,
    handle: (req, core) => json({ item: core.patchModel(num(req.params[0]), num(req.params[1]), parse(patchModelInput, req.body)) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/orders$/,
    handle: (req, core) => {
      const orders = core.createOrders(num(req.params[0]), parse(orderInput, req.body))
      return json({ orders: orders.map((o) => orderSnapshot(core, o.order_sn)) }, 201)
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/shops\/([^/]+)\/orders$/,
    handle: (req, core) => {
      const shopId = num(req.params[0])
      core.shop(shopId)
      const orders = [...core.state.orders.values()].filter((o) => o.shop_id === shopId)
      return json({ orders: orders.map((o) => orderSnapshot(core, o.order_sn)) })
    },
  },
  { method: "GET", pattern: /^\/sandbox\/orders\/([^/]+)$/, handle: (req, core) => json({ order: orderSnapshot(core, req.params[0]) }) },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/advance$/,
    handle: (req, core) => {
      core.advanceOrder(req.params[0], parse(advanceOrderInput, req.body).status)
      return json({ order: orderSnapshot(core, req.params[0]) })
    },
  },
  {
    method: "PATCH",
    pattern: /^\/sandbox\/orders\/([^/]+)$/,
    handle: (req, core) => {
      core.patchOrder(req.params[0], parse(patchOrderInput, req.body))
      return json({ order: orderSnapshot(core, req.params[0]) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/escrow-adjustments$/,
    handle: (req, core) => {
      const adjustment = core.addEscrowAdjustment(req.params[0], parse(adjustmentInput, req.body))
      return json({ adjustment, escrow: escrowDetail(core.order(req.params[0])) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/returns$/,
    handle: (req, core) => json({ return: core.createReturn(req.params[0], parse(returnInput, req.body)) }, 201),
  },
  { method: "GET", pattern: /^\/sandbox\/returns\/([^/]+)$/, handle: (req, core) => json({ return: core.returnRequest(req.params[0]) }) },
  {
    method: "POST",
    pattern: /^\/sandbox\/returns\/([^/]+)\/advance$/,
    handle: (req, core) => json({ return: core.advanceReturn(req.params[0], parse(advanceReturnInput, req.body).status) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/expire-token$/,
    handle: (req, core) => {
      const input = parse(expireInput, req.body)
      return json({ expired: core.expireTokens(num(req.params[0]), input.refresh_token ?? false) })
    },
  },
  { method: "POST", pattern: /^\/sandbox\/shops\/([^/]+)\/tokens$/, handle: (req, core) => json(core.issueTokens(num(req.params[0])), 201) },
  { method: "GET", pattern: /^\/sandbox\/shops\/([^/]+)\/stock-history$/, handle: (req, core) => json(core.stockHistory(num(req.params[0]))) },
  {
    // The "Confirm Authorization" click: a single-use code, then back to the partner's redirect
    // with code and shop_id appended to whatever query the redirect already carries.
    method: "GET",
    pattern: /^\/sandbox\/oauth\/confirm$/,
    handle: (req, core) => {
      const shopId = num(req.query.get("shop_id") ?? "")
      const redirect = req.query.get("redirect") ?? ""
      let target: URL
      try {
        target = new URL(redirect)
      } catch {
        throw new ControlError(400, "redirect must be an absolute URL")
      }
      target.searchParams.set("code", core.issueAuthCode(shopId))
      target.searchParams.set("shop_id", String(shopId))
      return { status: 302, location: target.toString() }
    },
  },
]
