import type { ShipMethod, ShipmentInfo, ShipOrderInput, ShippingDocument, ShippingParameters, ShopSession } from "../types"
import type { DocumentOrder, ShopeeClient } from "./client"
import { ShopeeError, ShopeeValidationError } from "./errors"
import { JsonNumber } from "../kit"
import type { ShopeeShippingParameter } from "./schemas"

/** ship_order's method keys, as SHOPEE_VOCABULARY.ship_methods declares them. */
type ShopeeShipMethod = "pickup" | "dropoff" | "non_integrated"
const METHODS: ShopeeShipMethod[] = ["pickup", "dropoff", "non_integrated"]

/** The methods Shopee offers: the keys present under info_needed (an empty list still means "offered"). */
function offeredMethods(parameter: ShopeeShippingParameter): ShopeeShipMethod[] {
  return METHODS.filter((m) => Array.isArray(parameter.info_needed[m]))
}

export async function getShippingParameters(
  client: ShopeeClient,
  session: ShopSession,
  orderSn: string,
  packageId?: string | null
): Promise<ShippingParameters> {
  const answer = await client.getShippingParameter(session, orderSn, packageId)
  return { methods: offeredMethods(answer.response), raw: answer.response }
}

const ID_FIELDS = new Set(["address_id", "branch_id"])

/** ship_order's method object: ids as JSON numbers, the rest as given. */
function methodBody(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined || value === null || value === "") {
      continue
    }
    out[key] = ID_FIELDS.has(key) && /^\d+$/.test(String(value)) ? new JsonNumber(String(value)) : value
  }
  return out
}

/** Drop-off details: the first listed branch when Shopee needs a branch id, nothing when it needs nothing. */
function dropoffDetails(parameter: ShopeeShippingParameter): Record<string, unknown> {
  const needed = parameter.info_needed.dropoff ?? []
  const unsupported = needed.filter((field) => field !== "branch_id")
  if (unsupported.length > 0) {
    throw new ShopeeValidationError(`Shopee dropoff needs ${unsupported.join(", ")}: pass them in details`)
  }
  if (!needed.includes("branch_id")) {
    return {}
  }
  const branch = parameter.dropoff?.branch_list?.[0]
  if (!branch) {
    throw new ShopeeValidationError("Shopee dropoff needs a branch but lists none")
  }
  return { branch_id: branch.branch_id }
}

/**
 * Without an explicit method: dropoff when it needs nothing, else pickup at the default / pickup address in the
 * recommended (or first) time slot, else non-integrated. With a method: that method's details, chosen the same
 * way (drop-off at the first listed branch when a branch is needed).
 */
export function chooseShipping(
  parameter: ShopeeShippingParameter,
  method?: ShipMethod
): { method: ShipMethod; details: Record<string, unknown> } {
  const needed = parameter.info_needed
  if (method === "dropoff" && Array.isArray(needed.dropoff)) {
    return { method, details: dropoffDetails(parameter) }
  }
  if (method === "non_integrated" && Array.isArray(needed.non_integrated)) {
    return { method, details: {} }
  }
  if (method && method !== "pickup") {
    throw new ShopeeValidationError(`Shopee does not offer ${method} for this order`)
  }
  if (!method && Array.isArray(needed.dropoff) && needed.dropoff.length === 0) {
    return { method: "dropoff", details: {} }
  }
  if (Array.isArray(needed.pickup)) {
    const addresses = parameter.pickup?.address_list ?? []
    const address =
      addresses.find((a) => a.address_flag?.includes("pickup_address")) ??
      addresses.find((a) => a.address_flag?.includes("default_address")) ??
      addresses[0]
    if (!address && needed.pickup.includes("address_id")) {
      throw new ShopeeValidationError("Shopee offers pickup but lists no pickup address")
    }
    const slots = address?.time_slot_list ?? []
    const slot = slots.find((s) => s.flags?.includes("recommended")) ?? slots[0]
    return {
      method: "pickup",
      details: { address_id: address?.address_id, pickup_time_id: slot?.pickup_time_id },
    }
  }
  if (Array.isArray(needed.non_integrated)) {
    return { method: "non_integrated", details: {} }
  }
  if (Array.isArray(needed.dropoff)) {
    throw new ShopeeValidationError(`Shopee dropoff needs ${needed.dropoff.join(", ")}: pass them in details`)
  }
  throw new ShopeeValidationError("Shopee offers no shipping method for this order")
}

/** ship_order ("arrange shipment"). Not repeated on an unknown outcome: the next sync sees whether it happened. */
export async function shipOrder(client: ShopeeClient, session: ShopSession, input: ShipOrderInput): Promise<void> {
  let method = input.method
  let details = input.details ?? {}
  if (!method || Object.keys(details).length === 0) {
    const parameter = await client.getShippingParameter(session, input.external_order_id, input.package_id)
    const chosen = chooseShipping(parameter.response, method)
    method = chosen.method
    details = { ...chosen.details, ...details }
  }
  const body: Record<string, unknown> = {
    order_sn: input.external_order_id,
    [method]: methodBody(details),
  }
  if (input.package_id) {
    body.package_number = input.package_id
  }
  await client.shipOrder(session, body)
}

