import crypto from "crypto"
import { z } from "@medusajs/framework/zod"
import { json, parseControl, type ControlRoute } from "../kit/control"
import { ControlError, PlatformApiError } from "../kit/errors"
import type { ApiRequest, ApiRoute, SandboxPlatform } from "../kit/platform"
import { labelPdf } from "../kit/pdf"
import { COUNTRIES, ITEM_STATUSES, SELLER_CANCEL_REASONS, SHIPMENT_PROVIDER, type Country, type LazadaSandboxCore, type PriceQuantityCall, type SandboxOrder } from "./core"
import { lazadaApiSign, sameHex } from "./signing"
import { REFUSE_REASONS, RETURN_ACTIONS, REVERSE_STATUSES, type SandboxReverseOrder } from "./returns"
import { itemView, orderView, reverseOrderView } from "./views"
import { addAdjustment, ADJUSTMENT_NAMES, FEE_TYPES, orderTransactions } from "./finance"

/**
 * Hosts. Lazada serves its token APIs from `https://auth.lazada.com/rest` and each country's APIs from its own host
 * (`https://api.lazada.sg/rest`, ...). The sandbox is one server and maps each host to a path prefix:
 *   auth host     <url>/lazada/auth        (consent page /oauth/authorize, token APIs under /rest)
 *   country host  <url>/lazada/<country>/rest   (sg, my, th, ph, vn, id)
 * Signatures cover the API path after `/rest`, as on Lazada.
 */
export const LAZADA_API_PREFIX = "/lazada/"
export const AUTH_ROOT = "/lazada/auth"

export function countryRoot(country: Country): string {
  return `/lazada/${country}/rest`
}

/** Lazada's error answer: `{ code, type, message, request_id }`, HTTP 200 (the gateway's errors too). */
export class LazadaApiError extends PlatformApiError {
  constructor(code: string, message: string, readonly type: "ISV" | "ISP" | "SYSTEM" = "ISV", status = 200, extra?: Record<string, unknown>) {
    super(status, code, message, extra)
  }
}

/** Who calls a country API: the seller of that country, under the account the token belongs to. */
export interface LazadaPrincipal {
  account: string
  seller_id: string
  country: Country
}

type Auth = "page" | "token" | "shop"
type Route = ApiRoute<LazadaSandboxCore, LazadaPrincipal, Auth>

/** Timestamps are accepted within 7200 s of the server's clock (common parameters). */
const TIMESTAMP_WINDOW_MS = 7200 * 1000

function apiPathOf(path: string): { country: Country | "auth" | null; apiPath: string } {
  const match = /^\/lazada\/([a-z]+)\/rest(\/.*)$/.exec(path)
  if (!match) return { country: null, apiPath: path }
  const host = match[1]
  return { country: host === "auth" ? "auth" : (COUNTRIES as readonly string[]).includes(host) ? (host as Country) : null, apiPath: match[2] }
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name)
  if (value === null || value === "") throw new LazadaApiError("MissingParameter", `The input parameter "${name}" that is mandatory for processing this request is not supplied`)
  return value
}

