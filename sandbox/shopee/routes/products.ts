import { ok, shopOf, type ApiRequest, type ApiRoute } from "../api"
import type { ShopeeSandboxCore } from "../core"
import { businessError, wrongParam } from "../errors"
import { sellableSku } from "../generate"
import { roundMoney } from "../../kit/money"
import { asInt, asRecord, bodyArray, bodyInt, queryInt, queryList } from "../params"
import { ITEM_STATUSES, type SandboxItem, type SandboxModel, type SandboxShop } from "../types"

/** v2.product.get_item_list, get_item_base_info, get_model_list, update_stock, update_price. */

function priceInfo(model: SandboxModel, currency: string): Record<string, unknown>[] {
  return [
    {
      currency,
      original_price: model.original_price,
      current_price: model.original_price,
      inflated_price_of_original_price: model.original_price,
      inflated_price_of_current_price: model.original_price,
    },
  ]
}

function stockInfo(shop: SandboxShop, model: SandboxModel): Record<string, unknown> {
  return {
    summary_info: { total_reserved_stock: model.reserved_stock, total_available_stock: model.stock },
    seller_stock: [{ location_id: shop.warehouses[0] ?? "", stock: model.stock, if_saleable: true }],
    shopee_stock: [],
  }
}

export const getItemList: ApiRoute = {
  method: "GET",
  path: "/api/v2/product/get_item_list",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const offset = queryInt(req.query, "offset", true)
    const pageSize = queryInt(req.query, "page_size", true)
    if (offset < 0) throw wrongParam("offset should be >= 0")
    if (pageSize < 1 || pageSize > 100) throw wrongParam("page_size should be between 1 and 100")
    const statuses = queryList(req.query, "item_status")
    if (statuses.length === 0) throw wrongParam("item_status is a required field")
    if (!statuses.every((s) => (ITEM_STATUSES as readonly string[]).includes(s))) {
      throw businessError("error_param_item_status", "Item status error.")
    }
    const from = queryInt(req.query, "update_time_from")
    const to = queryInt(req.query, "update_time_to")
    if (from !== undefined && to !== undefined && from > to) {
      throw businessError("error_update_time_range", "Update_time_to should be later than update_time_from.")
    }
    // item_id order keeps offsets stable while stock pushes keep changing update_time.
    const matching = [...core.state.items.values()]
      .filter((i) => i.shop_id === shop.shop_id && statuses.includes(i.item_status))
      .filter((i) => (from === undefined || i.update_time >= from) && (to === undefined || i.update_time <= to))
      .sort((a, b) => a.item_id - b.item_id)
    const page = matching.slice(offset, offset + pageSize)
    return ok({
      item: page.map((i) => ({ item_id: i.item_id, item_status: i.item_status, update_time: i.update_time, tag: { kit: false } })),
      total_count: matching.length,
      has_next_page: offset + pageSize < matching.length,
      next_offset: offset + page.length,
    })
  },
}

export const getItemBaseInfo: ApiRoute = {
  method: "GET",
  path: "/api/v2/product/get_item_base_info",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const ids = queryList(req.query, "item_id_list")
    if (ids.length === 0) throw wrongParam("item_id_list is a required field")
    if (ids.length > 50) throw wrongParam("item_id_list should contain at most 50 item_id")
    if (!ids.every((id) => /^\d+$/.test(id))) throw wrongParam("item_id_list should be a list of integers")
    const items = ids
      .map((id) => core.state.items.get(Number(id)))
      .filter((i): i is SandboxItem => i !== undefined && i.shop_id === shop.shop_id)
    return ok({
      item_list: items.map((item) => {
        const view: Record<string, unknown> = {
          item_id: item.item_id,
          category_id: item.category_id,
          item_name: item.item_name,
          description: item.description,
          item_sku: item.item_sku,
          create_time: item.create_time,
          update_time: item.update_time,
          attribute_list: [],
          image: { image_url_list: [], image_id_list: [] },
          weight: item.weight.toFixed(2),
          dimension: { package_length: 20, package_width: 15, package_height: 5 },
          logistic_info: [],
          pre_order: { is_pre_order: false, days_to_ship: 2 },
          condition: "NEW",
          size_chart: "",
          item_status: item.item_status,
          deboost: false,
          has_model: item.has_model,
          promotion_id: 0,
          brand: { brand_id: 0, original_brand_name: "NoBrand" },
          item_dangerous: 0,
          tag: { kit: false },
        }
        // Documented: with models, price (and stock) live on get_model_list instead.
        if (!item.has_model) {
          view.price_info = priceInfo(item.models[0], shop.currency)
          view.stock_info_v2 = stockInfo(shop, item.models[0])
        }
        return view
      }),
    })
  },
}

export const getModelList: ApiRoute = {
  method: "GET",
  path: "/api/v2/product/get_model_list",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const item = shopItem(req, core, queryInt(req.query, "item_id", true))
    return ok({
      tier_variation: item.tier_variation,
      model: item.has_model
        ? item.models.map((m) => ({
            model_id: m.model_id,
            model_sku: m.model_sku,
            model_status: "MODEL_NORMAL",
            tier_index: m.tier_index,
            promotion_id: 0,
            has_promotion: false,
            price_info: priceInfo(m, shop.currency),
            stock_info_v2: stockInfo(shop, m),
            pre_order: { is_pre_order: false, days_to_ship: 2 },
            weight: m.weight.toFixed(2),
          }))
        : [],
      standardise_tier_variation: [],
    })
  },
}