async function trackingNumber(
  client: ShopeeClient,
  session: ShopSession,
  orderSn: string,
  packageId: string | null | undefined,
  delays: number[]
): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    const answer = await client.getTrackingNumber(session, orderSn, packageId)
    const tracking = answer.response.tracking_number?.trim()
    if (tracking) {
      return tracking
    }
    // Shopee fills the tracking number some time after ship_order: poll a few times, then let the core ask later.
    if (attempt >= delays.length) {
      return null
    }
    await client.options.sleep(delays[attempt])
  }
}

export async function getShipment(
  client: ShopeeClient,
  session: ShopSession,
  orderSn: string,
  packageId?: string | null
): Promise<ShipmentInfo> {
  // The carrier comes from the order detail, read only when the caller does not know the package (it then
  // knows the carrier too, from the order it imported).
  const [tracking, detail] = await Promise.all([
    trackingNumber(client, session, orderSn, packageId, client.options.trackingPollDelays),
    packageId ? null : client.getOrderDetail(session, [orderSn], "package_list,shipping_carrier"),
  ])
  const order = detail?.response.order_list?.[0]
  const pkg = order?.package_list?.find((p) => !packageId || p.package_number === packageId)
  return {
    external_order_id: orderSn,
    package_id: packageId ?? pkg?.package_number ?? null,
    tracking_number: tracking,
    carrier: pkg?.shipping_carrier || order?.shipping_carrier || null,
  }
}

/** Shopee errors that mean "not printable yet" rather than "never". */
const NOT_READY = /download_later|should_print_first|can_not_print|package_can_not_print|not_ready|processing/i

function documentFailure(entry: { fail_error?: string | null; fail_message?: string | null } | undefined): string | null {
  return entry?.fail_error ? `${entry.fail_error}${entry.fail_message ? `: ${entry.fail_message}` : ""}` : null
}

/**
 * The airway bill: tracking number -> create_shipping_document -> poll get_shipping_document_result ->
 * download_shipping_document. Null while Shopee cannot print it yet (no tracking number, task still PROCESSING).
 */
export async function getShippingDocument(
  client: ShopeeClient,
  session: ShopSession,
  orderSn: string,
  packageId?: string | null
): Promise<ShippingDocument | null> {
  const tracking = await trackingNumber(client, session, orderSn, packageId, [])
  if (!tracking) {
    return null
  }
  const order: DocumentOrder = { order_sn: orderSn, tracking_number: tracking }
  if (packageId) {
    order.package_number = packageId
  }
  try {
    const created = await client.createShippingDocument(session, order)
    const failure = documentFailure(created.response.result_list[0])
    if (failure && NOT_READY.test(failure)) {
      return null
    }
    // "already created" style failures fall through to the result poll.
  } catch (error) {
    if (!(error instanceof ShopeeError)) {
      throw error
    }
    const failure = documentFailure(batchEntry(error.body)) ?? error.code ?? ""
    if (NOT_READY.test(failure)) {
      return null
    }
    if (!/already|exist/i.test(failure)) {
      throw error
    }
  }

  const delays = client.options.documentPollDelays
  for (let attempt = 0; ; attempt++) {
    const result = await client.getShippingDocumentResult(session, order)
    const entry = result.response.result_list[0]
    const status = entry?.status?.toUpperCase()
    if (status === "READY") {
      break
    }
    if (status === "FAILED") {
      throw new ShopeeValidationError(
        `Shopee could not create the shipping document of ${orderSn}${documentFailure(entry) ? `: ${documentFailure(entry)}` : ""}`
      )
    }
    if (attempt >= delays.length) {
      return null
    }
    await client.options.sleep(delays[attempt])
  }

  try {
    const file = await client.downloadShippingDocument(session, order)
    const extension = /zip/i.test(file.content_type) ? "zip" : "pdf"
    return {
      content: file.content,
      content_type: file.content_type,
      file_name: `${packageId ?? orderSn}.${extension}`,
    }
  } catch (error) {
    if (error instanceof ShopeeError && NOT_READY.test(error.code ?? "")) {
      return null
    }
    throw error
  }
}

function batchEntry(body: unknown): { fail_error?: string | null; fail_message?: string | null } | undefined {
  const response = (body as { response?: { result_list?: unknown[] } } | undefined)?.response
  const first = response?.result_list?.[0]
  return first && typeof first === "object" ? (first as { fail_error?: string; fail_message?: string }) : undefined
}
