import type { ShipmentInfo, ShippingDocument, ShippingParameters, ShipOrderInput } from "../types"
import { LazadaNotAllowedError, LazadaNotFoundError, LazadaValidationError } from "./errors"
import type { LazadaHttp, LazadaScope } from "./http"
import {
  documentAnswerSchema,
  orderItemsAnswerSchema,
  packAnswerSchema,
  readyToShipAnswerSchema,
  shipmentProvidersAnswerSchema,
  type LazadaOrderItem,
} from "./schemas"

/**
 * Lazada's fulfilment (docId 120167): Pack (`/order/fulfill/pack`) turns an order's `pending` units into a package
 * with its tracking number, ReadyToShip (`/order/package/rts`) hands the package to the carrier, GetDocument
 * (`/order/package/document/get`) prints its airway bill. The plugin's one ship method, `dropship`, is both steps.
 */
type ShopScope = LazadaScope & { kind: "shop" }

/** Units a seller can still pack ("repacked" after a failed first pack). */
const PACKABLE = new Set(["pending", "repacked"])
/** Units whose package can be handed over, or already was. */
const AFTER_PACK = new Set(["packed", "repacked", "ready_to_ship", "ready_to_ship_pending", "shipped", "delivered"])
/** Units whose airway bill can be printed (GetDocument: not before ready to ship). */
const PRINTABLE = new Set(["ready_to_ship", "shipped", "delivered"])
/** GetDocument's "There are no packages that support printing!": the package is not ready to ship yet. */
const NOT_PRINTABLE_YET = "700040"

export async function itemsOf(http: LazadaHttp, scope: ShopScope, orderId: string): Promise<LazadaOrderItem[]> {
  const answer = await http.call({
    method: "GET",
    apiPath: "/orders/items/get",
    scope,
    params: { order_ids: `[${orderId}]` },
    schema: orderItemsAnswerSchema,
    idempotent: true,
  })
  const entry = answer.data.find((o) => o.order_id === orderId)
  if (!entry) throw new LazadaNotFoundError(`Lazada does not know order ${orderId}`)
  return entry.order_items
}

function refused(what: string, result: { error_code?: string | null; error_msg?: string | null }): LazadaNotAllowedError {
  return new LazadaNotAllowedError(`Lazada refused to ${what}: ${result.error_code ?? ""} ${result.error_msg ?? ""}`.trim(), {
    code: result.error_code ?? null,
  })
}

/** The package the call is about: the one named, else the order's first. */
function packageOf(items: LazadaOrderItem[], packageId?: string | null): string | null {
  if (packageId) return packageId
  return items.find((i) => i.package_id && i.status !== "canceled")?.package_id || null
}

/** GetShipmentProvider: what Lazada offers for the order's unpacked units (the allocation type Pack needs). */
export async function getShippingParameters(http: LazadaHttp, scope: ShopScope, orderId: string): Promise<ShippingParameters> {
  const items = await itemsOf(http, scope, orderId)
  const packable = items.filter((i) => PACKABLE.has(i.status.toLowerCase()))
  if (packable.length === 0) return { methods: [], raw: null }
  const answer = await http.call({
    method: "GET",
    apiPath: "/order/shipment/providers/get",
    scope,
    params: { getShipmentProvidersReq: JSON.stringify({ orders: [{ order_id: orderId, order_item_ids: packable.map((i) => i.order_item_id) }] }) },
    schema: shipmentProvidersAnswerSchema,
    idempotent: true,
  })
  if (!answer.result.success || !answer.result.data) throw refused(`offer a carrier for order ${orderId}`, answer.result)
  return { methods: ["dropship"], raw: answer.result.data }
}

/**
 * `dropship`: Pack every unpacked unit of the order (one call; Lazada gives the package and its tracking number),
 * then ReadyToShip each of the order's packed packages. A unit or package Lazada refuses fails the whole shipment.
 */
