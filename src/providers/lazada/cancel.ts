import type { CancelOrderInput } from "../types"
import { LazadaNotAllowedError, LazadaValidationError } from "./errors"
import type { LazadaHttp, LazadaScope } from "./http"
import { itemsOf } from "./logistics"
import { cancelCreateAnswerSchema, cancelValidateAnswerSchema, type LazadaCancelValidation } from "./schemas"

/**
 * The seller's cancellation (guide "Order cancellation", API OrderCancelValidate docId 1426 and InitReverseOrderCancel
 * docId 1474). Lazada cancels order items (units), not orders: the plugin cancels a whole order in Medusa, so the call
 * names every unit Lazada still lets the seller cancel (pending to ready to ship). The reasons are offered per order
 * (their ids "may be different for each country"): the validation lists them, and the plugin's reason is found there
 * by name, else by the id the docs' sample gives.
 */
type ShopScope = LazadaScope & { kind: "shop" }

/** "Only order items with the Pending ~ Ready To Ship status can be cancelled." */
const SELLER_CANCELLABLE = new Set(["pending", "packed", "repacked", "ready_to_ship", "ready_to_ship_pending"])

/** LAZADA_VOCABULARY.cancel_reasons ids -> how Lazada names the reason, and its id in the docs' sample. */
const REASONS: Record<string, { name: RegExp; sampleId: string | null }> = {
  out_of_stock: { name: /out of stock/i, sampleId: "10000021" },
  sourcing_delay: { name: /sourcing delay/i, sampleId: "10000019" },
  pricing_error: { name: /pric(e|ing)/i, sampleId: "10000023" },
  // No sample names it: any reason that says the customer (buyer) asked.
  customer_request: { name: /customer|buyer/i, sampleId: null },
}

/** The tip says the operation was refused ("warn" and "success" go on). */
function refusedByTip(data: { tip_type?: string | null; tip_content?: string | null } | null | undefined): string | null {
  return data?.tip_type?.trim().toLowerCase() === "error" ? data.tip_content?.trim() || "no reason given" : null
}

function reasonIdOf(reason: string, validation: LazadaCancelValidation, orderId: string): string {
  const wanted = REASONS[reason]
  if (!wanted) {
    throw new LazadaValidationError(`Lazada has no "${reason}" cancel reason: use ${Object.keys(REASONS).join(", ")}`)
  }
  const options = validation.reason_options ?? []
  const found = options.find((o) => wanted.name.test(o.reason_name)) ?? options.find((o) => o.reason_id === wanted.sampleId)
  if (!found) {
    const offered = options.map((o) => `${o.reason_name} (${o.reason_id})`).join(", ") || "none"
    throw new LazadaNotAllowedError(`Lazada offers no "${reason}" reason to cancel order ${orderId}; it offers: ${offered}`)
  }
  return found.reason_id
}

/** Cancels every unit of the order the seller may still cancel, with one reason for all of them. */
export async function cancelOrder(http: LazadaHttp, scope: ShopScope, input: CancelOrderInput): Promise<void> {
  const orderId = input.external_order_id
  const items = await itemsOf(http, scope, orderId)
  const units = items.filter((i) => SELLER_CANCELLABLE.has(i.status.toLowerCase())).map((i) => i.order_item_id)
  if (units.length === 0) {
    const statuses = [...new Set(items.map((i) => i.status))].join(", ")
    throw new LazadaNotAllowedError(`Lazada order ${orderId} has no unit the seller can cancel (pending to ready to ship): ${statuses}`)
  }
  const params = { order_id: orderId, order_item_id_list: JSON.stringify(units) }
  const validation = await http.call({
    method: "GET",
    apiPath: "/order/reverse/cancel/validate",
    scope,
    params,
    schema: cancelValidateAnswerSchema,
    idempotent: true,
  })
  const refusal = refusedByTip(validation.data)
  if (refusal) throw new LazadaNotAllowedError(`Lazada refuses to cancel order ${orderId}: ${refusal}`)
  const reasonId = reasonIdOf(input.reason, validation.data, orderId)
  const created = await http.call({
    method: "GET",
    apiPath: "/order/reverse/cancel/create",
    scope,
    params: { ...params, reason_id: reasonId },
    schema: cancelCreateAnswerSchema,
    // A write: an unknown outcome is settled by the next read of the order, not by sending it again.
    idempotent: false,
  })
  const failed = refusedByTip(created.data)
  if (failed) throw new LazadaNotAllowedError(`Lazada did not cancel order ${orderId}: ${failed}`)
}
