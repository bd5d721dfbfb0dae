import type {
  CancelOrderInput,
  GetOrdersOptions,
  ListChangedOrdersInput,
  MarketplaceEscrow,
  MarketplaceOrder,
  OrderRef,
  Page,
  ShopSession,
} from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeError, ShopeeValidationError } from "./errors"
import { inBatches, JsonNumber } from "../kit"
import { SHOPEE_LIMITS } from "./limits"
import { mapEscrow, mapOrder } from "./mapping"
import { currencyForRegion } from "./regions"
import { formatIssuePath } from "./http"
import { escrowDetailSchema } from "./schemas"
import { packagesAwaitingTracking } from "../parcel-statuses"

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000)

/** Checks a time window against Shopee's 15-day cap and returns it in Unix seconds. */
export function windowSeconds(from: Date, to: Date): { from: number; to: number } {
  const max = SHOPEE_LIMITS.order_list_window_seconds
  if (!(from instanceof Date) || !(to instanceof Date) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new ShopeeValidationError("Shopee time window needs two valid dates")
  }
  if (to.getTime() < from.getTime()) {
    throw new ShopeeValidationError("Shopee time window ends before it starts")
  }
  if ((to.getTime() - from.getTime()) / 1000 > max) {
    throw new ShopeeValidationError(`Shopee time windows are at most ${max / 86400} days`)
  }
  const start = seconds(from)
  return { from: start, to: Math.min(Math.ceil(to.getTime() / 1000), start + max) }
}

/**
 * get_order_list by update_time, cursor paging. Every status is listed (include_unpaid or not): skipping unpaid
 * orders is the core's decision, and the list call cannot exclude a status anyway.
 */
export async function listChangedOrders(
  client: ShopeeClient,
  session: ShopSession,
  input: ListChangedOrdersInput
): Promise<Page<OrderRef>> {
  const window = windowSeconds(input.updated_from, input.updated_to)
  const answer = await client.getOrderList(session, {
    timeFrom: window.from,
    timeTo: window.to,
    cursor: input.page_token ?? "",
    pageSize: SHOPEE_LIMITS.order_list_page_size,
  })
  const { more, next_cursor: nextCursor, order_list: orders } = answer.response
  const next = nextCursor == null ? "" : String(nextCursor)
  return {
    items: (orders ?? []).map((o) => ({ external_id: o.order_sn, external_status: o.order_status ?? null })),
    next_page_token: more && next ? next : null,
  }
}

/**
 * get_order_detail in batches of 50 (packages included); unknown orders are left out. The tracking numbers of
 * the parcels that left, which the detail does not carry, come from get_mass_tracking_number (see
 * `fillTrackingNumbers`), unless `tracking: false`: the import fills them across detail batches.
 */
export async function getOrders(
  client: ShopeeClient,
  session: ShopSession,
  ids: string[],
  { tracking = true }: GetOrdersOptions = {}
): Promise<MarketplaceOrder[]> {
  const orders = await inBatches(ids, SHOPEE_LIMITS.order_detail_batch, async (batch) => {
    try {
      const list = (await client.getOrderDetail(session, batch)).response.order_list ?? []
      return list.map((order, index) => mapOrder(order, index))
    } catch (error) {
      if (error instanceof ShopeeError && error.kind === "not_found") {
        return [] // none of the batch exists
      }
      throw error
    }
  })
  if (tracking) await fillTrackingNumbers(client, session, orders)
  return orders
}

/**
 * The tracking numbers of the orders' parcels that left (`packagesAwaitingTracking`), from
 * get_mass_tracking_number, 50 packages a call across all the orders: no call per order. A package whose
 * number the 3PL has not assigned yet keeps a null one.
 */
export async function fillTrackingNumbers(client: ShopeeClient, session: ShopSession, orders: MarketplaceOrder[]): Promise<void> {
  const packages = orders.flatMap(packagesAwaitingTracking)
  if (!packages.length) {
    return
  }
  const numbers = new Map<string, string>()
  await inBatches(
    packages.map((p) => p.external_id),
    SHOPEE_LIMITS.tracking_batch ?? 50,
    async (batch) => {
      const answer = await client.getMassTrackingNumber(session, batch)
      for (const entry of answer.response.success_list ?? []) {
        const tracking = entry.tracking_number?.trim()
        if (tracking) numbers.set(entry.package_number, tracking)
      }
      return []
    }
  )
  for (const pkg of packages) {
    pkg.tracking_number = numbers.get(pkg.external_id) ?? null
  }
}

function escrowCurrency(session: ShopSession): string {
  const fromMetadata = session.metadata?.currency_code
  if (typeof fromMetadata === "string" && fromMetadata) {
    return fromMetadata.toLowerCase()
  }
  // The escrow answer names no currency: it is the shop's, which follows from its region.
  return currencyForRegion(session.region) ?? ""
}

/** get_escrow_detail_batch in batches of 50; orders Shopee has no escrow for are left out. */
export async function getEscrows(
  client: ShopeeClient,
  session: ShopSession,
  ids: string[]
): Promise<MarketplaceEscrow[]> {
  const currency = escrowCurrency(session)
  return await inBatches(ids, SHOPEE_LIMITS.escrow_batch, async (batch) => {
    const answer = await client.getEscrowDetailBatch(session, batch)
    const response = answer.response
    const entries = Array.isArray(response) ? response : response?.escrow_detail_list ?? answer.escrow_detail_list ?? []
    return entries.flatMap((entry, index) => {
      if (entry.fail_error || !entry.escrow_detail) {
        return [] // e.g. order_not_found
      }
      const detail = escrowDetailSchema.safeParse(entry.escrow_detail)
      if (!detail.success) {
        const issue = detail.error.issues[0]
        throw new ShopeeValidationError(
          `Shopee /api/v2/payment/get_escrow_detail_batch answered an unexpected shape at ` +
            `response[${index}].escrow_detail.${formatIssuePath(issue.path)}: ${issue.message}`,
          { code: "invalid_response" }
        )
      }
      return [mapEscrow(detail.data, currency)]
    })
  })
}

/** cancel_order's reasons by SHOPEE_VOCABULARY.cancel_reasons id. */
const CANCEL_REASONS = new Map<string, string>([
  ["out_of_stock", "OUT_OF_STOCK"],
  ["customer_request", "CUSTOMER_REQUEST"],
  ["undeliverable_area", "UNDELIVERABLE_AREA"],
])

/** cancel_order, before shipping only; OUT_OF_STOCK names the lines that are out of stock. */
export async function cancelOrder(client: ShopeeClient, session: ShopSession, input: CancelOrderInput): Promise<void> {
  const reason = CANCEL_REASONS.get(input.reason)
  if (!reason) {
    throw new ShopeeValidationError(
      `Shopee has no "${input.reason}" cancel reason: use ${[...CANCEL_REASONS.keys()].join(", ")}`
    )
  }
  const body: Record<string, unknown> = { order_sn: input.external_order_id, cancel_reason: reason }
  if (reason === "OUT_OF_STOCK") {
    if (!input.items?.length) {
      throw new ShopeeValidationError("Shopee needs the out-of-stock lines (items) to cancel for OUT_OF_STOCK")
    }
    body.item_list = input.items.map((item) => ({
      item_id: new JsonNumber(item.external_item_id),
      model_id: new JsonNumber(item.external_model_id || "0"),
    }))
  }
  await client.cancelOrder(session, body)
}
