import type { MarketplaceListing, Page, PriceUpdate, PushResult, ShopSession, StockUpdate } from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeError, ShopeeValidationError } from "./errors"
import { chunk, isDecimal, JsonNumber, numericPageToken } from "../kit"
import { SHOPEE_LIMITS } from "./limits"
import { mapListings } from "./mapping"
import type { ShopeeBatchUpdate, ShopeeModelList } from "./schemas"

const ITEM_PAGE_SIZE = 100
/** Items that exist and can sell or be re-listed; banned and deleted ones have nothing to sync. */
const LISTED_STATUSES = ["NORMAL", "UNLIST"]

/** get_item_list -> get_item_base_info (50 per call) -> get_model_list for items with variations. */
export async function listListings(
  client: ShopeeClient,
  session: ShopSession,
  input: { page_token?: string | null }
): Promise<Page<MarketplaceListing>> {
  const offset = numericPageToken(input.page_token)
  if (offset === null) {
    throw new ShopeeValidationError(`Invalid Shopee listings page token: ${input.page_token}`)
  }
  const page = await client.getItemList(session, { offset, pageSize: ITEM_PAGE_SIZE, statuses: LISTED_STATUSES })
  const itemIds = (page.response.item ?? []).map((i) => i.item_id)
  const listings: MarketplaceListing[] = []
  for (const batch of chunk(itemIds, 50)) {
    const info = await client.getItemBaseInfo(session, batch)
    for (const item of info.response.item_list ?? []) {
      let models: ShopeeModelList | null = null
      if (item.has_model) {
        models = (await client.getModelList(session, item.item_id)).response
      }
      listings.push(...mapListings(item, models))
    }
  }
  const next = page.response.next_offset
  return {
    items: listings,
    next_page_token: page.response.has_next_page && next != null ? String(next) : null,
  }
}

interface Unit {
  external_item_id: string
  external_model_id: string
}

const modelKey = (modelId: string): string => modelId || "0"

/** Per-unit results from success_list / failure_list. */
function resultsFrom(units: Unit[], answer: ShopeeBatchUpdate | undefined): PushResult[] {
  const failures = new Map((answer?.response?.failure_list ?? []).map((f) => [f.model_id, f.failed_reason ?? "failed"]))
  const successes = new Set((answer?.response?.success_list ?? []).map((s) => s.model_id))
  return units.map(({ external_item_id, external_model_id }) => {
    const ids = { external_item_id, external_model_id }
    const key = modelKey(external_model_id)
    if (failures.has(key)) {
      return { ...ids, ok: false, retryable: false, error: failures.get(key) ?? "failed" }
    }
    if (successes.has(key)) {
      return { ...ids, ok: true }
    }
    return { ...ids, ok: false, retryable: true, error: "Shopee did not report this model" }
  })
}

/**
 * Shared by stock and price: group by item (one item per call), at most 50 models per call, one result per unit.
 * Token / signature failures are thrown (the connection is at fault); retryable failures stop the run (the next
 * calls would hit the same wall) and mark the rest retryable; other failures only fail their call's units.
 */
async function pushGrouped<U extends Unit>(
  units: U[],
  send: (itemId: string, group: U[]) => Promise<ShopeeBatchUpdate>,
  batchSize: number
): Promise<PushResult[]> {
  const byItem = new Map<string, U[]>()
  for (const unit of units) {
    byItem.set(unit.external_item_id, [...(byItem.get(unit.external_item_id) ?? []), unit])
  }
  const results: PushResult[] = []
  let stopped: ShopeeError | null = null
  for (const [itemId, itemUnits] of byItem) {
    for (const group of chunkByModel(itemUnits, batchSize)) {
      if (stopped) {
        results.push(...group.map((u) => failed(u, stopped as ShopeeError, true)))
        continue
      }
      try {
        results.push(...resultsFrom(group, await send(itemId, group)))
      } catch (error) {
        if (!(error instanceof ShopeeError) || error.kind === "auth" || error.kind === "signature") {
          throw error
        }
        const retryable = error.kind === "rate_limit" || error.kind === "server" || error.kind === "network"
        const perUnit = (error.body as ShopeeBatchUpdate | undefined)?.response?.failure_list
        if (!retryable && perUnit?.length) {
          // e.g. error_busi_update_stock_failed: "check failure_list for detailed reason"
          results.push(...resultsFrom(group, error.body as ShopeeBatchUpdate))
        } else {
          results.push(...group.map((u) => failed(u, error, retryable)))
        }
        if (retryable) {
          stopped = error
        }
      }
    }
  }
  return results
}