function escapeHtml(value: string): string {
  const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }
  return value.replace(/[&<>"']/g, (ch) => entities[ch])
}

// ---- auth host ----

const authorizePage: Route = {
  method: "GET",
  path: `${AUTH_ROOT}/oauth/authorize`,
  type: "page",
  handle(req, core) {
    const redirect = required(req.query, "redirect_uri")
    if (req.query.get("client_id") !== core.state.config.appKey) throw new LazadaApiError("InvalidAppKey", "client_id is not a known app key")
    try {
      new URL(redirect)
    } catch {
      throw new LazadaApiError("InvalidParameter", "redirect_uri should be an absolute URL")
    }
    const state = req.query.get("state") ?? ""
    const rows = [...core.state.accounts.values()]
      .map((a) => {
        const href = `/sandbox/oauth/confirm?account=${encodeURIComponent(a.account)}&redirect_uri=${encodeURIComponent(redirect)}&state=${encodeURIComponent(state)}`
        const countries = a.countries.map((c) => `${c.country.toUpperCase()} (seller ${c.seller_id})`).join(", ")
        return `<li><strong>${escapeHtml(a.account)}</strong>: ${escapeHtml(countries)} <a class="confirm" href="${escapeHtml(href)}">Submit</a></li>`
      })
      .join("\n")
    const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Lazada Open Platform sandbox - authorize</title></head>
<body><h1>Authorize app ${escapeHtml(core.state.config.appKey)}</h1>
<p>Choose the account; every country it sells in is authorized. You return to <code>${escapeHtml(redirect)}</code> with <code>code</code>.</p>
<ul>
${rows || "<li>No sandbox account yet: POST /sandbox/accounts first.</li>"}
</ul></body></html>`
    return { kind: "raw", contentType: "text/html; charset=utf-8", body: Buffer.from(html, "utf8") }
  },
}

function tokenAnswer(core: LazadaSandboxCore, account: string, issued: { access_token: string; refresh_token: string }, refreshExpiresAtMs: number, listName: string) {
  const a = core.state.accounts.get(account)
  const countries = (a?.countries ?? []).map((c) => ({ country: c.country, seller_id: c.seller_id, user_id: c.user_id, short_code: c.short_code }))
  return {
    kind: "json" as const,
    fields: {
      access_token: issued.access_token,
      refresh_token: issued.refresh_token,
      expires_in: core.state.config.accessTtlSeconds,
      refresh_expires_in: Math.max(0, Math.floor((refreshExpiresAtMs - core.state.nowMs()) / 1000)),
      account,
      country: countries[0]?.country ?? "sg",
      account_platform: "seller_center",
      account_id: null,
      [listName]: countries,
    },
  }
}

const tokenCreate: Route = {
  method: "POST",
  path: `${AUTH_ROOT}/rest/auth/token/create`,
  type: "token",
  handle(req, core) {
    const code = required(req.query, "code")
    const record = core.state.tokens.codes.get(code)
    if (!record || record.used || record.expires_at_ms <= core.state.nowMs()) throw new LazadaApiError("InvalidCode", "Invalid authorization code")
    record.used = true
    const issued = core.state.tokens.issue(String(record.shop_id))
    const refresh = core.state.tokens.refresh.get(issued.refresh_token)
    return tokenAnswer(core, String(record.shop_id), issued, refresh?.expires_at_ms ?? 0, "country_user_info")
  },
}

const tokenRefresh: Route = {
  method: "POST",
  path: `${AUTH_ROOT}/rest/auth/token/refresh`,
  type: "token",
  handle(req, core) {
    const token = required(req.query, "refresh_token")
    const record = core.state.tokens.refresh.get(token)
    if (!record || record.used || record.expires_at_ms <= core.state.nowMs()) {
      throw new LazadaApiError("IllegalRefreshToken", "The specified refresh token is invalid or expired")
    }
    const account = String(record.shop_id)
    const issued = core.state.tokens.rotate(account, token)
    // Refreshing does not extend the refresh token's life: the new one ends when the old one would have.
    const fresh = core.state.tokens.refresh.get(issued.refresh_token)
    if (fresh) fresh.expires_at_ms = record.expires_at_ms
    core.state.refreshCount += 1
    core.state.refreshes.set(account, (core.state.refreshes.get(account) ?? 0) + 1)
    return tokenAnswer(core, account, issued, record.expires_at_ms, "country_user_info_list")
  },
}

// ---- country hosts ----

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:?\d{2}|Z)$/

function isoParam(query: URLSearchParams, name: string): number | null {
  const value = query.get(name)
  if (value === null || value === "") return null
  if (!ISO_WITH_OFFSET.test(value)) throw new LazadaApiError("17", `E017: "${value}" Invalid Date Format`)
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new LazadaApiError("17", `E017: "${value}" Invalid Date Format`)
  return Math.floor(ms / 1000)
}

function ownOrder(req: ApiRequest<LazadaPrincipal>, core: LazadaSandboxCore, id: string): SandboxOrder | undefined {
  const order = core.state.orders.get(id)
  return order && req.shop && order.seller_id === req.shop.seller_id ? order : undefined
}

/** GetOrders (docId 1131): by update or creation time, `offset` below 5000, `limit` up to 100. */
function ordersGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/orders/get`,
    type: "shop",
    handle(req, core) {
      const q = req.query
      const updateAfter = isoParam(q, "update_after")
      const createdAfter = isoParam(q, "created_after")
      if (updateAfter === null && createdAfter === null) {
        throw new LazadaApiError("MissingParameter", "Either update_after or created_after is mandatory")
      }
      const updateBefore = isoParam(q, "update_before")
      const createdBefore = isoParam(q, "created_before")
      const sortBy = q.get("sort_by") || "created_at"
      if (sortBy !== "created_at" && sortBy !== "updated_at") throw new LazadaApiError("75", "E075: Invalid sort filter.")
      const direction = (q.get("sort_direction") || "DESC").toUpperCase()
      if (direction !== "ASC" && direction !== "DESC") throw new LazadaApiError("74", "E074: Invalid sort direction.")
      const offset = Number(q.get("offset") ?? "0")
      if (!Number.isInteger(offset) || offset < 0 || offset >= 5000) throw new LazadaApiError("14", `E014: "${q.get("offset")}" Invalid Offset`)
      const limit = Number(q.get("limit") ?? "100")
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new LazadaApiError("19", `E019: "${q.get("limit")}" Invalid Limit`)
      const status = q.get("status")
      if (status && !(ITEM_STATUSES as readonly string[]).includes(status)) throw new LazadaApiError("6", "Invalid status filter")
      const matching = [...core.state.orders.values()]
        .filter((o) => o.seller_id === req.shop?.seller_id)
        .filter((o) => (updateAfter === null || o.updated_at >= updateAfter) && (updateBefore === null || o.updated_at <= updateBefore))
        .filter((o) => (createdAfter === null || o.created_at >= createdAfter) && (createdBefore === null || o.created_at <= createdBefore))
        .filter((o) => !status || o.items.some((i) => i.status === status))
      const key = (o: SandboxOrder) => (sortBy === "updated_at" ? o.updated_at : o.created_at)
      matching.sort((a, b) => (direction === "ASC" ? 1 : -1) * (key(a) - key(b) || Number(BigInt(a.order_id) - BigInt(b.order_id))))
      const page = matching.slice(offset, offset + limit)
      return { kind: "json", fields: { data: { count: page.length, countTotal: matching.length, orders: page.map(orderView) } } }
    },
  }
}

/** GetOrder (docId 1130). */
function orderGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/get`,
    type: "shop",
    handle(req, core) {
      const id = required(req.query, "order_id")
      const order = ownOrder(req, core, id)
      if (!order) throw new LazadaApiError("16", `E016: "${id}" Invalid Order ID`)
      return { kind: "json", fields: { data: orderView(order) } }
    },
  }
}

/** GetMultipleOrderItems (docId 954): `order_ids` as "[1,2,3]", at most 50. */
function orderItemsGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/orders/items/get`,
    type: "shop",
    handle(req, core) {
      const raw = required(req.query, "order_ids")
      if (!/^\[\s*\d+(\s*,\s*\d+)*\s*\]$/.test(raw)) throw new LazadaApiError("56", "E056: Invalid OrdersIdList format. Must use array format [1,2]")
      const ids = raw.slice(1, -1).split(",").map((s) => s.trim())
      if (ids.length > 50) throw new LazadaApiError("38", "E038: Too many orders were requested")
      const orders = ids.map((id) => ownOrder(req, core, id)).filter((o): o is SandboxOrder => !!o)
      if (orders.length === 0) throw new LazadaApiError("39", "E039: No orders were found")
      if (orders.length < new Set(ids).size) throw new LazadaApiError("37", "E037: One or more order id in the list are incorrect")
      return {
        kind: "json",
        fields: {
          data: orders.map((o) => ({ order_id: Number(o.order_id), order_number: Number(o.order_id), order_items: o.items.map((i) => itemView(o, i)) })),
        },
      }
    },
  }
}

