import type { ShipmentInfo, ShippingDocument, ShippingParameters, ShipOrderInput, ShopSession } from "../types"
import { TiktokShopError, TiktokShopNotAllowedError, TiktokShopNotFoundError, TiktokShopValidationError } from "./errors"
import type { TiktokShopHttp } from "./http"
import { getOrders } from "./orders"
import { emptyDataSchema, packageDetailSchema, shippingDocumentSchema, type TiktokPackageDetail } from "./schemas"

/**
 * TikTok Shop's Fulfillment API (202309). In SEA a package is created when the buyer pays and holds the whole
 * order (the order detail's `packages[]`), until the seller splits the order into several packages or combines
 * orders into one; each package ships on its own. "Ship Package" hands it over: for TikTok Shipping (`shipping_type`
 * TIKTOK) by pickup or drop-off, after which TikTok's carrier assigns the tracking number and "Get Package
 * Shipping Document" prints the label at a `doc_url`; for seller shipping (`SELLER`) with the seller's own
 * tracking number and shipping provider id. The order then is AWAITING_COLLECTION, IN_TRANSIT once collected.
 */
const shop = (session: ShopSession) => ({ kind: "shop" as const, session })

/** Ship Package's answers for a package already handed over: a retried call that went through. */
const ALREADY_SHIPPED = new Set(["21011040", "21006021", "21008099", "21011020"])
/** Shipping document answers that mean "not yet": still being generated, or the handover not processed yet. */
const DOCUMENT_NOT_YET = new Set(["11034037", "11034023", "21023022", "21023035", "21042104"])

const codeOf = (error: unknown) => (error instanceof TiktokShopError ? error.code : null)

/**
 * The package the call is about: the one named, else the order's first (the order detail's `packages[]`); to ship
 * (`pending`), the first one still waiting for the carrier, as a split order ships its packages one by one.
 */
async function packageIdOf(http: TiktokShopHttp, session: ShopSession, orderId: string, packageId?: string | null, pending = false): Promise<string> {
  if (packageId) return packageId
  const [order] = await getOrders(http, session, [orderId])
  if (!order) throw new TiktokShopNotFoundError(`TikTok Shop does not know order ${orderId}`)
  const chosen = (pending ? order.packages.find((p) => p.stage === "pending") : undefined) ?? order.packages[0]
  if (!chosen) throw new TiktokShopNotAllowedError(`TikTok Shop order ${orderId} has no package yet (${order.external_status})`)
  return chosen.external_id
}

/** "Get Package Detail"; a package that is not the order's is not found. */
async function packageDetail(http: TiktokShopHttp, session: ShopSession, orderId: string, packageId: string): Promise<TiktokPackageDetail> {
  const detail = await http.call({
    method: "GET",
    path: `/fulfillment/202309/packages/${encodeURIComponent(packageId)}`,
    scope: shop(session),
    schema: packageDetailSchema,
    idempotent: true,
  })
  if (detail.orders.length > 0 && !detail.orders.some((o) => o.id === orderId)) {
    throw new TiktokShopNotFoundError(`TikTok Shop package ${packageId} does not hold order ${orderId}`)
  }
  return detail
}

const isSellerShipping = (detail: TiktokPackageDetail) => (detail.shipping_type ?? "").toUpperCase() === "SELLER"

