import crypto from "crypto"
import { z } from "@medusajs/framework/zod"
import { json, parseControl, type ControlRoute } from "../kit/control"
import { ControlError } from "../kit/errors"
import type { ApiRoute, SandboxPlatform } from "../kit/platform"
import { ORDER_STATUSES, type SandboxShop, type TiktokOrderStatus, type TiktokSandboxCore } from "./core"
import {
  alreadyApproved,
  alreadyCancelled,
  badAppKey,
  badSign,
  badTimestamp,
  cannotApprove,
  cannotApproveReceive,
  cannotRejectReceive,
  decisionNotMatch,
  expiredToken,
  invalidParams,
  invalidToken,
  notFound,
  returnNotFound,
  TiktokApiError,
  tooManyRequests,
  transferredToPlatform,
  unknownRejectReason,
} from "./errors"
import { ARBITRATION_STATUSES, RETURN_STATUSES, RETURN_TYPES, REFUNDED_STATUSES, type SandboxReturn, type TiktokReturnStatus } from "./returns"
import { ADJUSTMENT_TYPES, addAdjustment, orderTransactionsView, shopStatements, statementById, statementTransactions, statementView } from "./finance"
import { expectedRequestSign, sameHex } from "./signing"
import { FULFILLMENT_ROUTES } from "./fulfillment"
import type { TiktokAuth, TiktokPrincipal } from "./principal"
import { cancellationView, orderView, productView, returnView, shopView } from "./views"

/** Who calls: the token host (app key and secret), a seller (token), a shop (token and cipher), or a page. */
export type { TiktokAuth, TiktokPrincipal }
type Route = ApiRoute<TiktokSandboxCore, TiktokPrincipal, TiktokAuth>

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string)

/** The shop id inside a sandbox cipher (`GCP_` + base64url("<shop id>:<salt>")), for faults and the rate limit. */
export function shopIdOfCipher(cipher: string | null): string | null {
  if (!cipher?.startsWith("GCP_")) return null
  const decoded = Buffer.from(cipher.slice(4), "base64url").toString("utf8")
  const id = decoded.split(":")[0]
  return /^\d+$/.test(id) ? id : null
}

function tokenAnswer(core: TiktokSandboxCore, openId: string, pair: { access_token: string; refresh_token: string }) {
  const seller = core.seller(openId)
  const access = core.state.tokens.access.get(pair.access_token)
  const refresh = core.state.tokens.refresh.get(pair.refresh_token)
  return {
    kind: "json" as const,
    fields: {
      data: {
        access_token: pair.access_token,
        // Absolute Unix times, as the docs say (not durations).
        access_token_expire_in: Math.floor((access?.expires_at_ms ?? 0) / 1000),
        refresh_token: pair.refresh_token,
        refresh_token_expire_in: Math.floor((refresh?.expires_at_ms ?? 0) / 1000),
        open_id: seller.open_id,
        seller_name: seller.name,
        seller_base_region: seller.base_region,
        user_type: 0,
        granted_scopes: ["seller.authorization.info", "seller.order.info", "seller.product.basic"],
      },
    },
  }
}

function intParam(query: URLSearchParams, name: string, min: number, max: number, required: boolean): number | undefined {
  const raw = query.get(name)
  if (raw === null || raw === "") {
    if (required) throw invalidParams(`${name} is required`)
    return undefined
  }
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw invalidParams(`${name} must be an integer in [${min}, ${max}]`)
  return n
}

function bodyTime(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw invalidParams(`${name} must be a Unix time in seconds`)
  return v
}

/** Page tokens are opaque: the offset and the filter they belong to. */
function pageToken(offset: number, filter: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filter })).toString("base64url")
}
function readPageToken(token: string | null, filter: string): number {
  if (!token) return 0
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: unknown; f: unknown }
    if (typeof parsed.o === "number" && parsed.f === filter) return parsed.o
  } catch {
    // falls through
  }
  throw invalidParams("page_token is invalid or belongs to another query")
}

/** What the searches sort and filter by. */
type Timed = { id: string; create_time: number; update_time: number }

/**
 * The searches' common query: `update_time_*` / `create_time_*` in the body, `sort_field` (create_time or
 * update_time), `sort_order` and `page_size` in the query, opaque `page_token`s bound to the query they came from.
 */
function searchPage<T>(
  req: { query: URLSearchParams; body: Record<string, unknown> },
  rows: T[],
  timed: (row: T) => Timed,
  filters: unknown,
  paging: { min: number; max: number; required: boolean; defaultSize: number; defaultOrder: "ASC" | "DESC" }
): { page: T[]; total: number; next: string } {
  const pageSize = intParam(req.query, "page_size", paging.min, paging.max, paging.required) ?? paging.defaultSize
  const sortField = req.query.get("sort_field") ?? "create_time"
  if (sortField !== "create_time" && sortField !== "update_time") throw invalidParams("sort_field must be create_time or update_time")
  const sortOrder = req.query.get("sort_order") ?? paging.defaultOrder
  if (sortOrder !== "ASC" && sortOrder !== "DESC") throw invalidParams("sort_order must be ASC or DESC")
  const f = {
    uge: bodyTime(req.body, "update_time_ge"),
    ult: bodyTime(req.body, "update_time_lt"),
    cge: bodyTime(req.body, "create_time_ge"),
    clt: bodyTime(req.body, "create_time_lt"),
  }
  const filter = crypto.createHash("sha1").update(JSON.stringify([filters, f, sortField, sortOrder])).digest("hex").slice(0, 12)
  const offset = readPageToken(req.query.get("page_token"), filter)
  const matching = rows
    .filter((row) => {
      const t = timed(row)
      return (
        (f.uge === undefined || t.update_time >= f.uge) &&
        (f.ult === undefined || t.update_time < f.ult) &&
        (f.cge === undefined || t.create_time >= f.cge) &&
        (f.clt === undefined || t.create_time < f.clt)
      )
    })
    .sort((x, y) => {
      const a = timed(x)
      const b = timed(y)
      const key = sortField === "update_time" ? a.update_time - b.update_time : a.create_time - b.create_time
      const order = key !== 0 ? key : a.id.localeCompare(b.id)
      return sortOrder === "ASC" ? order : -order
    })
  const page = matching.slice(offset, offset + pageSize)
  return { page, total: matching.length, next: offset + pageSize < matching.length ? pageToken(offset + pageSize, filter) : "" }
}