/** GetProducts (docId 1301): `filter` required, `limit` up to 50. */
function productsGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/products/get`,
    type: "shop",
    handle(req, core) {
      const filter = required(req.query, "filter")
      if (!["all", "live", "inactive", "deleted", "pending", "rejected", "sold-out"].includes(filter)) throw new LazadaApiError("36", "E036: Invalid status filter")
      const offset = Number(req.query.get("offset") ?? "0")
      if (!Number.isInteger(offset) || offset < 0 || offset > 10000) throw new LazadaApiError("14", `E014: "${req.query.get("offset")}" Invalid Offset`)
      const limit = Number(req.query.get("limit") ?? "20")
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new LazadaApiError("19", `E019: "${req.query.get("limit")}" Invalid Limit`)
      const all = [...core.state.products.values()].filter((p) => p.seller_id === req.shop?.seller_id).sort((a, b) => a.item_id - b.item_id)
      const page = all.slice(offset, offset + limit)
      return {
        kind: "json",
        fields: {
          data: {
            total_products: all.length,
            products: page.map((p) => ({
              item_id: p.item_id,
              status: p.status,
              created_time: String(p.created_time * 1000),
              updated_time: String(p.updated_time * 1000),
              attributes: { name: p.name },
              skus: p.skus.map((s) => ({
                SkuId: s.SkuId,
                SellerSku: s.SellerSku,
                ShopSku: `${p.item_id}_${country.toUpperCase()}AMZ-${s.SkuId}`,
                price: s.price,
                quantity: s.quantity,
                Available: s.quantity,
                Status: s.Status,
                Variation: s.Variation,
              })),
            })),
          },
        },
      }
    },
  }
}

/** The text of `<tag>` inside `xml`, or null. */
function xmlText(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)
  return match ? match[1].trim() : null
}

/**
 * UpdatePriceQuantity (docId 1330; payload docId 121234): `payload` is XML
 * `<Request><Product><Skus><Sku><ItemId/><SkuId/><SellerSku/><Price/><Quantity/></Sku>...</Skus></Product></Request>`,
 * at most 50 SKUs. A SKU that is not the seller's fails alone: code 501 with one `detail` row per failed SKU.
 */
function priceQuantityUpdate(country: Country): Route {
  return {
    method: "POST",
    path: `${countryRoot(country)}/product/price_quantity/update`,
    type: "shop",
    handle(req, core) {
      const payload = req.query.get("payload") ?? ""
      if (payload.trim() === "") throw new LazadaApiError("30", "E030: Empty Request")
      if (!/^\s*(<\?xml[^>]*\?>\s*)?<Request>[\s\S]*<\/Request>\s*$/.test(payload)) throw new LazadaApiError("5", "E005: Invalid Request Format")
      const blocks = [...payload.matchAll(/<Sku>([\s\S]*?)<\/Sku>/g)].map((m) => m[1])
      if (blocks.length === 0) throw new LazadaApiError("30", "E030: Empty Request")
      if (blocks.length > 50) throw new LazadaApiError("4171", "The updated SKU quantity exceeds the maximum number 50, please reduce it")
      const seller = req.shop?.seller_id ?? ""
      const receivedAt = core.state.nowMs()
      const detail: Record<string, unknown>[] = []
      const applied: PriceQuantityCall["skus"] = []
      for (const block of blocks) {
        const itemId = xmlText(block, "ItemId") ?? ""
        const skuId = xmlText(block, "SkuId") ?? ""
        const sellerSku = xmlText(block, "SellerSku") ?? ""
        const quantityText = xmlText(block, "Quantity")
        const priceText = xmlText(block, "Price")
        const product = core.state.products.get(Number(itemId))
        const sku = product && product.seller_id === seller ? product.skus.find((s) => String(s.SkuId) === skuId || (!skuId && s.SellerSku === sellerSku)) : undefined
        const quantity = quantityText === null ? undefined : Number(quantityText)
        const price = priceText === null ? undefined : Number(priceText)
        if (!product || !sku) {
          detail.push({ field: "SkuId", message: "SKU not found", seller_sku: sellerSku, item_id: itemId, sku_id: skuId, code: "501" })
          continue
        }
        if ((quantity !== undefined && (!Number.isInteger(quantity) || quantity < 0)) || (price !== undefined && !(price > 0))) {
          detail.push({ field: quantity !== undefined ? "Quantity" : "Price", message: "Invalid value", seller_sku: sku.SellerSku, item_id: itemId, sku_id: skuId, code: "501" })
          continue
        }
        if (quantity !== undefined) sku.quantity = quantity
        if (price !== undefined) sku.price = price
        product.updated_time = core.state.nowSec()
        applied.push({ item_id: itemId, sku_id: String(sku.SkuId), seller_sku: sku.SellerSku, quantity, price: priceText ?? undefined })
      }
      core.state.priceQuantityCalls.push({ seller_id: seller, received_at: receivedAt, skus: applied })
      if (detail.length > 0) {
        throw new LazadaApiError("501", "E501: Update product failed", "ISV", 200, { detail })
      }
      return { kind: "json", fields: {} }
    },
  }
}

// ---- fulfilment: pack, ready to ship, documents (docIds 1470, 1469, 1475; flow docId 120167) ----

/** A JSON request parameter (`packReq`, ...), read with its schema: Lazada's 700004 PARAM_ILLEGAL when it does not fit. */
function jsonParam<T extends z.ZodType>(query: URLSearchParams, name: string, schema: T): z.infer<T> {
  const raw = required(query, name)
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new LazadaApiError("700004", `PARAM_ILLEGAL: ${name} is not JSON`)
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new LazadaApiError("700004", `PARAM_ILLEGAL: ${name}.${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`)
  return parsed.data
}

const idValue = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String)
/** A batch limited to 20 (pack: orders; rts and documents: packages): 700022 BATCH_SIZE_OUT_OF_LIMIT over it. */
const MAX_FULFIL_BATCH = 20

function fulfilResult(data: Record<string, unknown>) {
  return { kind: "json" as const, fields: { result: { success: true, data } } }
}

/** GetShipmentProvider (`/order/shipment/providers/get`): the carriers for the orders and the allocation type. */
function shipmentProvidersGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/shipment/providers/get`,
    type: "shop",
    handle(req, core) {
      const input = jsonParam(req.query, "getShipmentProvidersReq", z.object({ orders: z.array(z.object({ order_id: idValue, order_item_ids: z.array(idValue).optional() })).min(1) }))
      for (const o of input.orders) if (!ownOrder(req, core, o.order_id)) throw new LazadaApiError("700021", `ORDER_NOT_FOUND: ${o.order_id}`)
      const provider = SHIPMENT_PROVIDER[country]
      return fulfilResult({ platform_default: 1, shipping_allocate_type: "TFS", shipment_providers: [{ name: provider, provider_code: provider.replace(" ", "") }] })
    },
  }
}

/** Pack (`/order/fulfill/pack`): `packReq` {pack_order_list[{order_id, order_item_list}], delivery_type, shipping_allocate_type}. */
function pack(country: Country): Route {
  return {
    method: "POST",
    path: `${countryRoot(country)}/order/fulfill/pack`,
    type: "shop",
    handle(req, core) {
      const input = jsonParam(
        req.query,
        "packReq",
        z.object({
          pack_order_list: z.array(z.object({ order_id: idValue, order_item_list: z.array(idValue).min(1) })).min(1),
          delivery_type: z.string(),
          shipping_allocate_type: z.string(),
          shipment_provider_code: z.string().optional(),
        })
      )
      if (input.pack_order_list.length > MAX_FULFIL_BATCH) throw new LazadaApiError("700022", "BATCH_SIZE_OUT_OF_LIMIT")
      if (input.delivery_type !== "dropship") throw new LazadaApiError("700013", `OP_NOT_SUPPORT: delivery_type ${input.delivery_type}`)
      // A local (TFS) shop lets Lazada choose the carrier: no provider code; a cross-border (NTFS) one must name it.
      if (input.shipping_allocate_type !== "TFS") throw new LazadaApiError("700004", `PARAM_ILLEGAL: the shop's shipping_allocate_type is TFS`)
      if (input.shipment_provider_code) throw new LazadaApiError("700004", "PARAM_ILLEGAL: a TFS shop sends no shipment_provider_code")
      const orders = input.pack_order_list.map((o) => {
        const order = ownOrder(req, core, o.order_id)
        if (!order) throw new LazadaApiError("700021", `ORDER_NOT_FOUND: ${o.order_id}`)
        return { order, items: o.order_item_list }
      })
      return fulfilResult({
        pack_order_list: orders.map(({ order, items }) => ({
          order_id: Number(order.order_id),
          order_item_list: core.pack(order, items).map((r) => ({ ...r, order_item_id: Number(r.order_item_id) })),
        })),
      })
    },
  }
}