export async function shipOrder(http: LazadaHttp, scope: ShopScope, input: ShipOrderInput): Promise<void> {
  if (input.method && input.method !== "dropship") throw new LazadaValidationError(`Lazada ships by dropship only, not ${input.method}`)
  const orderId = input.external_order_id
  let items = await itemsOf(http, scope, orderId)
  const packable = items.filter((i) => PACKABLE.has(i.status.toLowerCase()))
  if (packable.length > 0) {
    const parameters = await getShippingParameters(http, scope, orderId)
    const allocation = (parameters.raw as { shipping_allocate_type: string }).shipping_allocate_type
    const packReq: Record<string, unknown> = {
      pack_order_list: [{ order_id: Number(orderId), order_item_list: packable.map((i) => Number(i.order_item_id)) }],
      delivery_type: "dropship",
      shipping_allocate_type: allocation,
    }
    // A cross-border (NTFS) shop names the carrier; a local (TFS) one must not.
    const provider = (parameters.raw as { shipment_providers?: { provider_code?: string | null }[] | null }).shipment_providers?.[0]?.provider_code
    if (allocation !== "TFS" && provider) packReq.shipment_provider_code = provider
    const packed = await http.call({
      method: "POST",
      apiPath: "/order/fulfill/pack",
      scope,
      params: { packReq: JSON.stringify(packReq) },
      schema: packAnswerSchema,
      idempotent: false,
    })
    if (!packed.result.success || !packed.result.data) throw refused(`pack order ${orderId}`, packed.result)
    const failed = packed.result.data.pack_order_list.flatMap((o) => o.order_item_list).filter((i) => i.item_err_code !== "0")
    if (failed.length > 0) {
      throw new LazadaNotAllowedError(`Lazada refused to pack order ${orderId}: ${failed.map((f) => `item ${f.order_item_id}: ${f.item_err_code} ${f.msg ?? ""}`.trim()).join("; ")}`, {
        code: failed[0].item_err_code,
      })
    }
    items = await itemsOf(http, scope, orderId)
  }
  const waiting = [
    ...new Set(items.filter((i) => i.package_id && (i.status === "packed" || i.status === "repacked")).map((i) => i.package_id as string)),
  ].filter((p) => !input.package_id || p === input.package_id)
  if (waiting.length === 0) {
    if (items.some((i) => AFTER_PACK.has(i.status.toLowerCase()))) return
    throw new LazadaNotAllowedError(`Lazada order ${orderId} has no unit to ship (${[...new Set(items.map((i) => i.status))].join(", ")})`)
  }
  const rts = await http.call({
    method: "POST",
    apiPath: "/order/package/rts",
    scope,
    params: { readyToShipReq: JSON.stringify({ packages: waiting.map((package_id) => ({ package_id })) }) },
    schema: readyToShipAnswerSchema,
    idempotent: false,
  })
  if (!rts.result.success || !rts.result.data) throw refused(`hand over order ${orderId}`, rts.result)
  const failed = rts.result.data.packages.filter((p) => p.item_err_code !== "0")
  if (failed.length > 0) {
    throw new LazadaNotAllowedError(`Lazada refused to ready-to-ship ${failed.map((p) => `${p.package_id}: ${p.item_err_code} ${p.msg ?? ""}`.trim()).join("; ")}`, {
      code: failed[0].item_err_code,
    })
  }
}

/** The package's tracking number and carrier, from the order's items (Pack gives both). */
export async function getShipment(http: LazadaHttp, scope: ShopScope, orderId: string, packageId?: string | null): Promise<ShipmentInfo> {
  const items = await itemsOf(http, scope, orderId)
  const pkg = packageOf(items, packageId)
  const unit = items.find((i) => pkg && i.package_id === pkg && i.tracking_code)
  return {
    external_order_id: orderId,
    package_id: pkg,
    tracking_number: unit?.tracking_code || null,
    carrier: unit?.shipment_provider || null,
  }
}

/** GetDocument: the package's airway bill as a PDF; null until the package is ready to ship. */
export async function getShippingDocument(http: LazadaHttp, scope: ShopScope, orderId: string, packageId?: string | null): Promise<ShippingDocument | null> {
  const items = await itemsOf(http, scope, orderId)
  const pkg = packageOf(items, packageId)
  if (!pkg || !items.some((i) => i.package_id === pkg && PRINTABLE.has(i.status.toLowerCase()))) return null
  let answer
  try {
    answer = await http.call({
      method: "GET",
      apiPath: "/order/package/document/get",
      scope,
      params: { getDocumentReq: JSON.stringify({ doc_type: "PDF", packages: [{ package_id: pkg }] }) },
      schema: documentAnswerSchema,
      idempotent: true,
    })
  } catch (error) {
    if (error instanceof LazadaValidationError && error.code === NOT_PRINTABLE_YET) return null
    throw error
  }
  if (!answer.result.success) {
    if (answer.result.error_code === NOT_PRINTABLE_YET) return null
    throw refused(`print the airway bill of package ${pkg}`, answer.result)
  }
  const file = answer.result.data?.file
  if (!file) return null
  return { content: Buffer.from(file, "base64"), content_type: "application/pdf", file_name: `lazada-awb-${pkg}.pdf` }
}
