import { createDataTableFilterHelper } from "@medusajs/ui"
import { useMemo } from "react"
import { useConnections } from "../lib/hooks"

/** The connected shops as a `useDataTable` filter option list (one shop at a time), for the lists of the screens. */
export function useShopFilterOptions() {
  const connections = useConnections({ limit: 100, offset: 0 })
  return useMemo(
    () =>
      (connections.data?.connections ?? []).map((c) => ({
        label: `${c.name ?? c.external_shop_id} (${c.platform})`,
        value: c.id,
      })),
    [connections.data]
  )
}

/** A `connection_id` filter, the same on every list. */
export function shopFilter<T>(options: { label: string; value: string }[]) {
  return createDataTableFilterHelper<T>().accessor("connection_id" as never, { type: "select", label: "Shop", options })
}

/** The shop a list's filters name, when exactly one. */
export const selectedShop = (filtering: Record<string, unknown>) => {
  const value = filtering.connection_id
  return typeof value === "string" && value ? value : Array.isArray(value) && value.length === 1 ? String(value[0]) : null
}