const packagesParam = z.array(z.object({ package_id: z.string().min(1) })).min(1)

/** ReadyToShip (`/order/package/rts`): `readyToShipReq` {packages[{package_id}]}, each answered on its own. */
function readyToShip(country: Country): Route {
  return {
    method: "POST",
    path: `${countryRoot(country)}/order/package/rts`,
    type: "shop",
    handle(req, core) {
      const input = jsonParam(req.query, "readyToShipReq", z.object({ packages: packagesParam }))
      if (input.packages.length > MAX_FULFIL_BATCH) throw new LazadaApiError("700022", "BATCH_SIZE_OUT_OF_LIMIT")
      const seller = req.shop?.seller_id ?? ""
      return fulfilResult({
        packages: input.packages.map((p) => {
          const error = core.readyToShip(seller, p.package_id)
          return { package_id: p.package_id, item_err_code: error?.item_err_code ?? "0", msg: error?.msg ?? "success", retry: false }
        }),
      })
    },
  }
}

/**
 * GetDocument (`/order/package/document/get`): `getDocumentReq` {doc_type HTML|PDF, packages[{package_id}]}: the
 * airway bill, base64 in `file`. Printing needs every package ready to ship or later (700040 otherwise).
 */
function documentGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/package/document/get`,
    type: "shop",
    handle(req, core) {
      const input = jsonParam(req.query, "getDocumentReq", z.object({ doc_type: z.string(), packages: packagesParam, print_item_list: z.union([z.boolean(), z.string()]).optional() }))
      if (input.doc_type !== "PDF" && input.doc_type !== "HTML") throw new LazadaApiError("32", `E032: Document type "${input.doc_type}" is not valid`)
      if (input.packages.length > MAX_FULFIL_BATCH) throw new LazadaApiError("700022", "BATCH_SIZE_OUT_OF_LIMIT")
      const seller = req.shop?.seller_id ?? ""
      const lines: string[] = []
      for (const p of input.packages) {
        const items = core.packageItems(seller, p.package_id).filter((i) => i.status !== "canceled")
        if (items.length === 0 || items.some((i) => !["ready_to_ship", "shipped", "delivered"].includes(i.status))) {
          throw new LazadaApiError("700040", "There are no packages that support printing!")
        }
        lines.push(`Package ${p.package_id}  ${items[0].shipment_provider}  tracking ${items[0].tracking_code}`, `Order ${items[0].order_id}: ${items.length} unit(s)`)
      }
      const file =
        input.doc_type === "PDF"
          ? labelPdf(["Lazada sandbox airway bill", ...lines])
          : Buffer.from(`<html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}</body></html>`, "utf8")
      return fulfilResult({ doc_type: input.doc_type, file: file.toString("base64") })
    },
  }
}

// ---- seller cancellation (guide "Order cancellation"; OrderCancelValidate docId 1426, InitReverseOrderCancel 1474) ----

/** `order_id` and `order_item_id_list` (a JSON array of ids, "[]" in the docs' samples) of a cancellation call. */
function cancelParams(req: ApiRequest<LazadaPrincipal>, core: LazadaSandboxCore): { order: SandboxOrder; itemIds: string[] } {
  const orderId = req.query.get("order_id") ?? ""
  if (!/^\d+$/.test(orderId)) throw new LazadaApiError("115", "E0115: order id is null")
  const order = ownOrder(req, core, orderId)
  if (!order) throw new LazadaApiError("122", "E0122: invalid trade order")
  let list: unknown
  try {
    list = JSON.parse(req.query.get("order_item_id_list") ?? "")
  } catch {
    list = null
  }
  const ids = z.array(idValue).safeParse(list)
  if (!ids.success) throw new LazadaApiError("102", "E0102: trade order line id is empty or invalid")
  return { order, itemIds: [...new Set(ids.data)] }
}

/** OrderCancelValidate (`/order/reverse/cancel/validate`, GET): whether the units can be cancelled, and the reasons. */
function cancelValidate(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/cancel/validate`,
    type: "shop",
    handle(req, core) {
      const { order, itemIds } = cancelParams(req, core)
      const check = core.checkSellerCancel(order, itemIds)
      if (!check.ok) throw new LazadaApiError(check.code, check.message)
      const reasons = check.tip_type === "error" ? [] : SELLER_CANCEL_REASONS.map((r) => ({ reason_name: r.reason_name, reason_id: r.reason_id }))
      return { kind: "json", fields: { data: { tip_content: check.tip_content, reason_options: reasons, tip_type: check.tip_type } } }
    },
  }
}

/**
 * InitReverseOrderCancel (`/order/reverse/cancel/create`, GET): cancels the units with one of the offered reasons
 * (E0104 otherwise). Units that can no longer be cancelled refuse the whole call (E0123, naming them).
 */
