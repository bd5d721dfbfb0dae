import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Button,
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  Input,
  Label,
  Text,
  toast,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState, type FormEvent } from "react"
import { useNavigate, useSearchParams } from "react-router-dom"
import { ListTable, useListState } from "../../../components/list-table"
import { NativeSelect } from "../../../components/native-select"
import { ScreenPage } from "../../../components/screen-page"
import { shopFilter, useShopFilterOptions } from "../../../components/shop-filter"
import { Status } from "../../../components/status"
import { formatDateTime, formatRelative, startOfLocalDay } from "../../../lib/format"
import { errorMessage, useReconciliationReports, useRunReconciliation } from "../../../lib/hooks"
import type { ReconciliationReport } from "../../../lib/types"

const PAGE_SIZE = 20

const column = createDataTableColumnHelper<ReconciliationReport>()
const filter = createDataTableFilterHelper<ReconciliationReport>()

const isoDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`

/** The discrepancies of a report, all kinds together. */
const discrepancies = (summary: ReconciliationReport["summary"]) =>
  Object.entries(summary ?? {}).reduce((n, [key, value]) => (key === "orders" || typeof value !== "number" ? n : n + value), 0)

/** Run a report for one shop over a range of whole local days (at most 92, never past now). */
const RunForm = ({ shops, initialShop }: { shops: { label: string; value: string }[]; initialShop: string | null }) => {
  const navigate = useNavigate()
  const run = useRunReconciliation()
  const [shop, setShop] = useState(initialShop ?? "")
  const [from, setFrom] = useState(isoDate(new Date(Date.now() - 7 * 86400_000)))
  const [to, setTo] = useState(isoDate(new Date()))
  const connectionId = shop || (shops.length === 1 ? shops[0].value : "")
  const valid = !!connectionId && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const end = new Date(Math.min(startOfLocalDay(to).getTime() + 86400_000, Date.now()))
    run.mutate(
      { connection_id: connectionId, from: startOfLocalDay(from).toISOString(), to: end.toISOString() },
      {
        onSuccess: ({ reconciliation_report }) => {
          toast.success("Report ready")
          navigate(`/marketplaces/reconciliation/${reconciliation_report.id}`)
        },
        onError: (err) => toast.error("Could not build the report", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 px-6 py-4" data-testid="reconcile-form">
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="reconcile-shop" size="small">
          Shop
        </Label>
        <NativeSelect id="reconcile-shop" data-testid="reconcile-shop" value={connectionId} onChange={(e) => setShop(e.target.value)}>
          <option value="">Choose a shop…</option>
          {shops.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="reconcile-from" size="small">
          From
        </Label>
        <Input id="reconcile-from" data-testid="reconcile-from" type="date" size="small" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="reconcile-to" size="small">
          To
        </Label>
        <Input id="reconcile-to" data-testid="reconcile-to" type="date" size="small" value={to} min={from} max={isoDate(new Date())} onChange={(e) => setTo(e.target.value)} />
      </div>
      <Button size="small" type="submit" data-testid="reconcile-run" disabled={!valid} isLoading={run.isPending}>
        Run report
      </Button>
      <Text size="xsmall" className="text-ui-fg-subtle basis-full">
        Compares the marketplace's orders updated in the range with the imported ones: missing orders, status and
        total differences, missing escrow; fee totals and payout per day. At most 92 days.
      </Text>
    </form>
  )
}

const ReconciliationPage = () => {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const initialShop = params.get("connection_id")
  const list = useListState(PAGE_SIZE, initialShop ? { connection_id: initialShop } : {})
  const shops = useShopFilterOptions()
  const reports = useReconciliationReports(list.query)

  const columns = useMemo(
    () => [
      column.accessor("created_at", {
        header: "Report",
        cell: ({ row }) => (
          <div className="flex flex-col" data-testid="report-row" data-report-id={row.original.id}>
            <span className="txt-compact-small-plus">{formatDateTime(row.original.created_at)}</span>
            <span className="txt-compact-xsmall text-ui-fg-subtle">{shops.find((s) => s.value === row.original.connection_id)?.label ?? row.original.connection_id}</span>
          </div>
        ),
      }),
      column.display({
        id: "range",
        header: "Range",
        cell: ({ row }) => `${formatDateTime(row.original.range_from)} – ${formatDateTime(row.original.range_to)}`,
      }),
      column.accessor("trigger", { header: "Trigger" }),
      column.accessor("status", { header: "Status", cell: ({ getValue }) => <Status status={getValue()} /> }),
      column.display({
        id: "discrepancies",
        header: "Discrepancies",
        cell: ({ row }) => <span data-testid="report-discrepancies">{row.original.status === "completed" ? discrepancies(row.original.summary) : "-"}</span>,
      }),
      column.accessor("completed_at", { header: "Completed", cell: ({ getValue }) => formatRelative(getValue()) }),
    ],
    [shops]
  )
  const filters = useMemo(
    () => [
      shopFilter<ReconciliationReport>(shops),
      filter.accessor("status", {
        type: "multiselect",
        label: "Status",
        options: ["running", "completed", "failed"].map((s) => ({ value: s, label: s })),
      }),
      filter.accessor("trigger", {
        type: "multiselect",
        label: "Trigger",
        options: ["manual", "scheduled"].map((s) => ({ value: s, label: s })),
      }),
    ],
    [shops]
  )

  const table = useDataTable({
    data: reports.data?.reconciliation_reports ?? [],
    rowCount: reports.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    filters,
    isLoading: reports.isLoading,
    onRowClick: (_, row) => navigate(`/marketplaces/reconciliation/${(row as { id: string }).id}`),
    ...list.options,
  })

  return (
    <ScreenPage crumbs={["Reconciliation"]} testId="reconciliation-page">
      <RunForm shops={shops} initialShop={initialShop} />
      <ListTable
        instance={table}
        title="Reconciliation reports"
        description="The marketplace's orders against the imported ones, per shop and range; the nightly ones included."
        empty={{ heading: "No report yet", description: "Run one above, or wait for the nightly report." }}
        testId="reports-table"
      />
    </ScreenPage>
  )
}

export const config = defineRouteConfig({ label: "Reconciliation" })

export default ReconciliationPage