/** The methods the package allows: pickup and drop-off for TikTok Shipping, the seller's carrier otherwise. */
export async function getShippingParameters(http: TiktokShopHttp, session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingParameters> {
  const detail = await packageDetail(http, session, orderId, await packageIdOf(http, session, orderId, packageId, true))
  return { methods: isSellerShipping(detail) ? ["seller_shipping"] : ["pickup", "dropoff"], raw: detail }
}

function unixOf(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() ? Number(value) : value
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined
}

/** The Ship Package body for a method; the method must fit the package's shipping type. */
function shipBody(orderId: string, detail: TiktokPackageDetail, method: string, details: Record<string, unknown>): Record<string, unknown> {
  const seller = isSellerShipping(detail)
  if (method === "seller_shipping") {
    if (!seller) throw new TiktokShopNotAllowedError(`TikTok Shop order ${orderId} ships with TikTok Shipping: use pickup or dropoff`)
    const tracking = typeof details.tracking_number === "string" ? details.tracking_number.trim() : String(details.tracking_number ?? "")
    const provider = String(details.shipping_provider_id ?? "").trim()
    if (!tracking || !provider) {
      throw new TiktokShopValidationError(`TikTok Shop seller shipping needs tracking_number and shipping_provider_id for order ${orderId}`)
    }
    return { self_shipment: { tracking_number: tracking, shipping_provider_id: provider } }
  }
  if (seller) throw new TiktokShopNotAllowedError(`TikTok Shop order ${orderId} is shipped by the seller: use seller_shipping`)
  if (method === "dropoff") return { handover_method: "DROP_OFF" }
  if (method !== "pickup") throw new TiktokShopValidationError(`TikTok Shop has no ship method ${method}: use pickup, dropoff or seller_shipping`)
  const start = unixOf(details.pickup_start_time)
  const end = unixOf(details.pickup_end_time)
  return { handover_method: "PICKUP", ...(start && end ? { pickup_slot: { start_time: start, end_time: end } } : {}) }
}

/**
 * Ship Package for the order's package. Without a method: pickup for TikTok Shipping, the seller's carrier for
 * seller shipping. A package TikTok says is already shipped (a retry after a lost answer) counts as done.
 */
export async function shipOrder(http: TiktokShopHttp, session: ShopSession, input: ShipOrderInput): Promise<void> {
  const orderId = input.external_order_id
  const packageId = await packageIdOf(http, session, orderId, input.package_id, true)
  const detail = await packageDetail(http, session, orderId, packageId)
  const method = input.method ?? (isSellerShipping(detail) ? "seller_shipping" : "pickup")
  const body = shipBody(orderId, detail, method, input.details ?? {})
  try {
    await http.call({
      method: "POST",
      path: `/fulfillment/202309/packages/${encodeURIComponent(packageId)}/ship`,
      scope: shop(session),
      body,
      schema: emptyDataSchema,
      idempotent: false,
    })
  } catch (error) {
    if (ALREADY_SHIPPED.has(codeOf(error) ?? "")) return
    throw error
  }
}

/** The package's tracking number and carrier ("Get Package Detail"); no number until the carrier assigns it. */
export async function getShipment(http: TiktokShopHttp, session: ShopSession, orderId: string, packageId?: string | null): Promise<ShipmentInfo> {
  const id = await packageIdOf(http, session, orderId, packageId)
  const detail = await packageDetail(http, session, orderId, id)
  return {
    external_order_id: orderId,
    package_id: id,
    tracking_number: detail.tracking_number || null,
    carrier: detail.shipping_provider_name || null,
  }
}

/**
 * "Get Package Shipping Document" (SHIPPING_LABEL, A6 PDF), then the file at its `doc_url`. Null while TikTok
 * cannot print it yet (still generated, handover not processed). Seller-shipped packages have no TikTok label.
 */
export async function getShippingDocument(http: TiktokShopHttp, session: ShopSession, orderId: string, packageId?: string | null): Promise<ShippingDocument | null> {
  const id = await packageIdOf(http, session, orderId, packageId)
  const detail = await packageDetail(http, session, orderId, id)
  if (isSellerShipping(detail)) {
    throw new TiktokShopNotAllowedError(`TikTok Shop package ${id} is shipped by the seller: TikTok prints no label for it`)
  }
  const path = `/fulfillment/202309/packages/${encodeURIComponent(id)}/shipping_documents`
  let answer
  try {
    answer = await http.call({
      method: "GET",
      path,
      scope: shop(session),
      query: { document_type: "SHIPPING_LABEL", document_size: "A6", document_format: "PDF" },
      schema: shippingDocumentSchema,
      idempotent: true,
    })
  } catch (error) {
    if (DOCUMENT_NOT_YET.has(codeOf(error) ?? "")) return null
    throw error
  }
  const file = await http.download(answer.doc_url, `${path} doc_url`)
  return { content: file.content, content_type: file.content_type, file_name: `tiktok-label-${id}.pdf` }
}