function cancelCreate(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/cancel/create`,
    type: "shop",
    handle(req, core) {
      const { order, itemIds } = cancelParams(req, core)
      const reason = SELLER_CANCEL_REASONS.find((r) => r.reason_id === (req.query.get("reason_id") ?? "").trim())
      if (!reason) throw new LazadaApiError("104", "E0104: reason is empty or invalid")
      const check = core.checkSellerCancel(order, itemIds)
      if (!check.ok) throw new LazadaApiError(check.code, check.message)
      if (check.tip_type === "error") throw new LazadaApiError("123", `E0123: invalid trade order lines ${check.tip_content}`)
      core.sellerCancel(order, check.units, reason)
      return {
        kind: "json",
        fields: {
          data: {
            tip_content: "The order has been cancelled and SKU stock may have been set to 0. Your customer has also been informed of the cancellation.",
            tip_type: "success",
          },
        },
      }
    },
  }
}

// ---- reverse orders: returns and refunds (GetReverseOrdersForSeller docId 1318, GetReverseOrderDetail,
// ReverseOrderReturnUpdate, GetReverseOrderReasonList, ReverseOrderOnlyRefundDecide) ----

/** GetReverseOrdersForSeller's page size: "default 10"; the docs give no maximum, the sandbox takes up to 100. */
const MAX_REVERSE_PAGE = 100

function numberParam(query: URLSearchParams, name: string, fallback: number | null): number | null {
  const raw = query.get(name)
  if (raw === null || raw === "") return fallback
  if (!/^\d{1,16}$/.test(raw)) throw new LazadaApiError("InvalidParameter", `The input parameter "${name}" is not a number`)
  return Number(raw)
}

function listParam(query: URLSearchParams, name: string): string[] | null {
  const raw = query.get(name)
  if (raw === null || raw === "") return null
  const parsed = z.array(z.string()).safeParse((() => { try { return JSON.parse(raw) } catch { return null } })())
  if (!parsed.success) throw new LazadaApiError("InvalidParameter", `The input parameter "${name}" must be a JSON array of strings`)
  return parsed.data
}

function ownReverse(req: ApiRequest<LazadaPrincipal>, core: LazadaSandboxCore, id: string): SandboxReverseOrder | undefined {
  const ro = core.state.reverseOrders.get(id)
  return ro && req.shop && ro.seller_id === req.shop.seller_id ? ro : undefined
}

/** GetReverseOrdersForSeller (GET/POST): `page_no`, `page_size` required; filters by ids, types, statuses, times (ms). */
function reverseOrdersGet(country: Country, method: "GET" | "POST"): Route {
  return {
    method,
    path: `${countryRoot(country)}/reverse/getreverseordersforseller`,
    type: "shop",
    handle(req, core) {
      const q = req.query
      const pageNo = numberParam(q, "page_no", null)
      const pageSize = numberParam(q, "page_size", null)
      if (pageNo === null) required(q, "page_no")
      if (pageSize === null) required(q, "page_size")
      if (pageNo! < 1) throw new LazadaApiError("InvalidParameter", "page_no starts at 1")
      if (pageSize! < 1 || pageSize! > MAX_REVERSE_PAGE) throw new LazadaApiError("InvalidParameter", `page_size must be 1 to ${MAX_REVERSE_PAGE}`)
      const reverseId = q.get("reverse_order_id")
      const tradeId = q.get("trade_order_id")
      const types = listParam(q, "request_type_list")
      const statuses = listParam(q, "reverse_status_list")
      const rtm = q.get("return_to_type")
      if (rtm && rtm !== "RTM" && rtm !== "RTW") throw new LazadaApiError("InvalidParameter", "return_to_type is RTM or RTW")
      const from = numberParam(q, "ReverseOrderLineModifiedTimeRangeStart", null)
      const to = numberParam(q, "ReverseOrderLineModifiedTimeRangeEnd", null)
      const matching = [...core.state.reverseOrders.values()]
        .filter((r) => r.seller_id === req.shop?.seller_id)
        .filter((r) => (!reverseId || r.reverse_order_id === reverseId) && (!tradeId || r.trade_order_id === tradeId))
        .filter((r) => (!types || types.includes(r.request_type)) && (!rtm || r.is_rtm === (rtm === "RTM")))
        .filter((r) => !statuses || r.lines.some((l) => statuses.includes(l.reverse_status)))
        .filter((r) => r.lines.some((l) => (from === null || l.modified_ms >= from) && (to === null || l.modified_ms <= to)))
        .sort((a, b) => Number(BigInt(a.reverse_order_id) - BigInt(b.reverse_order_id)))
      const page = matching.slice((pageNo! - 1) * pageSize!, pageNo! * pageSize!)
      return {
        kind: "json",
        fields: {
          result: { page_no: pageNo, success: true, page_size: pageSize, total: matching.length, items: page.map((r) => reverseOrderView(r, core.state.items, "list")) },
        },
      }
    },
  }
}

function reverseIdParam(req: ApiRequest<LazadaPrincipal>, core: LazadaSandboxCore): SandboxReverseOrder {
  const id = req.query.get("reverse_order_id") ?? ""
  if (!/^\d{1,20}$/.test(id)) throw new LazadaApiError("105", "E0105: reverse order id is empty or invalid")
  const ro = ownReverse(req, core, id)
  if (!ro) throw new LazadaApiError("112", "E0112: no reverse order found")
  return ro
}

/** GetReverseOrderDetail (`/order/reverse/return/detail/list`, GET). */
function reverseOrderDetail(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/return/detail/list`,
    type: "shop",
    handle(req, core) {
      return { kind: "json", fields: { data: reverseOrderView(reverseIdParam(req, core), core.state.items, "detail") } }
    },
  }
}

