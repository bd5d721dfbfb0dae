import { chunk, numericPageToken } from "../kit"
import type { MarketplaceListing, Page, PriceUpdate, PushResult, StockUpdate } from "../types"
import { LazadaError } from "./errors"
import type { LazadaHttp, LazadaScope } from "./http"
import { LAZADA_LIMITS } from "./limits"
import { LAZADA_CURRENCIES } from "./regions"
import { envelopeSchema, priceQuantityDetailSchema, productsAnswerSchema } from "./schemas"

const PRODUCTS_PAGE = 50

/** GetProducts, every status (`filter=all`), 50 a page by offset (the docs cap it at 10000). */
export async function listListings(
  http: LazadaHttp,
  scope: LazadaScope & { kind: "shop" },
  country: string | null,
  pageToken: string | null | undefined
): Promise<Page<MarketplaceListing>> {
  const offset = numericPageToken(pageToken, 0) ?? 0
  const answer = await http.call({
    method: "GET",
    apiPath: "/products/get",
    scope,
    params: { filter: "all", offset, limit: PRODUCTS_PAGE },
    schema: productsAnswerSchema,
    idempotent: true,
  })
  const products = answer.data.products ?? []
  const currency = country ? (LAZADA_CURRENCIES[country] ?? null) : null
  const items = products.flatMap((p) =>
    (p.skus ?? []).map((s) => ({
      external_item_id: p.item_id,
      external_model_id: s.SkuId,
      sku: s.SellerSku ?? null,
      title: p.attributes?.name ?? s.SellerSku ?? p.item_id,
      variant_title: s.Variation || null,
      price: s.price ?? null,
      currency_code: currency,
      stock: s.quantity ?? null,
      status: s.Status ?? p.status ?? null,
    }))
  )
  const next = offset + products.length
  const total = answer.data.total_products ?? 0
  return { items, next_page_token: products.length === PRODUCTS_PAGE && next < total ? String(next) : null }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[ch] as string)
}

/**
 * The UpdatePriceQuantity payload (docId 121234): `<Request><Product><Skus><Sku>...` with ItemId and SkuId per SKU
 * and the fields being set. `Quantity` is the SKU's total sellable stock.
 */
export function priceQuantityPayload(skus: { item_id: string; sku_id: string; quantity?: number; price?: string }[]): string {
  const rows = skus
    .map((s) => {
      const fields = [`<ItemId>${escapeXml(s.item_id)}</ItemId>`, `<SkuId>${escapeXml(s.sku_id)}</SkuId>`]
      if (s.price !== undefined) fields.push(`<Price>${escapeXml(s.price)}</Price>`)
      if (s.quantity !== undefined) fields.push(`<Quantity>${s.quantity}</Quantity>`)
      return `<Sku>${fields.join("")}</Sku>`
    })
    .join("")
  return `<?xml version="1.0" encoding="UTF-8" ?><Request><Product><Skus>${rows}</Skus></Product></Request>`
}

/**
 * One UpdatePriceQuantity call per 50 SKUs. A call whose SKUs partly failed answers code 501 with a `detail` row per
 * failed SKU: those fail, the others succeeded. Any other failure fails the whole batch (retryable when the kind is).
 */
async function pushPriceQuantity(
  http: LazadaHttp,
  scope: LazadaScope & { kind: "shop" },
  skus: { item_id: string; sku_id: string; quantity?: number; price?: string }[]
): Promise<PushResult[]> {
  const results: PushResult[] = []
  for (const batch of chunk(skus, LAZADA_LIMITS.stock_batch)) {
    const ok = (s: (typeof batch)[number]): PushResult => ({ external_item_id: s.item_id, external_model_id: s.sku_id, ok: true })
    try {
      await http.call({
        method: "POST",
        apiPath: "/product/price_quantity/update",
        scope,
        params: { payload: priceQuantityPayload(batch) },
        schema: envelopeSchema,
        // Absolute values: sending twice sets the same.
        idempotent: true,
      })
      results.push(...batch.map(ok))
    } catch (error) {
      const detail =
        error instanceof LazadaError && error.code === "501"
          ? priceQuantityDetailSchema.safeParse((error.body as { detail?: unknown } | undefined)?.detail)
          : null
      if (!detail || !detail.success) throw error
      for (const s of batch) {
        const failed = detail.data.find((d) => d.sku_id === s.sku_id || (!d.sku_id && d.item_id === s.item_id))
        results.push(failed ? { ...ok(s), ok: false, retryable: false, error: failed.message ?? "Update product failed" } : ok(s))
      }
    }
  }
  return results
}

export function pushStock(http: LazadaHttp, scope: LazadaScope & { kind: "shop" }, updates: StockUpdate[]): Promise<PushResult[]> {
  return pushPriceQuantity(http, scope, updates.map((u) => ({ item_id: u.external_item_id, sku_id: u.external_model_id, quantity: u.quantity })))
}

export function pushPrice(http: LazadaHttp, scope: LazadaScope & { kind: "shop" }, updates: PriceUpdate[]): Promise<PushResult[]> {
  return pushPriceQuantity(http, scope, updates.map((u) => ({ item_id: u.external_item_id, sku_id: u.external_model_id, price: u.price })))
}