const routes: Route[] = [
  {
    method: "GET",
    path: "/open/authorize",
    type: "page",
    handle(req, core) {
      const serviceId = req.query.get("service_id")
      if (serviceId !== core.state.config.serviceId) throw invalidParams("service_id is unknown")
      const state = req.query.get("state") ?? ""
      const rows = [...core.state.sellers.values()]
        .map((seller) => {
          const href = `/sandbox/oauth/confirm?open_id=${encodeURIComponent(seller.open_id)}&state=${encodeURIComponent(state)}`
          const shops = seller.shop_ids.map((id) => core.state.shops.get(id)).map((s) => `${escapeHtml(s?.name ?? "")} (${s?.region})`).join(", ")
          return `<li><strong>${escapeHtml(seller.name)}</strong>: ${shops} <a class="confirm" href="${escapeHtml(href)}">Authorize</a></li>`
        })
        .join("\n")
      const deny = `/sandbox/oauth/confirm?deny=1&state=${encodeURIComponent(state)}`
      const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>TikTok Shop sandbox - authorize</title></head>
<body>
<h1>Authorize app (service ${escapeHtml(serviceId)})</h1>
<p>One authorization covers every shop of the seller. You will be sent back to the app's registered redirect URL with <code>code</code> and <code>state</code>.</p>
<ul>
${rows || "<li>No sandbox seller yet: POST /sandbox/sellers first.</li>"}
</ul>
<p><a class="deny" href="${escapeHtml(deny)}">Cancel</a></p>
</body></html>`
      return { kind: "raw", contentType: "text/html; charset=utf-8", body: Buffer.from(html, "utf8") }
    },
  },
  {
    method: "GET",
    path: "/api/v2/token/get",
    type: "token",
    handle(req, core) {
      if (req.query.get("grant_type") !== "authorized_code") throw invalidParams("grant_type must be authorized_code")
      const code = req.query.get("auth_code")
      if (!code) throw invalidParams("auth_code is required")
      const record = core.state.tokens.codes.get(code)
      if (!record || record.used || record.expires_at_ms <= core.state.nowMs()) {
        throw new TiktokApiError(400, 36004004, "auth_code is invalid, expired or already used")
      }
      record.used = true
      return tokenAnswer(core, record.shop_id, core.issueTokens(record.shop_id))
    },
  },
  {
    method: "GET",
    path: "/api/v2/token/refresh",
    type: "token",
    handle(req, core) {
      if (req.query.get("grant_type") !== "refresh_token") throw invalidParams("grant_type must be refresh_token")
      const token = req.query.get("refresh_token")
      if (!token) throw invalidParams("refresh_token is required")
      const record = core.state.tokens.refresh.get(token)
      if (!record || record.used || record.expires_at_ms <= core.state.nowMs()) {
        // A refused refresh token is a token error (105xxx): the seller must authorize again.
        throw new TiktokApiError(401, 105001, "refresh_token is invalid, expired or already used")
      }
      core.state.refreshCount += 1
      core.state.refreshes.set(record.shop_id, (core.state.refreshes.get(record.shop_id) ?? 0) + 1)
      // The sandbox rotates: the refresh token is spent and a new pair issued.
      return tokenAnswer(core, record.shop_id, core.state.tokens.rotate(record.shop_id, token))
    },
  },
  {
    method: "GET",
    path: "/authorization/202309/shops",
    type: "seller",
    handle(req, core) {
      const seller = core.seller(req.shop?.open_id ?? "")
      const shops = seller.shop_ids.map((id) => core.state.shops.get(id)).filter((s): s is SandboxShop => !!s)
      return { kind: "json", fields: { data: { shops: shops.map(shopView) } } }
    },
  },
  {
    method: "POST",
    path: "/order/202309/orders/search",
    type: "shop",
    handle(req, core) {
      const shop = req.shop?.shop as SandboxShop
      const status = req.body.order_status
      if (status !== undefined && !ORDER_STATUSES.includes(status as TiktokOrderStatus)) throw invalidParams("order_status is unknown")
      const rows = [...core.state.orders.values()].filter((o) => o.shop_id === shop.id && (status === undefined || o.status === status))
      const { page, total, next } = searchPage(req, rows, (o) => o, [shop.id, status], { min: 1, max: 100, required: true, defaultSize: 10, defaultOrder: "DESC" })
      return { kind: "json", fields: { data: { orders: page.map((o) => orderView(o, core.state.packages)), total_count: total, next_page_token: next } } }
    },
  },
  {
    method: "GET",
    path: "/order/202507/orders",
    type: "shop",
    handle(req, core) {
      const shop = req.shop?.shop as SandboxShop
      const raw = req.query.get("ids")
      if (!raw) throw invalidParams("ids is required")
      const ids = raw.split(",").map((id) => id.trim()).filter(Boolean)
      if (ids.length === 0 || ids.length > 50) throw invalidParams("ids must list 1 to 50 order ids")
      const orders = ids.map((id) => core.state.orders.get(id)).filter((o) => o && o.shop_id === shop.id)
      return { kind: "json", fields: { data: { orders: orders.map((o) => orderView(o!, core.state.packages)) } } }
    },
  },
  {
    method: "POST",
    path: "/product/202309/products/search",
    type: "shop",
    handle(req, core) {
      const shop = req.shop?.shop as SandboxShop
      const pageSize = intParam(req.query, "page_size", 1, 100, true) as number
      const status = typeof req.body.status === "string" ? req.body.status : undefined
      const filter = `${shop.id}:${status ?? ""}`
      const offset = readPageToken(req.query.get("page_token"), filter)
      const products = [...core.state.products.values()].filter((p) => p.shop_id === shop.id && (!status || p.status === status))
      const page = products.slice(offset, offset + pageSize)
      const next = offset + pageSize < products.length ? pageToken(offset + pageSize, filter) : ""
      return { kind: "json", fields: { data: { products: page.map((p) => productView(p, shop.currency)), total_count: products.length, next_page_token: next } } }
    },
  },
]

/** `/product/202309/products/{product_id}/inventory/update`: a path parameter, served by a prefix route. */
const INVENTORY_PATH = /^\/product\/202309\/products\/([^/]+)\/inventory\/update$/

const inventoryInput = z.object({
  skus: z
    .array(
      z.object({
        id: z.string().min(1),
        inventory: z.array(z.object({ warehouse_id: z.string().min(1).optional(), quantity: z.number().int() })).min(1),
      })
    )
    .min(1),
})

/** Updates stock; per-SKU failures come back with code 0 and `data.errors[]`. */
export function updateInventory(core: TiktokSandboxCore, shop: SandboxShop, productId: string, body: unknown) {
  const product = core.state.products.get(productId)
  if (!product || product.shop_id !== shop.id) throw notFound(`Product ${productId} not found`)
  const parsed = inventoryInput.safeParse(body)
  if (!parsed.success) throw invalidParams(parsed.error.issues[0].message)
  const receivedAt = core.state.nowMs()
  const errors: Record<string, unknown>[] = []
  for (const update of parsed.data.skus) {
    const sku = product.skus.find((s) => s.id === update.id)
    if (!sku) {
      errors.push({ code: 12052048, message: "The SKU does not belong to this product", detail: { sku_id: update.id } })
      continue
    }
    const bad = update.inventory.find(
      (i) => i.quantity < 0 || i.quantity > 99999 || (i.warehouse_id !== undefined && !sku.inventory.some((w) => w.warehouse_id === i.warehouse_id))
    )
    if (bad) {
      errors.push({ code: 17019004, message: "Invalid warehouse or quantity", detail: { sku_id: update.id, warehouse_id: bad.warehouse_id } })
      continue
    }
    for (const i of update.inventory) {
      const target = i.warehouse_id ? sku.inventory.find((w) => w.warehouse_id === i.warehouse_id) : sku.inventory[0]
      if (!target) continue
      target.quantity = i.quantity
      core.state.inventoryUpdates.push({
        shop_id: shop.id,
        product_id: product.id,
        sku_id: sku.id,
        seller_sku: sku.seller_sku,
        warehouse_id: target.warehouse_id,
        quantity: i.quantity,
        received_at: receivedAt,
      })
    }
  }
  return { kind: "json" as const, fields: { data: errors.length ? { errors } : {} } }
}

routes.push({
  method: "POST",
  path: "/product/202309/products/{product_id}/inventory/update",
  pattern: INVENTORY_PATH,
  type: "shop",
  handle: (req, core) => updateInventory(core, req.shop?.shop as SandboxShop, req.params?.[0] ?? "", req.body),
})

const PRICE_PATH = /^\/product\/202309\/products\/([^/]+)\/prices\/update$/
const priceInput = z.object({
  skus: z
    .array(z.object({ id: z.string().min(1), price: z.object({ amount: z.string().regex(/^\d+(\.\d+)?$/), currency: z.string().length(3) }) }))
    .min(1),
})

routes.push({
  method: "POST",
  path: "/product/202309/products/{product_id}/prices/update",
  pattern: PRICE_PATH,
  type: "shop",
  handle: (req, core) => {
    const shop = req.shop?.shop as SandboxShop
    const product = core.state.products.get(req.params?.[0] ?? "")
    if (!product || product.shop_id !== shop.id) throw notFound(`Product ${req.params?.[0]} not found`)
    const parsed = priceInput.safeParse(req.body)
    if (!parsed.success) throw invalidParams(parsed.error.issues[0].message)
    const errors: Record<string, unknown>[] = []
    for (const update of parsed.data.skus) {
      const sku = product.skus.find((s) => s.id === update.id)
      if (!sku) errors.push({ code: 12052048, message: "The SKU does not belong to this product", detail: { sku_id: update.id } })
      else if (update.price.currency !== shop.currency) errors.push({ code: 12019001, message: `The shop sells in ${shop.currency}`, detail: { sku_id: update.id } })
      else sku.price = update.price.amount
    }
    return { kind: "json", fields: { data: errors.length ? { errors } : {} } }
  },
})

const stringList = (body: Record<string, unknown>, name: string, allowed?: readonly string[]): string[] | undefined => {
  const v = body[name]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw invalidParams(`${name} must be a list of strings`)
  if (allowed) for (const x of v as string[]) if (!allowed.includes(x)) throw invalidParams(`${name}: unknown value ${x}`)
  return v as string[]
}

/** "Search Returns": filters in the body, `sort_field` / `sort_order` / `page_size` (10-50) / `page_token` in the query. */
routes.push({
  method: "POST",
  path: "/return_refund/202309/returns/search",
  type: "shop",
  handle(req, core) {
    const shop = req.shop?.shop as SandboxShop
    const f = {
      return_ids: stringList(req.body, "return_ids"),
      order_ids: stringList(req.body, "order_ids"),
      return_types: stringList(req.body, "return_types", RETURN_TYPES),
      return_status: stringList(req.body, "return_status", RETURN_STATUSES),
      arbitration_status: stringList(req.body, "arbitration_status", ARBITRATION_STATUSES),
    }
    const rows = [...core.state.returns.values()].filter(
      (r) =>
        r.shop_id === shop.id &&
        (!f.return_ids || f.return_ids.includes(r.id)) &&
        (!f.order_ids || f.order_ids.includes(r.order_id)) &&
        (!f.return_types || f.return_types.includes(r.return_type)) &&
        (!f.return_status || f.return_status.includes(r.status)) &&
        (!f.arbitration_status || (r.arbitration_status !== null && f.arbitration_status.includes(r.arbitration_status)))
    )
    const { page, total, next } = searchPage(req, rows, (r) => r, [shop.id, f], { min: 10, max: 50, required: false, defaultSize: 10, defaultOrder: "ASC" })
    return {
      kind: "json",
      fields: { data: { return_orders: page.map((r) => returnView(r, core.order(r.order_id))), total_count: total, next_page_token: next } },
    }
  },
})

const CANCEL_STATUSES = ["CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_COMPLETE"]

/** "Search Cancellations": the orders' cancellations, filtered and paged as returns are. */
routes.push({
  method: "POST",
  path: "/return_refund/202309/cancellations/search",
  type: "shop",
  handle(req, core) {
    const shop = req.shop?.shop as SandboxShop
    const f = {
      cancel_ids: stringList(req.body, "cancel_ids"),
      order_ids: stringList(req.body, "order_ids"),
      cancel_types: stringList(req.body, "cancel_types", ["CANCEL", "BUYER_CANCEL"]),
      cancel_status: stringList(req.body, "cancel_status", CANCEL_STATUSES),
    }
    const rows = [...core.state.orders.values()].filter((o) => {
      const c = o.cancellation
      return (
        o.shop_id === shop.id &&
        !!c &&
        (!f.cancel_ids || f.cancel_ids.includes(c.id)) &&
        (!f.order_ids || f.order_ids.includes(o.id)) &&
        (!f.cancel_types || f.cancel_types.includes(c.cancel_type)) &&
        (!f.cancel_status || f.cancel_status.includes(c.status))
      )
    })
    const { page, total, next } = searchPage(req, rows, (o) => o.cancellation!, [shop.id, f], { min: 1, max: 50, required: false, defaultSize: 10, defaultOrder: "ASC" })
    return { kind: "json", fields: { data: { cancellations: page.map(cancellationView), total_count: total, next_page_token: next } } }
  },
})

function shopReturn(core: TiktokSandboxCore, shop: SandboxShop, id: string): SandboxReturn {
  const ret = core.state.returns.get(id)
  if (!ret || ret.shop_id !== shop.id) throw returnNotFound(id)
  if (ret.status === "RETURN_OR_REFUND_REQUEST_CANCEL" || ret.status === "REPLACEMENT_REQUEST_CANCEL") throw alreadyCancelled()
  if (ret.arbitration_status === "IN_PROGRESS") throw transferredToPlatform()
  return ret
}

/** The seller's decisions ("Approve Return"): which request each answers and where it takes the return. */
const APPROVALS: Record<string, { type: SandboxReturn["return_type"]; from: TiktokReturnStatus; to: TiktokReturnStatus }> = {
  APPROVE_REFUND: { type: "REFUND", from: "RETURN_OR_REFUND_REQUEST_PENDING", to: "RETURN_OR_REFUND_REQUEST_SUCCESS" },
  APPROVE_RETURN: { type: "RETURN_AND_REFUND", from: "RETURN_OR_REFUND_REQUEST_PENDING", to: "AWAITING_BUYER_SHIP" },
  APPROVE_RECEIVED_PACKAGE: { type: "RETURN_AND_REFUND", from: "BUYER_SHIPPED_ITEM", to: "RETURN_OR_REFUND_REQUEST_SUCCESS" },
  APPROVE_REPLACEMENT: { type: "REPLACEMENT", from: "REPLACEMENT_REQUEST_PENDING", to: "REPLACEMENT_REQUEST_COMPLETE" },
  ISSUE_REPLACEMENT_REFUND: { type: "REPLACEMENT", from: "REPLACEMENT_REQUEST_PENDING", to: "REPLACEMENT_REQUEST_REFUND_SUCCESS" },
}
/** "Reject Return": the decision for each request. */
const REJECTIONS: Record<string, { type: SandboxReturn["return_type"]; from: TiktokReturnStatus; to: TiktokReturnStatus }> = {
  REJECT_REFUND: { type: "REFUND", from: "RETURN_OR_REFUND_REQUEST_PENDING", to: "REFUND_OR_RETURN_REQUEST_REJECT" },
  REJECT_RETURN: { type: "RETURN_AND_REFUND", from: "RETURN_OR_REFUND_REQUEST_PENDING", to: "REFUND_OR_RETURN_REQUEST_REJECT" },
  REJECT_RECEIVED_PACKAGE: { type: "RETURN_AND_REFUND", from: "BUYER_SHIPPED_ITEM", to: "REJECT_RECEIVE_PACKAGE" },
  REJECT_REPLACEMENT: { type: "REPLACEMENT", from: "REPLACEMENT_REQUEST_PENDING", to: "REPLACEMENT_REQUEST_REJECT" },
}

routes.push({
  method: "POST",
  path: "/return_refund/202309/returns/{return_id}/approve",
  pattern: /^\/return_refund\/202309\/returns\/([^/]+)\/approve$/,
  type: "shop",
  handle(req, core) {
    const ret = shopReturn(core, req.shop?.shop as SandboxShop, req.params?.[0] ?? "")
    const decision = req.body.decision
    if (typeof decision !== "string" || !decision) throw invalidParams("decision is required")
    if (decision === "OFFER_PARTIAL_REFUND") throw new TiktokApiError(400, 25011032, "ReverseInvalidStatusPartialRefund: the sandbox does not offer partial refunds")
    const rule = APPROVALS[decision]
    if (!rule) throw invalidParams(`decision ${decision} is unknown`)
    if (rule.type !== ret.return_type) throw decisionNotMatch(decision, ret.return_type)
    if (ret.status !== rule.from) throw decision === "APPROVE_RECEIVED_PACKAGE" ? cannotApproveReceive(ret.status) : cannotApprove(ret.status)
    // A returnless refund: the buyer keeps the goods and is refunded at once.
    const to = decision === "APPROVE_RETURN" && req.body.buyer_keep_item === true ? "RETURN_OR_REFUND_REQUEST_SUCCESS" : rule.to
    core.returns.move(ret, to)
    return { kind: "json", fields: { data: {} } }
  },
})

routes.push({
  method: "POST",
  path: "/return_refund/202309/returns/{return_id}/reject",
  pattern: /^\/return_refund\/202309\/returns\/([^/]+)\/reject$/,
  type: "shop",
  handle(req, core) {
    const ret = shopReturn(core, req.shop?.shop as SandboxShop, req.params?.[0] ?? "")
    const { decision, reject_reason: reason, comment } = req.body
    if (typeof decision !== "string" || !decision) throw invalidParams("decision is required")
    if (typeof reason !== "string" || !reason) throw invalidParams("reject_reason is required")
    // Reject reasons are ids such as seller_reject_apply_package_has_not_exceeded_estimated_delivery_time.
    if (!/^seller_reject_[a-z0-9_]+$/.test(reason)) throw unknownRejectReason()
    if (comment !== undefined && typeof comment !== "string") throw invalidParams("comment must be a string")
    const rule = REJECTIONS[decision]
    if (!rule) throw invalidParams(`decision ${decision} is unknown`)
    if (rule.type !== ret.return_type) throw decisionNotMatch(decision, ret.return_type)
    if (REFUNDED_STATUSES.includes(ret.status) || ret.status === "AWAITING_BUYER_SHIP") throw alreadyApproved()
    if (ret.status !== rule.from) throw decision === "REJECT_RECEIVED_PACKAGE" ? cannotRejectReceive(ret.status) : cannotApprove(ret.status)
    ret.rejections.push({ decision, reject_reason: reason, comment: typeof comment === "string" ? comment : null })
    core.returns.move(ret, rule.to)
    return { kind: "json", fields: { data: {} } }
  },
})

routes.push(...FULFILLMENT_ROUTES)

/** A finance list's paging: `sort_field` (required, one value), `sort_order` (default ASC), `page_size` (1-100, default 20). */
function financePage<T>(query: URLSearchParams, rows: T[], sortField: string, key: (row: T) => number, filter: string): { page: T[]; next: string } {
  if (query.get("sort_field") !== sortField) throw invalidParams(`sort_field is required and must be ${sortField}`)
  const order = query.get("sort_order") ?? "ASC"
  if (order !== "ASC" && order !== "DESC") throw invalidParams("sort_order must be ASC or DESC")
  const pageSize = intParam(query, "page_size", 1, 100, false) ?? 20
  const bound = `${filter}:${order}:${pageSize}`
  const offset = readPageToken(query.get("page_token"), bound)
  const sorted = [...rows].sort((a, b) => (order === "ASC" ? key(a) - key(b) : key(b) - key(a)))
  return { page: sorted.slice(offset, offset + pageSize), next: offset + pageSize < sorted.length ? pageToken(offset + pageSize, bound) : "" }
}

routes.push({
  method: "GET",
  path: "/finance/202501/orders/{order_id}/statement_transactions",
  pattern: /^\/finance\/202501\/orders\/([^/]+)\/statement_transactions$/,
  type: "shop",
  handle(req, core) {
    const shop = req.shop?.shop as SandboxShop
    const order = core.state.orders.get(req.params?.[0] ?? "")
    // Orders that are not settled (or not the shop's) do not appear: no transactions, no amounts.
    if (!order || order.shop_id !== shop.id) return { kind: "json", fields: { data: { order_id: req.params?.[0] ?? "", sku_transactions: [], total_count: 0 } } }
    return { kind: "json", fields: { data: orderTransactionsView(core.state, order) } }
  },
})

routes.push({
  method: "GET",
  path: "/finance/202309/statements",
  type: "shop",
  handle(req, core) {
    const shop = req.shop?.shop as SandboxShop
    const ge = intParam(req.query, "statement_time_ge", 0, 253402300799, false)
    const lt = intParam(req.query, "statement_time_lt", 0, 253402300799, false) ?? core.state.nowSec() + 1
    const status = req.query.get("payment_status")
    if (status !== null && !["PAID", "FAILED", "PROCESSING"].includes(status)) throw invalidParams("payment_status must be PAID, FAILED or PROCESSING")
    const rows = shopStatements(core.state, shop).filter((s) => (ge === undefined || s.statement_time >= ge) && s.statement_time < lt && (status === null || status === "PROCESSING"))
    const { page, next } = financePage(req.query, rows, "statement_time", (s) => s.statement_time, `${shop.id}:${ge}:${lt}:${status}`)
    return { kind: "json", fields: { data: { statements: page.map((s) => statementView(core.state, s, shop.currency)), next_page_token: next } } }
  },
})

routes.push({
  method: "GET",
  path: "/finance/202501/statements/{statement_id}/statement_transactions",
  pattern: /^\/finance\/202501\/statements\/([^/]+)\/statement_transactions$/,
  type: "shop",
  handle(req, core) {
    const shop = req.shop?.shop as SandboxShop
    const statement = statementById(core.state, req.params?.[0] ?? "")
    if (!statement || statement.shop_id !== shop.id) throw notFound(`Statement ${req.params?.[0]} not found`)
    const rows = statementTransactions(core.state, statement)
    const { page, next } = financePage(req.query, rows, "order_create_time", (t) => t.order_create_time, statement.id)
    return {
      kind: "json",
      fields: {
        data: {
          ...statementView(core.state, statement, shop.currency),
          status: "SETTLED",
          create_time: statement.statement_time,
          total_count: rows.length,
          transactions: page,
          next_page_token: next,
        },
      },
    }
  },
})

/** A return for the control API: as the API prints it, with what the seller said when rejecting. */
const returnControlView = (core: TiktokSandboxCore, ret: SandboxReturn) => ({
  return: returnView(ret, core.order(ret.order_id)),
  rejections: ret.rejections,
})

const control: ControlRoute<TiktokSandboxCore>[] = [
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers$/,
    handle: (req, core) => {
      const input = parseControl(
        z.strictObject({
          name: z.string().optional(),
          base_region: z.string().length(2).optional(),
          shops: z.array(z.strictObject({ id: z.string().regex(/^\d+$/).optional(), name: z.string().optional(), region: z.string().length(2), currency: z.string().length(3) })).min(1),
        }),
        req.body
      )
      const seller = core.createSeller(input)
      return json({ seller, shops: seller.shop_ids.map((id) => core.state.shops.get(id)) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/app$/,
    handle: (req, core) => {
      const input = parseControl(z.strictObject({ redirect_url: z.url() }), req.body)
      core.state.redirectUrl = input.redirect_url
      return json({ redirect_url: core.state.redirectUrl })
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/oauth\/confirm$/,
    handle: (req, core) => {
      const redirect = core.state.redirectUrl
      if (!redirect) throw new ControlError(409, "No redirect URL registered: POST /sandbox/app first")
      const url = new URL(redirect)
      const state = req.query.get("state")
      if (state) url.searchParams.set("state", state)
      if (req.query.get("deny")) {
        url.searchParams.set("error", "auth_denied")
        return { status: 302, location: url.toString() }
      }
      const seller = core.seller(req.query.get("open_id") ?? "")
      url.searchParams.set("code", core.state.tokens.issueCode(seller.open_id))
      return { status: 302, location: url.toString() }
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/([^/]+)\/tokens$/,
    handle: (req, core) => {
      const seller = core.seller(req.params[0])
      return json(core.issueTokens(seller.open_id), 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/([^/]+)\/expire-tokens$/,
    handle: (req, core) => json({ expired: core.state.tokens.expire(core.seller(req.params[0]).open_id) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/([^/]+)\/deauthorize$/,
    handle: (req, core) => {
      core.deauthorize(req.params[0])
      return json({ ok: true })
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/shops\/([^/]+)$/,
    handle: (req, core) => json({ shop: core.shop(req.params[0]) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/products$/,
    handle: (req, core) => {
      const input = parseControl(
        z.strictObject({
          title: z.string().min(1),
          skus: z.array(z.strictObject({ seller_sku: z.string().min(1), name: z.string().optional(), price: z.string().regex(/^\d+(\.\d+)?$/), stock: z.number().int().min(0).optional(), warehouse_ids: z.array(z.string()).min(1).optional() })).min(1),
        }),
        req.body
      )
      return json({ product: core.createProduct(req.params[0], input) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/orders$/,
    handle: (req, core) => {
      const input = parseControl(
        z.strictObject({
          status: z.enum(ORDER_STATUSES as [TiktokOrderStatus, ...TiktokOrderStatus[]]).optional(),
          commerce_platform: z.enum(["TIKTOK_SHOP", "TOKOPEDIA"]).optional(),
          shipping_fee: z.string().regex(/^\d+(\.\d+)?$/).optional(),
          shipping_type: z.enum(["TIKTOK", "SELLER"]).optional(),
          lines: z.array(z.strictObject({ sku_id: z.string(), quantity: z.number().int().min(1), seller_discount: z.string().optional(), platform_discount: z.string().optional() })).min(1),
        }),
        req.body
      )
      return json({ order: orderView(core.createOrder(req.params[0], input), core.state.packages) }, 201)
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/orders\/([^/]+)$/,
    handle: (req, core) => json({ order: orderView(core.order(req.params[0]), core.state.packages) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/tracking\/withhold$/,
    handle: (req, core) => {
      // The next `calls` packages arranged get no tracking number until released or picked up (a slow 3PL).
      const input = parseControl(z.strictObject({ calls: z.number().int().min(0) }), req.body)
      core.state.withholdTracking = input.calls
      return json({ withhold_tracking: core.state.withholdTracking })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/release-tracking$/,
    handle: (req, core) => json({ order: orderView(core.releaseTracking(req.params[0]), core.state.packages) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/advance$/,
    handle: (req, core) => {
      const input = parseControl(z.strictObject({ to: z.enum(ORDER_STATUSES as [TiktokOrderStatus, ...TiktokOrderStatus[]]).optional() }), req.body ?? {})
      const order = core.order(req.params[0])
      if (core.orders.isTerminal(order.status)) throw new ControlError(409, `Order ${order.id} is ${order.status}: no next status`)
      if (!core.orders.advance(order, input.to)) throw new ControlError(409, `Order ${order.id} is ${order.status}: no next status`)
      return json({ order: orderView(order, core.state.packages) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/packages\/([^/]+)\/advance$/,
    handle: (req, core) => {
      // The carrier moves one package on (a split or combined one on its own; an order's own package moves the
      // order); its orders follow as TikTok derives their status, with their type 1 pushes.
      const input = parseControl(z.strictObject({ to: z.enum(["PROCESSING", "FULFILLING", "COMPLETED"]) }), req.body)
      const orders = core.advancePackage(req.params[0], input.to)
      return json({ orders: orders.map((o) => orderView(o, core.state.packages)) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/returns$/,
    handle: (req, core) => {
      // The buyer asks for a return (a type 12 webhook follows); created directly in `status` when given.
      const input = parseControl(
        z.strictObject({
          type: z.enum(RETURN_TYPES).optional(),
          unit_ids: z.array(z.string()).optional(),
          status: z.enum(RETURN_STATUSES).optional(),
          arbitration_status: z.enum(ARBITRATION_STATUSES).nullable().optional(),
        }),
        req.body ?? {}
      )
      const ret = core.createReturn(req.params[0], input)
      return json(returnControlView(core, ret), 201)
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/returns\/([^/]+)$/,
    handle: (req, core) => json(returnControlView(core, core.returns.get(req.params[0]))),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/returns\/([^/]+)\/advance$/,
    handle: (req, core) => {
      // Buyer, carrier or platform moves the return (a type 12 webhook follows); `to` omitted: the natural next step.
      const input = parseControl(
        z.strictObject({ to: z.enum(RETURN_STATUSES).optional(), arbitration_status: z.enum(ARBITRATION_STATUSES).nullable().optional() }),
        req.body ?? {}
      )
      const ret = core.returns.get(req.params[0])
      const to = input.to ?? core.returns.lifecycle(ret).next(ret.status)
      if (!to && input.arbitration_status === undefined) throw new ControlError(409, `Return ${ret.id} is ${ret.status}: no next status`)
      core.returns.move(ret, to ?? ret.status, input.arbitration_status)
      return json(returnControlView(core, ret))
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/buyer-cancel$/,
    handle: (req, core) => {
      // The buyer asks to cancel (type 11 follows); `settle` answers a pending request: accept or withdraw.
      const input = parseControl(z.strictObject({ settle: z.enum(["accept", "withdraw"]).optional() }), req.body ?? {})
      if (input.settle) return json({ order: orderView(core.settleBuyerCancel(req.params[0], input.settle), core.state.packages) })
      core.requestBuyerCancel(req.params[0])
      return json({ order: orderView(core.order(req.params[0]), core.state.packages) }, 201)
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/orders\/([^/]+)\/settlement$/,
    handle: (req, core) => {
      // The order's settlement as "Get Transactions by Order" prints it, with the adjustments made since.
      const order = core.order(req.params[0])
      return json({ settlement: orderTransactionsView(core.state, order), adjustments: core.state.adjustments.filter((a) => a.order_id === order.id) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/adjustments$/,
    handle: (req, core) => {
      // The platform adjusts a settled order (a shipping fee correction, a penalty...): in today's statement.
      const input = parseControl(z.strictObject({ amount: z.string().regex(/^-?\d+(\.\d+)?$/), type: z.enum(ADJUSTMENT_TYPES).optional() }), req.body)
      const order = core.order(req.params[0])
      if (order.status !== "COMPLETED" || order.settle_time === null) throw new ControlError(409, `Order ${order.id} is ${order.status}: not settled, nothing to adjust`)
      return json({ adjustment: addAdjustment(core.state, order, { amount: input.amount, type: input.type ?? "OTHER_ADJUSTMENT" }) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/pushes$/,
    handle: (req, core) => {
      // Any webhook type, e.g. 4 (package update), 7 (authorization expiring), 11, 12 or an unknown one.
      const input = parseControl(z.strictObject({ type: z.number().int().min(1), data: z.record(z.string(), z.unknown()) }), req.body)
      core.shop(req.params[0])
      core.push.send(input.type, req.params[0], input.data)
      return json({ ok: true }, 202)
    },
  },
]

export const TIKTOK_SHOP_PLATFORM: SandboxPlatform<TiktokSandboxCore, TiktokPrincipal, TiktokAuth> = {
  id: "tiktok-shop",
  title: "TikTok Shop Open API",
  apiPrefix: "/order/",
  extraApiPrefixes: ["/authorization/", "/product/", "/api/v2/token/", "/open/", "/return_refund/", "/finance/", "/fulfillment/"],
  routes,
  gateway: {
    // The checks in the order the docs give them: app key, timestamp, signature, token, shop cipher.
    authenticate: (core, route, path, query, _body, raw) => {
      const { appKey, appSecret } = core.state.config
      if (route.type === "page") return null
      if (query.get("app_key") !== appKey) throw badAppKey()
      if (route.type === "token") {
        if (query.get("app_secret") !== appSecret) throw badAppKey()
        return null
      }
      const timestamp = Number(query.get("timestamp"))
      const now = core.state.nowSec()
      // Accepted from 5 minutes before now to 30 seconds after.
      if (!Number.isInteger(timestamp) || timestamp < now - 300 || timestamp > now + 30) throw badTimestamp()
      const contentType = String(raw.headers["content-type"] ?? "")
      const given = query.get("sign") ?? ""
      if (!sameHex(given, expectedRequestSign(appSecret, path, query, raw.body, contentType))) throw badSign()
      const header = raw.headers["x-tts-access-token"]
      const token = Array.isArray(header) ? header[0] : header
      const record = token ? core.state.tokens.access.get(token) : undefined
      if (!record) throw invalidToken()
      if (record.expires_at_ms <= core.state.nowMs()) throw expiredToken()
      if (route.type === "seller") return { open_id: record.shop_id, shop: null }
      const cipher = query.get("shop_cipher")
      if (!cipher) throw invalidParams("shop_cipher is required")
      const shop = core.state.shopsByCipher.get(cipher)
      if (!shop || shop.seller_open_id !== record.shop_id) throw invalidParams("shop_cipher is invalid for this token")
      return { open_id: record.shop_id, shop }
    },
    rateLimited: (route) => route.type === "shop" || route.type === "seller",
    scopeOf: (query) => shopIdOfCipher(query.get("shop_cipher")),
  },
  errors: {
    unknownPath: (path) => new TiktokApiError(404, 36009005, `No API at ${path}`),
    wrongMethod: (_path, methods) => new TiktokApiError(405, 36009006, `Use ${methods.join(" or ")}`),
    badBody: () => invalidParams("the body must be a JSON object"),
    rateLimited: tooManyRequests,
    serverError: () => new TiktokApiError(500, 36009007, "Internal error, please retry"),
    permissionDenied: () => new TiktokApiError(403, 105005, "The app has not been granted the scope of this API"),
    apiRestricted: () => new TiktokApiError(403, 36009008, "This API is restricted for the shop"),
  },
  envelope: {
    requestId: () => crypto.randomBytes(10).toString("hex").toUpperCase(),
    ok: (requestId, fields) => ({ code: 0, message: "Success", request_id: requestId, ...fields }),
    error: (requestId, err) => ({ code: Number(err.code), message: err.message, request_id: requestId, ...err.extra }),
  },
  control,
  controlSummary: [
    "POST   /sandbox/sellers {name?, base_region?, shops:[{id?, name?, region, currency}]}   POST /sandbox/app {redirect_url}",
    "GET    /sandbox/oauth/confirm?open_id&state[&deny=1]   POST /sandbox/sellers/:open_id/{tokens,expire-tokens,deauthorize}",
    "POST   /sandbox/shops/:id/products {title, skus:[{seller_sku, price, stock?, warehouse_ids?}]}",
    "POST   /sandbox/shops/:id/orders {lines:[{sku_id, quantity, seller_discount?, platform_discount?}], status?, commerce_platform?, shipping_fee?}",
    "GET    /sandbox/shops/:id   GET /sandbox/orders/:id   POST /sandbox/orders/:id/advance {to?}   POST /sandbox/shops/:id/pushes {type, data}",
    "POST   /sandbox/orders/:id/buyer-cancel {settle?: accept|withdraw}",
    "POST   /sandbox/packages/:id/advance {to: PROCESSING|FULFILLING|COMPLETED}   (split / combine: the signed /fulfillment/202309 routes)",
    "POST   /sandbox/tracking/withhold {calls}   POST /sandbox/orders/:id/release-tracking   (a slow 3PL: tracking numbers withheld after Ship Package)",
    "GET    /sandbox/orders/:id/settlement   POST /sandbox/orders/:id/adjustments {amount, type?}   (completed orders only)",
    "POST   /sandbox/orders/:id/returns {type?, unit_ids?, status?, arbitration_status?}   GET /sandbox/returns/:id   POST /sandbox/returns/:id/advance {to?, arbitration_status?}",
  ],
  secretParams: ["sign", "access_token", "app_secret", "refresh_token", "auth_code"],
  describe: (core) => ({ app_key: core.state.config.appKey, service_id: core.state.config.serviceId }),
}