/** Chunks by distinct model (a model with several locations stays in one call). */
function chunkByModel<U extends Unit>(units: U[], size: number): U[][] {
  const models = [...new Set(units.map((u) => modelKey(u.external_model_id)))]
  return chunk(models, size).map((keys) => units.filter((u) => keys.includes(modelKey(u.external_model_id))))
}

function failed(unit: Unit, error: ShopeeError, retryable: boolean): PushResult {
  return {
    external_item_id: unit.external_item_id,
    external_model_id: unit.external_model_id,
    ok: false,
    retryable,
    error: error.message,
  }
}

/** The last update per key wins: Shopee refuses a model twice in one call ("Repeat model_id"). */
function lastPerKey<T>(updates: T[], key: (u: T) => string): T[] {
  return [...new Map(updates.map((u) => [key(u), u])).values()]
}

/** update_stock: seller_stock per model (per location when the shop has several). */
export function pushStock(client: ShopeeClient, session: ShopSession, all: StockUpdate[]): Promise<PushResult[]> {
  const updates = lastPerKey(all, (u) => `${u.external_item_id}:${modelKey(u.external_model_id)}:${u.external_location_id ?? ""}`)
  const invalid = updates.filter((u) => !Number.isInteger(u.quantity) || u.quantity < 0)
  const valid = updates.filter((u) => !invalid.includes(u))
  return pushGrouped(
    valid,
    (itemId, group) => {
      const byModel = new Map<string, StockUpdate[]>()
      for (const u of group) {
        byModel.set(modelKey(u.external_model_id), [...(byModel.get(modelKey(u.external_model_id)) ?? []), u])
      }
      return client.updateStock(session, {
        item_id: new JsonNumber(itemId),
        stock_list: [...byModel].map(([modelId, rows]) => ({
          model_id: new JsonNumber(modelId),
          seller_stock: rows.map((r) =>
            r.external_location_id ? { location_id: r.external_location_id, stock: r.quantity } : { stock: r.quantity }
          ),
        })),
      })
    },
    SHOPEE_LIMITS.stock_batch
  ).then((results) => [
    ...results,
    ...invalid.map((u) => ({
      external_item_id: u.external_item_id,
      external_model_id: u.external_model_id,
      ok: false,
      retryable: false,
      error: `Stock must be a whole number >= 0, got ${u.quantity}`,
    })),
  ])
}

/** update_price: original_price per model, written as the exact decimal literal. */
export function pushPrice(client: ShopeeClient, session: ShopSession, all: PriceUpdate[]): Promise<PushResult[]> {
  const updates = lastPerKey(all, (u) => `${u.external_item_id}:${modelKey(u.external_model_id)}`)
  const invalid = updates.filter((u) => !isDecimal(u.price) || u.price.startsWith("-"))
  const valid = updates.filter((u) => !invalid.includes(u))
  return pushGrouped(
    valid,
    (itemId, group) =>
      client.updatePrice(session, {
        item_id: new JsonNumber(itemId),
        price_list: group.map((u) => ({
          model_id: new JsonNumber(modelKey(u.external_model_id)),
          original_price: new JsonNumber(u.price),
        })),
      }),
    SHOPEE_LIMITS.price_batch
  ).then((results) => [
    ...results,
    ...invalid.map((u) => ({
      external_item_id: u.external_item_id,
      external_model_id: u.external_model_id,
      ok: false,
      retryable: false,
      error: `Price must be a positive decimal, got "${u.price}"`,
    })),
  ])
}
