import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ConnectionSettings, StockRules } from "../../../modules/marketplace/types"
import { applyStockRules, effectiveStockRules } from "../../../lib/stock-rules"

/** What a push needs to know about a listing, read once per flush. */
export type PushListing = {
  id: string
  connection_id: string
  external_item_id: string
  external_model_id: string
  match_status: string
  stock_rules: StockRules | null
  external_price: number | null
  external_stock: number | null
  last_pushed_price: number | null
  last_pushed_stock: number | null
  product_variant?: {
    id: string
    manage_inventory: boolean | null
    inventory_items?: { inventory_item_id: string; required_quantity: number | null }[] | null
  } | null
}

/** A connection as a push needs it. */
export type PushConnection = {
  id: string
  platform: string
  status: string
  currency_code: string | null
  settings: ConnectionSettings | null
  stock_location?: { id: string } | null
  region?: { currency_code: string | null } | null
}

/** The value to push, or why nothing may be pushed. */
export type StockValue =
  | { ok: true; quantity: number; available: number }
  | { ok: false; error: string }

export async function loadPushListings(container: MedusaContainer, listingIds: string[]): Promise<Map<string, PushListing>> {
  if (!listingIds.length) {
    return new Map()
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "listing",
    fields: [
      "id",
      "connection_id",
      "external_item_id",
      "external_model_id",
      "match_status",
      "stock_rules",
      "external_price",
      "external_stock",
      "last_pushed_price",
      "last_pushed_stock",
      "product_variant.id",
      "product_variant.manage_inventory",
      "product_variant.inventory_items.inventory_item_id",
      "product_variant.inventory_items.required_quantity",
    ],
    filters: { id: listingIds },
  })
  const rows = data as unknown as PushListing[]
  return new Map(rows.map((row) => [row.id, row]))
}

export async function loadPushConnections(
  container: MedusaContainer,
  connectionIds: string[]
): Promise<Map<string, PushConnection>> {
  if (!connectionIds.length) {
    return new Map()
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "connection",
    fields: ["id", "platform", "status", "currency_code", "settings", "stock_location.id", "region.currency_code"],
    filters: { id: connectionIds },
  })
  const rows = data as unknown as PushConnection[]
  return new Map(rows.map((row) => [row.id, row]))
}

type LevelRow = { inventory_item_id: string; location_id: string; stocked_quantity: number; reserved_quantity: number }

/**
 * The stock each listing of one connection should show: available (stocked - reserved) at the connection's
 * stock location, over every inventory item of the variant (kits: the scarcest part), after the stock rules.
 * Anything ambiguous (no stock location, no level at it, no variant) is an error, never a zero: a
 * misconfiguration must not empty a shop.
 *
 * @example
 * const values = await computeStockValues(container, connection, listings)
 */
export async function computeStockValues(
  container: MedusaContainer,
  connection: PushConnection,
  listings: PushListing[]
): Promise<Map<string, StockValue>> {
  const values = new Map<string, StockValue>()
  const locationId = connection.stock_location?.id
  if (!locationId) {
    for (const listing of listings) {
      values.set(listing.id, {
        ok: false,
        error: `Connection ${connection.id} has no stock location (or it was deleted): stock not pushed`,
      })
    }
    return values
  }

  const itemIds = [
    ...new Set(
      listings.flatMap((l) => (l.product_variant?.inventory_items ?? []).map((i) => i.inventory_item_id))
    ),
  ]
  const levels = new Map<string, LevelRow>()
  if (itemIds.length) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "inventory_level",
      fields: ["inventory_item_id", "location_id", "stocked_quantity", "reserved_quantity"],
      filters: { inventory_item_id: itemIds, location_id: locationId },
    })
    for (const row of data as unknown as LevelRow[]) {
      levels.set(row.inventory_item_id, row)
    }
  }

  const connectionRules = connection.settings?.stock_rules
  for (const listing of listings) {
    const variant = listing.product_variant
    if (listing.match_status !== "matched" || !variant) {
      values.set(listing.id, { ok: false, error: `Listing ${listing.id} is not linked to a variant: stock not pushed` })
      continue
    }
    const rules = effectiveStockRules(connectionRules, listing.stock_rules)
    if (variant.manage_inventory === false) {
      values.set(
        listing.id,
        rules.max != null
          ? { ok: true, quantity: applyStockRules(rules.max, rules), available: rules.max }
          : { ok: false, error: `Variant ${variant.id} does not manage inventory: set a maximum in the stock rules to push one` }
      )
      continue
    }
    const parts = variant.inventory_items ?? []
    if (!parts.length) {
      values.set(listing.id, { ok: false, error: `Variant ${variant.id} has no inventory item: stock not pushed` })
      continue
    }
    let available = Number.POSITIVE_INFINITY
    let missing: string | null = null
    for (const part of parts) {
      const level = levels.get(part.inventory_item_id)
      if (!level) {
        missing = part.inventory_item_id
        break
      }
      const perUnit = Math.max(1, Number(part.required_quantity ?? 1))
      const free = Number(level.stocked_quantity) - Number(level.reserved_quantity)
      available = Math.min(available, Math.floor(free / perUnit))
    }
    if (missing) {
      values.set(listing.id, {
        ok: false,
        error: `Inventory item ${missing} of variant ${variant.id} has no level at stock location ${locationId}: stock not pushed`,
      })
      continue
    }
    values.set(listing.id, { ok: true, quantity: applyStockRules(available, rules), available })
  }
  return values
}
