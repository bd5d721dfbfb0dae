import { defineRouteConfig } from "@medusajs/admin-sdk"
import { createDataTableColumnHelper, createDataTableFilterHelper, useDataTable } from "@medusajs/ui"
import { useMemo } from "react"
import { useNavigate, useSearchParams } from "react-router-dom"
import { ListTable, useListState } from "../../../components/list-table"
import { ScreenPage } from "../../../components/screen-page"
import { shopFilter, useShopFilterOptions } from "../../../components/shop-filter"
import { Status } from "../../../components/status"
import { formatAmount, formatRelative, humanize } from "../../../lib/format"
import { useProviders, useReturns } from "../../../lib/hooks"
import type { MarketplaceReturn, ReturnStatus } from "../../../lib/types"

const PAGE_SIZE = 20

/** The plugin's own return statuses (every platform's are mapped onto these). */
const RETURN_STATUSES: ReturnStatus[] = ["requested", "accepted", "processing", "disputed", "refunded", "cancelled", "closed"]

const column = createDataTableColumnHelper<MarketplaceReturn>()
const filter = createDataTableFilterHelper<MarketplaceReturn>()

const ReturnsPage = () => {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const initialShop = params.get("connection_id")
  const list = useListState(PAGE_SIZE, initialShop ? { connection_id: initialShop } : {})
  const shops = useShopFilterOptions()
  const providers = useProviders()
  const returns = useReturns(list.query)

  // Every configured platform's return solutions, by id (the same id may come from several).
  const solutions = useMemo(() => {
    const seen = new Map<string, string>()
    for (const p of providers.data?.providers ?? []) for (const s of p.vocabulary.return_solutions) seen.set(s.id, s.label)
    return [...seen].map(([value, label]) => ({ value, label }))
  }, [providers.data])

  const columns = useMemo(
    () => [
      column.accessor("external_return_id", {
        header: "Return",
        cell: ({ row }) => (
          <div className="flex flex-col" data-testid="return-row" data-return-id={row.original.id}>
            <span className="txt-compact-small-plus">{row.original.external_return_id}</span>
            <span className="txt-compact-xsmall text-ui-fg-subtle">order {row.original.external_order_id}</span>
          </div>
        ),
      }),
      column.accessor("status", { header: "Status", cell: ({ getValue }) => <Status status={getValue()} testId="return-status" /> }),
      column.accessor("external_status", { header: "Marketplace status" }),
      column.accessor("solution", {
        header: "Solution",
        cell: ({ getValue }) => solutions.find((s) => s.value === getValue())?.label ?? (getValue() ? humanize(getValue()!) : "-"),
      }),
      column.accessor("refund_amount", {
        header: "Refund",
        cell: ({ row }) => formatAmount(row.original.refund_amount, row.original.currency_code),
      }),
      column.display({
        id: "order",
        header: "Order",
        cell: ({ row }) => (row.original.order_link?.order ? `#${row.original.order_link.order.display_id}` : "not imported"),
      }),
      column.accessor("external_updated_at", { header: "Updated", cell: ({ getValue }) => formatRelative(getValue()) }),
    ],
    [solutions]
  )
  const filters = useMemo(
    () => [
      filter.accessor("status", {
        type: "multiselect",
        label: "Status",
        options: RETURN_STATUSES.map((s) => ({ value: s, label: humanize(s) })),
      }),
      shopFilter<MarketplaceReturn>(shops),
      ...(solutions.length ? [filter.accessor("solution", { type: "multiselect", label: "Solution", options: solutions })] : []),
    ],
    [shops, solutions]
  )

  const table = useDataTable({
    data: returns.data?.returns ?? [],
    rowCount: returns.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    filters,
    isLoading: returns.isLoading,
    onRowClick: (_, row) => navigate(`/marketplaces/returns/${(row as { id: string }).id}`),
    ...list.options,
  })

  return (
    <ScreenPage crumbs={["Returns"]} testId="returns-page">
      <ListTable
        instance={table}
        title="Returns"
        description="Marketplace returns and refunds, newest change first. Open one to accept or dispute it."
        empty={{ heading: "No marketplace return yet", description: "Returns appear here as the marketplaces report them." }}
        testId="returns-table"
      />
    </ScreenPage>
  )
}

export const config = defineRouteConfig({ label: "Returns" })

export default ReturnsPage
