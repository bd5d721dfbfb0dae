import { chunk } from "../kit"
import type { MarketplaceListing, Page, PriceUpdate, PushResult, ShopSession, StockUpdate } from "../types"
import type { TiktokShopHttp } from "./http"
import { TIKTOK_SHOP_LIMITS } from "./limits"
import { TiktokShopValidationError } from "./errors"
import { inventoryUpdateDataSchema, productSearchDataSchema, type TiktokProductSearchData } from "./schemas"

/** The currency of a shop's region (a price update names it). */
const REGION_CURRENCY: Record<string, string> = {
  ID: "IDR",
  MY: "MYR",
  SG: "SGD",
  TH: "THB",
  PH: "PHP",
  VN: "VND",
  US: "USD",
  GB: "GBP",
}

export function toListings(data: TiktokProductSearchData): MarketplaceListing[] {
  return data.products.flatMap((product) =>
    product.skus.map((sku) => ({
      external_item_id: product.id,
      external_model_id: sku.id,
      sku: sku.seller_sku || null,
      title: product.title ?? `Product ${product.id}`,
      variant_title: null,
      price: sku.price?.sale_price ?? sku.price?.tax_exclusive_price ?? null,
      currency_code: sku.price?.currency?.toLowerCase() ?? null,
      stock: sku.inventory ? sku.inventory.reduce((sum, w) => sum + w.quantity, 0) : null,
      status: product.status ?? null,
    }))
  )
}

export async function listListings(http: TiktokShopHttp, session: ShopSession, pageToken: string | null | undefined): Promise<Page<MarketplaceListing>> {
  const data = await http.call({
    method: "POST",
    path: "/product/202309/products/search",
    scope: { kind: "shop", session },
    query: { page_size: 100, page_token: pageToken || undefined },
    body: { status: "ACTIVATE" },
    schema: productSearchDataSchema,
    idempotent: true,
  })
  return { items: toListings(data), next_page_token: data.next_page_token || null }
}

/**
 * One inventory call per product: its SKUs, each with every warehouse the update names. A success code with
 * `data.errors[]` is a partial failure: the SKUs named there failed.
 */
export async function pushStock(http: TiktokShopHttp, session: ShopSession, updates: StockUpdate[]): Promise<PushResult[]> {
  const byProduct = new Map<string, StockUpdate[]>()
  for (const u of updates) byProduct.set(u.external_item_id, [...(byProduct.get(u.external_item_id) ?? []), u])
  const results: PushResult[] = []
  for (const [productId, list] of byProduct) {
    for (const part of chunk(list, TIKTOK_SHOP_LIMITS.stock_batch)) {
      const skus = new Map<string, { warehouse_id?: string; quantity: number }[]>()
      for (const u of part) {
        const inv = skus.get(u.external_model_id) ?? []
        inv.push({ ...(u.external_location_id ? { warehouse_id: u.external_location_id } : {}), quantity: Math.max(0, u.quantity) })
        skus.set(u.external_model_id, inv)
      }
      const data = await http.call({
        method: "POST",
        path: `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`,
        scope: { kind: "shop", session },
        body: { skus: [...skus].map(([id, inventory]) => ({ id, inventory })) },
        schema: inventoryUpdateDataSchema,
        // Absolute quantities: sending twice sets the same values.
        idempotent: true,
      })
      const failed = new Map<string, string>()
      for (const e of data?.errors ?? []) {
        if (e.detail?.sku_id) failed.set(e.detail.sku_id, `${e.code ?? ""}: ${e.message ?? "failed"}`)
      }
      for (const u of part) {
        const error = failed.get(u.external_model_id)
        results.push({ external_item_id: productId, external_model_id: u.external_model_id, ok: !error, error: error ?? null })
      }
    }
  }
  return results
}

/** Failures named in `data.errors[]` by SKU id; a code 0 answer alone is not success. */
function failuresOf(data: { errors?: { code?: string | null; message?: string | null; detail?: { sku_id?: string | null } | null }[] | null } | null | undefined): Map<string, string> {
  const failed = new Map<string, string>()
  for (const e of data?.errors ?? []) {
    if (e.detail?.sku_id) failed.set(e.detail.sku_id, `${e.code ?? ""}: ${e.message ?? "failed"}`)
  }
  return failed
}

/** One price call per product (its SKUs, at most 50 a call), in the shop's currency. */
export async function pushPrice(http: TiktokShopHttp, session: ShopSession, updates: PriceUpdate[]): Promise<PushResult[]> {
  const currency = REGION_CURRENCY[(session.region ?? "").toUpperCase()]
  if (!currency) {
    throw new TiktokShopValidationError(`TikTok Shop shop ${session.shop_id} has no known region: cannot name the price's currency`)
  }
  const byProduct = new Map<string, PriceUpdate[]>()
  for (const u of updates) byProduct.set(u.external_item_id, [...(byProduct.get(u.external_item_id) ?? []), u])
  const results: PushResult[] = []
  for (const [productId, list] of byProduct) {
    for (const part of chunk(list, TIKTOK_SHOP_LIMITS.price_batch)) {
      const data = await http.call({
        method: "POST",
        path: `/product/202309/products/${encodeURIComponent(productId)}/prices/update`,
        scope: { kind: "shop", session },
        body: { skus: part.map((u) => ({ id: u.external_model_id, price: { amount: u.price, currency } })) },
        schema: inventoryUpdateDataSchema,
        // An absolute price: sending it twice sets the same value.
        idempotent: true,
      })
      const failed = failuresOf(data)
      for (const u of part) {
        const error = failed.get(u.external_model_id)
        results.push({ external_item_id: productId, external_model_id: u.external_model_id, ok: !error, error: error ?? null })
      }
    }
  }
  return results
}