function shopItem(req: ApiRequest, core: ShopeeSandboxCore, itemId: number): SandboxItem {
  const item = core.state.items.get(itemId)
  if (!item) throw businessError("error_item_not_found", "Item_id is not found.")
  if (item.shop_id !== shopOf(req).shop_id) throw businessError("error_item_not_belong_shop", "Item not belong to shop.")
  return item
}

/** update_stock / update_price share the "one item, up to 50 models, repeat = error" shape. */
function modelEntries(body: Record<string, unknown>, listName: string): Record<string, unknown>[] {
  const list = bodyArray(body, listName, true) ?? []
  if (list.length < 1 || list.length > 50) throw wrongParam(`${listName} length should be between 1 to 50`)
  const entries = list.map((entry) => asRecord(entry, listName))
  const ids = entries.map((e) => asInt(e.model_id, "model_id") ?? 0)
  if (new Set(ids).size !== ids.length) throw businessError("error_param", "Repeat model_id.")
  return entries
}

function findModel(item: SandboxItem, modelId: number): SandboxModel | string {
  if (item.has_model && modelId === 0) return "Can't to edit item stock directly while item has models."
  const model = item.models.find((m) => m.model_id === modelId)
  return model ?? "Wrong model_id."
}

export const updateStock: ApiRoute = {
  method: "POST",
  path: "/api/v2/product/update_stock",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const item = shopItem(req, core, bodyInt(req.body, "item_id", true))
    const receivedAt = core.state.nowMs()
    const failures: { model_id: number; failed_reason: string }[] = []
    const successes: { model_id: number; location_id: string; stock: number }[] = []
    for (const entry of modelEntries(req.body, "stock_list")) {
      const modelId = asInt(entry.model_id, "model_id") ?? 0
      const sellerStock = (Array.isArray(entry.seller_stock) ? entry.seller_stock : []).map((s) => asRecord(s, "seller_stock"))
      if (sellerStock.length === 0) throw businessError("error_param", "Wrong parameters, detail: seller_stock is a required field.")
      const model = findModel(item, modelId)
      for (const stockEntry of sellerStock) {
        const stock = asInt(stockEntry.stock, "stock", true) ?? 0
        const location = typeof stockEntry.location_id === "string" ? stockEntry.location_id : ""
        let reason: string | undefined
        if (typeof model === "string") reason = model
        else if (stock < 0) reason = "Stock should not be negative."
        else if (shop.warehouses.length > 0 && !shop.warehouses.includes(location)) {
          reason = location ? "The location_id input is not matched the shop's location_id(more/wrong). Please double check." : "Lack of location_id, please double check."
        } else if (stock < model.reserved_stock) reason = "Stock should be larger than reserved stock."
        // Every value received is recorded, accepted or not: benchmarks read when what arrived.
        core.state.stockHistory.push({
          shop_id: shop.shop_id,
          item_id: item.item_id,
          model_id: modelId,
          sku: typeof model === "string" ? "" : sellableSku(item, model),
          location_id: location,
          stock,
          received_at: receivedAt,
          accepted: reason === undefined,
          failed_reason: reason,
        })
        if (reason !== undefined || typeof model === "string") {
          failures.push({ model_id: modelId, failed_reason: reason ?? "" })
          continue
        }
        model.stock = stock
        successes.push({ model_id: modelId, location_id: location, stock })
      }
    }
    if (successes.length > 0) item.update_time = Math.max(core.state.nowSec(), item.update_time)
    const response = { failure_list: failures, success_list: successes }
    if (successes.length === 0) {
      throw businessError("error_busi_update_stock_failed", "Update stock failed, please check failure_list for detailed reason", { response })
    }
    return ok(response)
  },
}

export const updatePrice: ApiRoute = {
  method: "POST",
  path: "/api/v2/product/update_price",
  type: "shop",
  handle(req, core) {
    const shop = shopOf(req)
    const item = shopItem(req, core, bodyInt(req.body, "item_id", true))
    const receivedAt = core.state.nowMs()
    const failures: { model_id: number; failed_reason: string }[] = []
    const successes: { model_id: number; original_price: number }[] = []
    for (const entry of modelEntries(req.body, "price_list")) {
      const modelId = asInt(entry.model_id, "model_id") ?? 0
      const price = entry.original_price
      if (typeof price !== "number" || !Number.isFinite(price)) throw businessError("error_param", "Wrong parameters, detail: original_price should be a number.")
      const model = findModel(item, modelId)
      let reason: string | undefined
      if (typeof model === "string") reason = model.replace("stock", "price")
      else if (price <= 0) reason = "Original price should be larger than 0."
      else if (roundMoney(price, shop.currency) !== price) reason = `Price precision is not supported for ${shop.currency}.`
      core.state.priceHistory.push({
        shop_id: shop.shop_id,
        item_id: item.item_id,
        model_id: modelId,
        sku: typeof model === "string" ? "" : sellableSku(item, model),
        original_price: price,
        received_at: receivedAt,
        accepted: reason === undefined,
        failed_reason: reason,
      })
      if (reason !== undefined || typeof model === "string") {
        failures.push({ model_id: modelId, failed_reason: reason ?? "" })
        continue
      }
      model.original_price = price
      successes.push({ model_id: modelId, original_price: price })
    }
    if (successes.length > 0) item.update_time = Math.max(core.state.nowSec(), item.update_time)
    const response = { failure_list: failures, success_list: successes }
    if (successes.length === 0) {
      throw businessError("error_update_price_fail", "Update price failed, please try later.", { response })
    }
    return ok(response)
  },
}
