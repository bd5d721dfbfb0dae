import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import { PUSH_STOCK, pushKey } from "../../../lib/push-tasks"
import { warehouseMappings } from "../utils/stock-values"
import type { TaskToEnqueue } from "../../tasks/steps/enqueue-tasks"

export type ResolveStockListingsStepInput = {
  /** Inventory levels that changed (stocked or reserved quantity). */
  inventory_level_ids?: string[]
  /** Reservations created, changed or released (by any order). */
  reservation_ids?: string[]
  /** Inventory items that changed at every location. */
  inventory_item_ids?: string[]
  /** Listings to push regardless of the source of the change (manual link, reconcile, retry). */
  listing_ids?: string[]
  reason?: string
}

type ConnectionRow = {
  id: string
  status: string
  settings: ConnectionSettings | null
  stock_location?: { id: string } | null
  warehouses?: { stock_location_id: string; external_warehouse_id: string | null }[] | null
}
type LevelRow = { inventory_item_id: string; location_id: string }
type ItemRow = { id: string; variants?: { id: string }[] | null }
type VariantRow = { id: string; listings?: { id: string; connection_id: string; match_status: string }[] | null }
type ListingRow = { id: string; connection_id: string; match_status: string }

export const resolveStockListingsStepId = "resolve-marketplace-stock-listings"

/**
 * Finds the listings whose pushed stock a change affects: the change's inventory item -> its variants ->
 * their matched listings, in the active connections (stock sync on) that count the location where the change
 * happened (their warehouses' locations, or their stock location). Event payloads carry only ids, so everything is looked up. Reads only.
 *
 * @example
 * const tasks = resolveStockListingsStep({ inventory_level_ids: ["ilev_123"], reason: "inventory.inventory-level.updated" })
 */
export const resolveStockListingsStep = createStep(
  resolveStockListingsStepId,
  async (input: ResolveStockListingsStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const tasks: TaskToEnqueue[] = []
    const task = (connectionId: string, listingId: string): TaskToEnqueue => ({
      kind: PUSH_STOCK,
      connection_id: connectionId,
      listing_id: listingId,
      coalescing_key: pushKey(PUSH_STOCK, connectionId, listingId),
      reason: input.reason,
    })

    const { data: connectionRows } = await query.graph({
      entity: "connection",
      fields: ["id", "status", "settings", "stock_location.id", "warehouses.stock_location_id", "warehouses.external_warehouse_id"],
      filters: { status: "active" },
    })
    const connections = (connectionRows as unknown as ConnectionRow[]).filter((c) => c.settings?.sync_stock !== false)
    if (!connections.length) {
      return new StepResponse(tasks)
    }
    const pushing = new Set(connections.map((c) => c.id))

    if (input.listing_ids?.length) {
      const { data } = await query.graph({
        entity: "listing",
        fields: ["id", "connection_id", "match_status"],
        filters: { id: input.listing_ids },
      })
      for (const listing of data as unknown as ListingRow[]) {
        if (listing.match_status === "matched" && pushing.has(listing.connection_id)) {
          tasks.push(task(listing.connection_id, listing.id))
        }
      }
    }

    // inventory item -> the locations where it changed (null: every location)
    const changes = new Map<string, Set<string> | null>()
    for (const id of input.inventory_item_ids ?? []) {
      changes.set(id, null)
    }
    if (input.inventory_level_ids?.length) {
      const { data } = await query.graph({
        entity: "inventory_level",
        fields: ["inventory_item_id", "location_id"],
        filters: { id: input.inventory_level_ids },
      })
      for (const level of data as unknown as LevelRow[]) {
        const locations = changes.get(level.inventory_item_id)
        if (locations === null) {
          continue
        }
        changes.set(level.inventory_item_id, new Set([...(locations ?? []), level.location_id]))
      }
    }
    if (input.reservation_ids?.length) {
      // A released reservation is soft-deleted: read it anyway.
      const { data } = await query.graph({
        entity: "reservation_item",
        fields: ["inventory_item_id", "location_id"],
        filters: { id: input.reservation_ids },
        withDeleted: true,
      })
      for (const reservation of data as unknown as LevelRow[]) {
        const locations = changes.get(reservation.inventory_item_id)
        if (locations === null) {
          continue
        }
        changes.set(reservation.inventory_item_id, new Set([...(locations ?? []), reservation.location_id]))
      }
    }
    if (!changes.size) {
      return new StepResponse(tasks)
    }

    const { data: itemRows } = await query.graph({
      entity: "inventory_item",
      fields: ["id", "variants.id"],
      filters: { id: [...changes.keys()] },
    })
    const variantLocations = new Map<string, Set<string> | null>()
    for (const item of itemRows as unknown as ItemRow[]) {
      for (const variant of item.variants ?? []) {
        const locations = changes.get(item.id) ?? null
        const known = variantLocations.get(variant.id)
        variantLocations.set(
          variant.id,
          known === null || locations === null ? null : new Set([...(known ?? []), ...locations])
        )
      }
    }
    if (!variantLocations.size) {
      return new StepResponse(tasks)
    }

    const { data: variantRows } = await query.graph({
      entity: "product_variant",
      fields: ["id", "listings.id", "listings.connection_id", "listings.match_status"],
      filters: { id: [...variantLocations.keys()] },
    })
    const locationsOf = new Map(
      connections.map((c) => [c.id, warehouseMappings(c).flatMap((w) => w.location_ids)])
    )
    for (const variant of variantRows as unknown as VariantRow[]) {
      const locations = variantLocations.get(variant.id)
      for (const listing of variant.listings ?? []) {
        if (listing.match_status !== "matched" || !pushing.has(listing.connection_id)) {
          continue
        }
        const mapped = locationsOf.get(listing.connection_id) ?? []
        // A connection without a stock location still gets its task: it fails visibly (the zero guard).
        if (mapped.length && locations && !mapped.some((location) => locations.has(location))) {
          continue
        }
        tasks.push(task(listing.connection_id, listing.id))
      }
    }
    return new StepResponse(tasks)
  }
)
