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
  /** The connection's warehouse mapping; none: its stock location feeds the shop. */
  warehouses?: { stock_location_id: string; external_warehouse_id: string | null }[] | null
  region?: { currency_code: string | null } | null
}

/** What one warehouse of the shop should show (`external_location_id` null: the shop as a whole). */
export type WarehouseStock = { external_location_id: string | null; quantity: number; available: number }

/** The value to push, or why nothing may be pushed. */
export type StockValue =
  /** `quantity` and `available` are the totals over the warehouses (what the shop shows in all). */
  | { ok: true; quantity: number; available: number; warehouses: WarehouseStock[] }
  | { ok: false; error: string }

/** One warehouse of the shop and the Medusa stock locations whose stock it shows. */
export type WarehouseMapping = { external_location_id: string | null; location_ids: string[] }

/**
 * The warehouses a connection pushes to and the locations feeding each: its warehouse rows, or, without any,
 * its linked stock location feeding the shop as a whole. Empty when it has neither.
 *
 * @example
 * warehouseMappings({ stock_location: { id: "sloc_1" }, warehouses: [] }) // [{ external_location_id: null, location_ids: ["sloc_1"] }]
 */
export function warehouseMappings(connection: Pick<PushConnection, "stock_location" | "warehouses">): WarehouseMapping[] {
  const rows = connection.warehouses ?? []
  if (!rows.length) {
    const location = connection.stock_location?.id
    return location ? [{ external_location_id: null, location_ids: [location] }] : []
  }
  const byWarehouse = new Map<string | null, string[]>()
  for (const row of rows) {
    const key = row.external_warehouse_id ?? null
    byWarehouse.set(key, [...(byWarehouse.get(key) ?? []), row.stock_location_id])
  }
  return [...byWarehouse].map(([external_location_id, location_ids]) => ({ external_location_id, location_ids }))
}

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
    fields: [
      "id",
      "platform",
      "status",
      "currency_code",
      "settings",
      "stock_location.id",
      "warehouses.stock_location_id",
      "warehouses.external_warehouse_id",
      "region.currency_code",
    ],
    filters: { id: connectionIds },
  })
  const rows = data as unknown as PushConnection[]
  return new Map(rows.map((row) => [row.id, row]))
}

type LevelRow = { inventory_item_id: string; location_id: string; stocked_quantity: number; reserved_quantity: number }

/**
 * The stock each listing of one connection should show, per warehouse: available (stocked - reserved) added
 * up over the warehouse's stock locations, over every inventory item of the variant (kits: the scarcest part
 * at each location), after the stock rules (applied per warehouse). Anything ambiguous (no stock location, no
 * level at a mapped location, no variant) is an error for the whole listing, never a zero: a
 * misconfiguration must not empty a warehouse.
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
  const warehouses = warehouseMappings(connection)
  if (!warehouses.length) {
    for (const listing of listings) {
      values.set(listing.id, {
        ok: false,
        error: `Connection ${connection.id} has no stock location (or it was deleted): stock not pushed`,
      })
    }
    return values
  }
  const locationIds = [...new Set(warehouses.flatMap((w) => w.location_ids))]

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
      filters: { inventory_item_id: itemIds, location_id: locationIds },
    })
    for (const row of data as unknown as LevelRow[]) {
      levels.set(`${row.inventory_item_id}:${row.location_id}`, row)
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
          ? total(
              warehouses.map((w) => ({
                external_location_id: w.external_location_id,
                quantity: applyStockRules(rules.max as number, rules),
                available: rules.max as number,
              }))
            )
          : { ok: false, error: `Variant ${variant.id} does not manage inventory: set a maximum in the stock rules to push one` }
      )
      continue
    }
    const parts = variant.inventory_items ?? []
    if (!parts.length) {
      values.set(listing.id, { ok: false, error: `Variant ${variant.id} has no inventory item: stock not pushed` })
      continue
    }
    const perWarehouse: WarehouseStock[] = []
    let error: string | null = null
    for (const warehouse of warehouses) {
      let available = 0
      for (const locationId of warehouse.location_ids) {
        let atLocation = Number.POSITIVE_INFINITY
        for (const part of parts) {
          const level = levels.get(`${part.inventory_item_id}:${locationId}`)
          if (!level) {
            error =
              `Inventory item ${part.inventory_item_id} of variant ${variant.id} has no level at stock location ${locationId}` +
              `${warehouse.external_location_id ? ` (warehouse ${warehouse.external_location_id})` : ""}: stock not pushed`
            break
          }
          const perUnit = Math.max(1, Number(part.required_quantity ?? 1))
          const free = Number(level.stocked_quantity) - Number(level.reserved_quantity)
          atLocation = Math.min(atLocation, Math.floor(free / perUnit))
        }
        if (error) break
        available += atLocation
      }
      if (error) break
      perWarehouse.push({
        external_location_id: warehouse.external_location_id,
        quantity: applyStockRules(available, rules),
        available,
      })
    }
    values.set(listing.id, error ? { ok: false, error } : total(perWarehouse))
  }
  return values
}

function total(warehouses: WarehouseStock[]): StockValue {
  return {
    ok: true,
    quantity: warehouses.reduce((sum, w) => sum + w.quantity, 0),
    available: warehouses.reduce((sum, w) => sum + w.available, 0),
    warehouses,
  }
}
