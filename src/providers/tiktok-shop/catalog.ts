import { chunk } from "../kit"
import type { MarketplaceListing, Page, PushResult, ShopSession, StockUpdate } from "../types"
import type { TiktokShopHttp } from "./http"
import { TIKTOK_SHOP_LIMITS } from "./limits"
import { inventoryUpdateDataSchema, productSearchDataSchema, type TiktokProductSearchData } from "./schemas"

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