/** GetReverseOrderReasonList (`/order/reverse/reason/list`, GET): the refusal reasons for one reverse line. */
function reverseReasonList(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/reason/list`,
    type: "shop",
    handle(req, core) {
      const lineId = req.query.get("reverse_order_line_id") ?? ""
      if (!/^\d{1,20}$/.test(lineId)) throw new LazadaApiError("103", "E0103: reverse order line id is empty when query reject reason")
      const ro = [...core.state.reverseOrders.values()].find((r) => r.lines.some((l) => l.reverse_order_line_id === lineId))
      if (!ro || ro.seller_id !== req.shop?.seller_id) throw new LazadaApiError("119", "E0119: cannot find any cancel reasons for these orders")
      return { kind: "json", fields: { data: REFUSE_REASONS.map((r) => ({ reason_id: Number(r.reason_id), text: r.text, muti_language_text: r.text })) } }
    },
  }
}

/** `reverse_order_item_ids`: a JSON array of reverse line ids of the reverse order (E0100 empty, E0126 others). */
function reverseLinesParam(req: ApiRequest<LazadaPrincipal>, ro: SandboxReverseOrder): string[] {
  let list: unknown
  try {
    list = JSON.parse(req.query.get("reverse_order_item_ids") ?? "")
  } catch {
    list = null
  }
  const ids = z.array(idValue).safeParse(list)
  if (!ids.success || ids.data.length === 0) throw new LazadaApiError("100", "E0100: reverse order list is empty")
  const strangers = ids.data.filter((id) => !ro.lines.some((l) => l.reverse_order_line_id === id))
  if (strangers.length) throw new LazadaApiError("126", `E0126: invalid reverse order lines ${strangers.join(",")}`)
  return [...new Set(ids.data)]
}

/**
 * ReverseOrderReturnUpdate (`/order/reverse/return/update`, GET): the seller's action on RETURN lines. A refusal
 * needs a reason of the reason list (E0108), a comment (E0109), images for refuseRefund (E0110), and one line (E0111);
 * an action the lines' status does not allow is E0114.
 */
function reverseReturnUpdate(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/return/update`,
    type: "shop",
    handle(req, core) {
      const q = req.query
      const action = q.get("action") ?? ""
      const rule = RETURN_ACTIONS[action]
      if (!rule) throw new LazadaApiError("107", "E0107: invalid action")
      const id = q.get("reverse_order_id") ?? ""
      if (!/^\d{1,20}$/.test(id)) throw new LazadaApiError("125", "E0125: invalid reverse id")
      const ro = ownReverse(req, core, id)
      if (!ro) throw new LazadaApiError("112", "E0112: no reverse order found")
      const lineIds = reverseLinesParam(req, ro)
      const refusing = action === "refuseReturn" || action === "refuseRefund"
      const reasonId = (q.get("reason_id") ?? "").trim()
      const comment = (q.get("comment") ?? "").trim()
      if (refusing) {
        if (!REFUSE_REASONS.some((r) => r.reason_id === reasonId)) throw new LazadaApiError("108", "E0108: reason can't be empty if you want to refuse return or refund")
        if (!comment) throw new LazadaApiError("109", "E0109: comment can't be empty if you want to refuse return or refund")
        if (action === "refuseRefund" && !q.get("image_info")) throw new LazadaApiError("110", "E0110: image can't be empty if you want to refuse refund")
        if (lineIds.length > 1) throw new LazadaApiError("111", "E0111: do not support massive reverse order line operation if you want to refuse return or refund")
      }
      const lines = ro.lines.filter((l) => lineIds.includes(l.reverse_order_line_id))
      if (ro.request_type !== "RETURN" || (rule.rtmOnly && !ro.is_rtm) || lines.some((l) => l.reverse_status !== rule.from || l.is_dispute || l.ofc_status === "CLOSED")) {
        throw new LazadaApiError("114", `E0114: this reverse does not support this action (${action} on ${[...new Set(lines.map((l) => l.reverse_status))].join(",")})`)
      }
      if (refusing) for (const line of lines) line.refusals.push({ reason_id: reasonId, comment })
      core.reverse.move(ro, { reverse_status: rule.to }, lineIds)
      const total = lines.reduce((t, l) => t + l.refund_amount, 0)
      return {
        kind: "json",
        fields: {
          data: {
            reverse_order_id: Number(ro.reverse_order_id),
            total_refund: String(total),
            reason_info: [],
            reverse_order_line: lines.map((l) => ({ reverse_order_line_id: Number(l.reverse_order_line_id), refund_amount: l.refund_amount, order_id: Number(ro.trade_order_id), order_line_id: Number(l.trade_order_line_id), is_cancel: false })),
          },
        },
      }
    },
  }
}

