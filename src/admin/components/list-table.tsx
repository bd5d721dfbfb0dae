import {
  DataTable,
  Heading,
  Text,
  type DataTableFilteringState,
  type DataTablePaginationState,
  type UseDataTableReturn,
} from "@medusajs/ui"
import type { ReactNode } from "react"
import { useMemo, useState } from "react"

/**
 * Server-side paging and filtering for a `useDataTable` list: the table's state, and the same state as the
 * query the plugin's list routes take (`limit`, `offset`, and each filter as its id).
 *
 * @example
 * const list = useListState(20, { status: ["unmatched"] })
 * const listings = useListings({ ...list.query, connection_id })
 * const table = useDataTable({ data: listings.data?.listings ?? [], rowCount: listings.data?.count, ...list.options, columns })
 */
export function useListState(pageSize: number, initialFilters: DataTableFilteringState = {}) {
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize })
  const [filtering, setFiltering] = useState<DataTableFilteringState>(initialFilters)
  const query = useMemo(() => {
    const filters: Record<string, string | string[]> = {}
    for (const [key, value] of Object.entries(filtering)) {
      if (typeof value === "string" && value) filters[key] = value
      else if (Array.isArray(value) && value.length) filters[key] = value.map(String)
    }
    return { limit: pagination.pageSize, offset: pagination.pageIndex * pagination.pageSize, ...filters }
  }, [pagination, filtering])
  return {
    query,
    filtering,
    options: {
      pagination: { state: pagination, onPaginationChange: setPagination },
      filtering: {
        state: filtering,
        // A new filter shows its first page.
        onFilteringChange: (next: DataTableFilteringState) => {
          setFiltering(next)
          setPagination((p) => ({ ...p, pageIndex: 0 }))
        },
      },
    },
  }
}

/**
 * A list of the marketplace screens as Medusa's admin draws one: a title bar with the filter menu and the
 * page's actions, the table (with its own loading and empty states), and the pager.
 */
export function ListTable<T>({
  instance,
  title,
  description,
  actions,
  empty,
  testId,
  filters = true,
  commandBar,
}: {
  instance: UseDataTableReturn<T>
  title: string
  description?: string
  actions?: ReactNode
  empty: { heading: string; description?: string }
  testId?: string
  filters?: boolean
  commandBar?: boolean
}) {
  return (
    <div data-testid={testId}>
      <DataTable instance={instance}>
        <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 px-6 py-4 md:flex-row md:items-center">
          <div>
            <Heading level="h2">{title}</Heading>
            {description ? (
              <Text size="small" className="text-ui-fg-subtle">
                {description}
              </Text>
            ) : null}
          </div>
          <div className="flex items-center gap-x-2">
            {filters ? <DataTable.FilterMenu tooltip="Filter" /> : null}
            {actions}
          </div>
        </DataTable.Toolbar>
        <DataTable.Table emptyState={{ empty, filtered: { heading: "Nothing matches these filters", description: "Change or clear the filters." } }} />
        <DataTable.Pagination />
        {commandBar ? <DataTable.CommandBar selectedLabel={(n) => `${n} selected`} /> : null}
      </DataTable>
    </div>
  )
}
