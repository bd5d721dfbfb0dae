import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { PushConnection, PushListing } from "./stock-values"

/** A price change larger than this share is held for confirmation unless the connection says otherwise. */
export const DEFAULT_PRICE_CHANGE_GUARD = 0.5

export type PriceValue =
  | { ok: true; price: string; previous: string | null; change: number | null; guard: number }
  | { ok: false; error: string }

type PriceRow = {
  amount: number | string
  currency_code: string
  rules_count?: number | null
  price_list_id?: string | null
  min_quantity?: number | string | null
}
type VariantPrices = { id: string; prices?: PriceRow[] | null }

/** A plain decimal literal without float noise ("19.9", "12"). */
export function toDecimalString(value: number | string): string {
  const n = typeof value === "number" ? value : Number(value)
  return String(Number(n.toFixed(6)))
}

/**
 * The price each listing of one connection should show: the variant's base price (no rules, no price list,
 * no minimum quantity) in the connection's currency, with the change from what the shop last got. No price
 * in that currency is an error, never a zero.
 *
 * @example
 * const values = await computePriceValues(container, connection, listings)
 */
export async function computePriceValues(
  container: MedusaContainer,
  connection: PushConnection,
  listings: PushListing[]
): Promise<Map<string, PriceValue>> {
  const values = new Map<string, PriceValue>()
  const currency = (connection.currency_code ?? connection.region?.currency_code ?? "").toLowerCase()
  const guard = connection.settings?.price_change_guard ?? DEFAULT_PRICE_CHANGE_GUARD
  const variantIds = [...new Set(listings.map((l) => l.product_variant?.id).filter((id): id is string => !!id))]
  const prices = new Map<string, PriceRow[]>()
  if (variantIds.length && currency) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "prices.amount", "prices.currency_code", "prices.rules_count", "prices.price_list_id", "prices.min_quantity"],
      filters: { id: variantIds },
    })
    for (const row of data as unknown as VariantPrices[]) {
      prices.set(row.id, row.prices ?? [])
    }
  }
  for (const listing of listings) {
    const variantId = listing.product_variant?.id
    if (listing.match_status !== "matched" || !variantId) {
      values.set(listing.id, { ok: false, error: `Listing ${listing.id} is not linked to a variant: price not pushed` })
      continue
    }
    if (!currency) {
      values.set(listing.id, { ok: false, error: `Connection ${connection.id} has no currency: price not pushed` })
      continue
    }
    const base = (prices.get(variantId) ?? []).find(
      (p) =>
        p.currency_code?.toLowerCase() === currency &&
        !p.price_list_id &&
        !Number(p.rules_count ?? 0) &&
        (p.min_quantity == null || Number(p.min_quantity) <= 1)
    )
    if (!base || !(Number(base.amount) > 0)) {
      values.set(listing.id, {
        ok: false,
        error: `Variant ${variantId} has no ${currency.toUpperCase()} price above zero: price not pushed`,
      })
      continue
    }
    const price = toDecimalString(base.amount)
    const previousRaw = listing.last_pushed_price ?? listing.external_price
    const previous = previousRaw == null ? null : toDecimalString(previousRaw)
    const change = previous && Number(previous) > 0 ? Math.abs(Number(price) - Number(previous)) / Number(previous) : null
    values.set(listing.id, { ok: true, price, previous, change, guard })
  }
  return values
}