/** ReverseOrderOnlyRefundDecide (`/order/reverse/onlyrefund/seller/decide`, GET): agreeRefund or startDispute, one line. */
function onlyRefundDecide(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/order/reverse/onlyrefund/seller/decide`,
    type: "shop",
    handle(req, core) {
      const q = req.query
      const action = q.get("action") ?? ""
      if (action !== "agreeRefund" && action !== "startDispute") throw new LazadaApiError("107", "E0107: invalid action")
      const id = q.get("reverse_order_id") ?? ""
      if (!/^\d{1,20}$/.test(id)) throw new LazadaApiError("125", "E0125: invalid reverse id")
      const ro = ownReverse(req, core, id)
      if (!ro) throw new LazadaApiError("112", "E0112: no reverse order found")
      const lineIds = reverseLinesParam(req, ro)
      if (lineIds.length > 1) throw new LazadaApiError("133", "E0133: do not support batch operation")
      if (action === "startDispute") {
        if (!(q.get("comment") ?? "").trim()) throw new LazadaApiError("109", "E0109: comment can't be empty if startDispute")
        if (!q.get("image_info_list")) throw new LazadaApiError("110", "E0110: image can't be empty if startDispute")
      }
      const line = ro.lines.find((l) => l.reverse_order_line_id === lineIds[0])!
      if (ro.request_type !== "ONLY_REFUND" || line.reverse_status !== "REQUEST_INITIATE" || line.is_dispute) {
        throw new LazadaApiError("114", "E0114: this reverse does not support this action")
      }
      core.reverse.move(ro, action === "agreeRefund" ? { reverse_status: "REFUND_SUCCESS" } : { reverse_status: "REQUEST_REJECT", is_dispute: true }, lineIds)
      return { kind: "json", fields: { data: null } }
    },
  }
}

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/

/** A `YYYY-MM-DD` day (the docs' sample) -> its 00:00 UTC in seconds. */
function dayParam(query: URLSearchParams, name: string): number {
  const value = required(query, name)
  const ms = DAY_TEXT.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN
  if (Number.isNaN(ms)) throw new LazadaApiError("InvalidParameter", `The input parameter "${name}" is not a date (YYYY-MM-DD)`)
  return ms / 1000
}

/**
 * QueryTransactionDetails (API docId 1294): the seller's transaction rows whose day is within `start_time` to
 * `end_time` (inclusive, both required, less than 180 days apart: 1000012), optionally of one order
 * (`trade_order_id`), one order item (`trade_order_line_id`) and one type (`trans_type` a fee type id, -1 for all;
 * an unknown one is 1000014); `offset`, `limit` up to 500 (default 100). Rows of the order's items (finance.ts),
 * oldest first.
 */
function transactionDetailsGet(country: Country): Route {
  return {
    method: "GET",
    path: `${countryRoot(country)}/finance/transaction/details/get`,
    type: "shop",
    handle(req, core) {
      const q = req.query
      const start = dayParam(q, "start_time")
      const end = dayParam(q, "end_time")
      if (end < start) throw new LazadaApiError("InvalidParameter", "end_time is before start_time")
      if (end - start >= 180 * 24 * 3600) throw new LazadaApiError("1000012", "endTime - startTime must should be less than 180 days")
      const transType = (q.get("trans_type") ?? "").trim()
      if (transType && transType !== "-1" && !Object.values(FEE_TYPES).includes(transType)) throw new LazadaApiError("1000014", "Can not find that transactionType")
      const offset = numberParam(q, "offset", 0)!
      const limit = numberParam(q, "limit", 100)!
      if (offset < 0) throw new LazadaApiError("InvalidParameter", "offset must not be negative")
      if (limit < 1 || limit > 500) throw new LazadaApiError("InvalidParameter", "limit must be 1 to 500")
      const orderId = (q.get("trade_order_id") ?? "").trim()
      const lineId = (q.get("trade_order_line_id") ?? "").trim()
      const orders = [...core.state.orders.values()].filter((o) => o.seller_id === req.shop?.seller_id && (!orderId || o.order_id === orderId))
      const rows = orders
        .flatMap((o) => orderTransactions(core.state, o))
        .filter((r) => (!lineId || r.orderItem_no === lineId) && (!transType || transType === "-1" || r.fee_type === transType))
        .filter((r) => {
          const day = Date.parse(`${r.transaction_date} 00:00:00 UTC`) / 1000
          return day >= start && day <= end
        })
      return { kind: "json", fields: { data: rows.slice(offset, offset + limit) } }
    },
  }
}

const routes: Route[] = [
  authorizePage,
  tokenCreate,
  tokenRefresh,
  ...COUNTRIES.flatMap((c) => [
    ordersGet(c),
    orderGet(c),
    orderItemsGet(c),
    productsGet(c),
    priceQuantityUpdate(c),
    shipmentProvidersGet(c),
    pack(c),
    readyToShip(c),
    documentGet(c),
    cancelValidate(c),
    cancelCreate(c),
    reverseOrdersGet(c, "GET"),
    reverseOrdersGet(c, "POST"),
    reverseOrderDetail(c),
    reverseReasonList(c),
    reverseReturnUpdate(c),
    onlyRefundDecide(c),
    transactionDetailsGet(c),
  ]),
]

// ---- control ----

const countryEnum = z.enum(COUNTRIES)
const accountInput = z.strictObject({
  account: z.string().min(1).max(120),
  countries: z.array(z.strictObject({ country: countryEnum, seller_id: z.string().regex(/^\d{1,18}$/).optional(), short_code: z.string().max(32).optional() })).min(1),
})
const money = z.string().regex(/^\d+(\.\d{1,2})?$/)
const orderInput = z.strictObject({
  items: z
    .array(
      z.strictObject({
        sku: z.string().min(1),
        sku_id: z.string().regex(/^\d+$/).optional(),
        product_id: z.string().regex(/^\d+$/).optional(),
        name: z.string().optional(),
        variation: z.string().optional(),
        price: money,
        quantity: z.number().int().min(1).max(100).default(1),
      })
    )
    .min(1),
  status: z.enum(ITEM_STATUSES).optional(),
  shipping_fee: money.optional(),
  voucher_seller: money.optional(),
  voucher_platform: money.optional(),
  created_at: z.number().int().positive().optional(),
})
const productInput = z.strictObject({
  name: z.string().min(1).max(255),
  skus: z
    .array(z.strictObject({ sku: z.string().min(1).max(200), name: z.string().max(200).optional(), price: z.number().positive(), stock: z.number().int().min(0) }))
    .min(1)
    .max(100),
})
const moveInput = z.strictObject({ status: z.enum(ITEM_STATUSES).optional(), reason: z.string().max(200).optional() })

export const LAZADA_CONTROL_SUMMARY = [
  "POST   /sandbox/accounts {account, countries:[{country, seller_id?, short_code?}]}",
  "GET    /sandbox/oauth/confirm?account&redirect_uri&state        (the consent page's Submit: redirects with code)",
  "POST   /sandbox/sellers/:seller_id/orders {items:[{sku, price, quantity}], status?, shipping_fee?, voucher_seller?, voucher_platform?}",
  "POST   /sandbox/sellers/:seller_id/products {name, skus:[{sku, name?, price, stock}]}",
  "POST   /sandbox/sellers/:seller_id/tokens                        (a token pair for the seller's account)",
  "GET    /sandbox/orders/:order_id",
  "POST   /sandbox/orders/:order_id/advance {status?}               (every item that can move and is not there yet)",
  "POST   /sandbox/orders/:order_id/cancel-request                  (the buyer asks to cancel: need_cancel_confirm, CANCEL_INIT reverse pushes)",
  "POST   /sandbox/orders/:order_id/items/:item_id/advance {status?, reason?}",
  "POST   /sandbox/orders/:order_id/items/:item_id/reverse {reverse_status}",
  "POST   /sandbox/orders/:order_id/reverse-orders {request_type?: RETURN|ONLY_REFUND, is_rtm?, item_ids?}   (the buyer asks for a return of delivered units)",
  "GET    /sandbox/orders/:order_id/settlement                     (the order's transaction rows and its adjustments)",
  "POST   /sandbox/orders/:order_id/adjustments {amount, comment, fee_name?: Shipping Fee Adjustment|Other Adjustment}   (a row after settlement)",
  "GET    /sandbox/reverse-orders/:id     POST /sandbox/reverse-orders/:id/advance {reverse_status?, is_dispute?, ofc_status?, line_ids?}",
  "POST   /sandbox/accounts/:account/tokens/expire {refresh?}   POST /sandbox/sellers/:seller_id/token-expiry-push",
]

const reverseInput = z.strictObject({
  request_type: z.enum(["RETURN", "ONLY_REFUND"]).optional(),
  is_rtm: z.boolean().optional(),
  item_ids: z.array(z.string().regex(/^\d+$/)).optional(),
})
const reverseMoveInput = z.strictObject({
  reverse_status: z.enum(REVERSE_STATUSES).optional(),
  is_dispute: z.boolean().optional(),
  ofc_status: z.string().min(1).max(64).optional(),
  line_ids: z.array(z.string().regex(/^\d+$/)).optional(),
})

const adjustmentInput = z.strictObject({
  amount: z.string().regex(/^-?\d+(\.\d{1,2})?$/),
  comment: z.string().min(1).max(500),
  fee_name: z.enum(ADJUSTMENT_NAMES).optional(),
})

const control: ControlRoute<LazadaSandboxCore>[] = [
  {
    method: "GET",
    pattern: /^\/sandbox\/orders\/(\d+)\/settlement$/,
    handle: (req, core) => {
      const order = core.order(req.params[0])
      return json({ transactions: orderTransactions(core.state, order), adjustments: core.state.adjustments.filter((a) => a.order_id === order.order_id) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/adjustments$/,
    handle: (req, core) => {
      const order = core.order(req.params[0])
      if (!order.items.some((i) => core.state.deliveredAt.has(i.order_item_id))) throw new ControlError(409, `Order ${order.order_id} is not settled yet (no item delivered)`)
      return json({ adjustment: addAdjustment(core.state, order, parseControl(adjustmentInput, req.body)) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/reverse-orders$/,
    handle: (req, core) => {
      const order = core.order(req.params[0])
      return json({ reverse_order: core.reverse.create(order, { ...parseControl(reverseInput, req.body), vn: order.country === "vn" }) }, 201)
    },
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/reverse-orders\/(\d+)$/,
    handle: (req, core) => json({ reverse_order: core.reverse.get(req.params[0]) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/reverse-orders\/(\d+)\/advance$/,
    handle: (req, core) => {
      const { line_ids, ...change } = parseControl(reverseMoveInput, req.body)
      const ro = core.reverse.get(req.params[0])
      core.reverse.move(ro, change, line_ids)
      return json({ reverse_order: ro })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/accounts$/,
    handle: (req, core) => json({ account: core.createAccount(parseControl(accountInput, req.body)) }, 201),
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/oauth\/confirm$/,
    handle: (req, core) => {
      const account = req.query.get("account") ?? ""
      const redirect = req.query.get("redirect_uri") ?? ""
      let target: URL
      try {
        target = new URL(redirect)
      } catch {
        throw new ControlError(400, "redirect_uri must be an absolute URL")
      }
      target.searchParams.set("code", core.issueCode(account))
      const state = req.query.get("state")
      if (state) target.searchParams.set("state", state)
      return { status: 302, location: target.toString() }
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/(\d+)\/orders$/,
    handle: (req, core) => {
      const input = parseControl(orderInput, req.body)
      return json({ order: core.createOrder({ ...input, seller_id: req.params[0] }) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/(\d+)\/products$/,
    handle: (req, core) => json({ product: core.createProduct(req.params[0], parseControl(productInput, req.body)) }, 201),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/(\d+)\/tokens$/,
    handle: (req, core) => {
      const account = core.state.sellers.get(req.params[0])
      if (!account) throw new ControlError(404, `Seller ${req.params[0]} not found`)
      return json(core.state.tokens.issue(account), 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/cancel-request$/,
    handle: (req, core) => json({ order: core.requestCancel(core.order(req.params[0])) }),
  },
  {
    method: "GET",
    pattern: /^\/sandbox\/orders\/(\d+)$/,
    handle: (req, core) => json({ order: core.order(req.params[0]) }),
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/advance$/,
    handle: (req, core) => {
      const input = parseControl(moveInput, req.body)
      const order = core.order(req.params[0])
      const moved = order.items.filter((i) => !core.items.isTerminal(i.status) && (input.status ? i.status !== input.status : core.items.next(i.status)))
      if (moved.length === 0) throw new ControlError(409, `Order ${order.order_id} has no item that can move`)
      for (const item of moved) {
        if (input.status) core.walkItem(item, input.status, input.reason)
        else core.moveItem(item, undefined, input.reason)
      }
      return json({ order })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/items\/(\d+)\/advance$/,
    handle: (req, core) => {
      const input = parseControl(moveInput, req.body)
      const item = core.item(req.params[0], req.params[1])
      core.moveItem(item, input.status, input.reason)
      return json({ item })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/(\d+)\/items\/(\d+)\/reverse$/,
    handle: (req, core) => {
      const input = parseControl(z.strictObject({ reverse_status: z.string().min(1).max(64) }), req.body)
      return json({ reverse_order_id: core.pushReverse(core.item(req.params[0], req.params[1]), input.reverse_status) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/accounts\/([^/]+)\/tokens\/expire$/,
    handle: (req, core) => {
      const input = parseControl(z.strictObject({ refresh: z.boolean().optional() }), req.body)
      return json({ expired: core.state.tokens.expire(decodeURIComponent(req.params[0]), input.refresh ?? false) })
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/sellers\/(\d+)\/token-expiry-push$/,
    handle: (req, core) => {
      core.pushTokenExpiry(req.params[0], core.state.nowSec() + 48 * 3600)
      return json({ sent: true })
    },
  },
]

export const LAZADA_PLATFORM: SandboxPlatform<LazadaSandboxCore, LazadaPrincipal, Auth> = {
  id: "lazada",
  title: "Lazada Open Platform",
  apiPrefix: LAZADA_API_PREFIX,
  routes,
  gateway: {
    // The checks in the order of the common parameters: app key, sign method, timestamp, signature, then the token.
    authenticate: (core, route, path, query, body) => {
      if (route.type === "page") return null
      const { appKey, appSecret } = core.state.config
      if (required(query, "app_key") !== appKey) throw new LazadaApiError("InvalidAppKey", "The app key is invalid")
      const method = required(query, "sign_method")
      if (method.toLowerCase() !== "sha256") throw new LazadaApiError("IncompleteSignature", `The sign method ${method} is not supported; use sha256`)
      const timestamp = Number(required(query, "timestamp"))
      if (!Number.isInteger(timestamp) || Math.abs(core.state.nowMs() - timestamp) > TIMESTAMP_WINDOW_MS) {
        throw new LazadaApiError("InvalidTimestamp", "The timestamp (milliseconds) is invalid or more than 7200 s away")
      }
      const sign = required(query, "sign")
      const { country, apiPath } = apiPathOf(path)
      const raw = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body)
      if (!sameHex(sign, lazadaApiSign(appSecret, apiPath, query, raw))) {
        throw new LazadaApiError("IncompleteSignature", "The request signature does not conform to lazop standards")
      }
      if (route.type === "token") return null
      const token = core.state.tokens.access.get(query.get("access_token") ?? "")
      if (!token || token.expires_at_ms <= core.state.nowMs()) throw new LazadaApiError("IllegalAccessToken", "The specified access token is invalid or expired")
      const account = core.state.accounts.get(String(token.shop_id))
      const seller = account?.countries.find((c) => c.country === country)
      if (!account || !seller || country === null || country === "auth") {
        throw new LazadaApiError("IllegalAccessToken", "The access token is not authorized for this country")
      }
      return { account: account.account, seller_id: seller.seller_id, country: seller.country }
    },
    rateLimited: (route) => route.type === "shop",
    // The token names the account, not the seller; the call log and faults are keyed by the access token's holder
    // only through path faults.
    scopeOf: () => null,
  },
  errors: {
    unknownPath: (path) => new LazadaApiError("InvalidApiPath", `The specified API path ${path} is invalid`),
    wrongMethod: (_path, methods) => new LazadaApiError("InvalidApiPath", `Use ${methods.join(" or ")}`),
    badBody: () => new LazadaApiError("InvalidParameter", "The body must be empty or a JSON object"),
    permissionDenied: () => new LazadaApiError("InsufficientPermission", "The app has no permission for this API"),
    apiRestricted: () => new LazadaApiError("AccessDenied", "This API is restricted for the seller"),
    rateLimited: () => new LazadaApiError("ApiCallLimit", "The request is banned for about one second: too many calls", "ISP"),
    serverError: () => new LazadaApiError("InternalError", "The request failed on the server", "SYSTEM", 500),
  },
  envelope: {
    requestId: () => crypto.randomBytes(12).toString("hex"),
    ok: (requestId, fields) => ({ code: "0", ...fields, request_id: requestId }),
    error: (requestId, error) => ({
      code: error.code,
      type: error instanceof LazadaApiError ? error.type : "ISV",
      message: error.message,
      ...error.extra,
      request_id: requestId,
    }),
  },
  control,
  controlSummary: LAZADA_CONTROL_SUMMARY,
  secretParams: ["sign", "access_token", "refresh_token", "code"],
  describe: (core) => ({ app_key: core.state.config.appKey, auth_url: AUTH_ROOT, api_url_template: "/lazada/{country}/rest" }),
}
